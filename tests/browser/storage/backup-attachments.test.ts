import { describe, expect, it } from 'vitest';
import { exportAll, importBackupFile } from '../../../src/storage/backup.js';
import type { StoredMessage } from '../../../src/storage/schema.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { attachment, conversation, message, useTestRepositories, userPreset } from './harness.js';

const { open } = useTestRepositories();

const ORIGINAL = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xfe, 0x0a]);

async function fill(repository: ChatRepository): Promise<void> {
  await repository.putConversation(conversation('c', 100, 'Reading a report'));
  await repository.putMessageWithAttachments(message('u1', 'c', 110, { content: 'What does it conclude?' }), [
    attachment('f1', 'c', 'u1', { createdAt: 110 }),
    attachment('f2', 'c', 'u1', {
      createdAt: 111,
      type: 'application/pdf',
      size: ORIGINAL.length,
      pages: 2,
      bytes: new Blob([ORIGINAL], { type: 'application/pdf' }),
    }),
  ]);
  await repository.putMessage(message('a1', 'c', 120, { role: 'assistant', content: 'It concludes…' }));
  await repository.savePreset(userPreset('p1', 'Analyst'));
}

/** Everything stored, with the kept originals read out, to compare before and after. */
async function everything(repository: ChatRepository) {
  const all = await repository.readAllConversations();
  const attachments = await Promise.all(
    all.attachments.map(async ({ bytes, ...rest }) => ({
      ...rest,
      bytes: bytes ? [...new Uint8Array(await bytes.arrayBuffer())] : undefined,
    })),
  );
  return { ...all, attachments };
}

describe('backups of attachments in IndexedDB', () => {
  it('round-trips the files with their kept originals and the user’s presets into another database', async () => {
    const source = await open();
    await fill(source);
    const json = await exportAll(source);
    const target = await open();
    const outcome = await importBackupFile(target, new File([json], 'backup.json'));
    expect(outcome).toMatchObject({ ok: true, summary: { conversations: 1, attachments: 2, presets: 1 } });
    expect(await everything(target)).toEqual(await everything(source));
    expect((await target.getAttachment('f2'))?.bytes?.type).toBe('application/pdf');
  });

  it('imports next to files that use the same ids without overwriting them', async () => {
    const source = await open();
    await fill(source);
    const json = await exportAll(source);
    const target = await open();
    await target.putConversation(conversation('other', 5, 'Mine'));
    await target.putMessageWithAttachments(message('m1', 'other', 6), [attachment('f1', 'other', 'm1')]);
    await target.savePreset(userPreset('p1', 'My own'));

    const outcome = await importBackupFile(target, new File([json], 'backup.json'));
    expect(outcome).toMatchObject({ ok: true, summary: { attachments: 2, presets: 1 } });
    expect(await target.getAttachment('f1')).toMatchObject({ conversationId: 'other', messageId: 'm1' });
    expect(await target.listAttachments('c')).toHaveLength(2);
    const presets = (await target.listPresets()).filter((p) => !p.builtIn).map((p) => p.name);
    expect(presets).toEqual(['Analyst', 'My own']);
    const imported = (await target.listAttachments('c')).find((a) => a.name === 'notes-f1.txt');
    expect(imported?.id).not.toBe('f1');
    const question = (await target.getMessage('u1')) as StoredMessage | undefined;
    expect(question?.attachmentIds).toContain(imported?.id);
  });

  it('leaves everything stored untouched when a backup’s file is hostile', async () => {
    const source = await open();
    await fill(source);
    const file = JSON.parse(await exportAll(source)) as { attachments: Record<string, unknown>[] };
    file.attachments[1]!['bytes'] = 'not base64 at all!';
    const target = await open();
    await fill(target);
    const before = await everything(target);
    const outcome = await importBackupFile(target, new File([JSON.stringify(file)], 'backup.json'));
    expect(outcome).toEqual({ ok: false, message: expect.stringMatching(/^The backup is damaged: the original/) });
    expect(await everything(target)).toEqual(before);
  });
});
