import { describe, expect, it } from 'vitest';
import type { AttachmentRecord } from '../../../src/domain/attachments.js';
import type { ConversationRecord } from '../../../src/domain/records.js';
import {
  BACKUP_VERSION,
  exportAll,
  importSummaryMessage,
  MAX_ATTACHMENT_TEXT_LENGTH,
  parseBackup,
  type BackupData,
} from '../../../src/storage/backup.js';
import { planImport, type StoredState } from '../../../src/storage/import-plan.js';
import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import type { StoredMessage } from '../../../src/storage/schema.js';
import { attachment, userPreset } from '../../fixtures/attachments.js';
import { message } from '../../fixtures/records.js';

const PDF_BYTES = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0a]);

/** A conversation whose question came with a text file and a PDF kept whole, answered from the PDF's passages. */
async function filled(): Promise<MemoryRepository> {
  const repository = new MemoryRepository();
  await repository.putConversation({ id: 'c', title: 'Reading', createdAt: 1, updatedAt: 1 });
  await repository.putMessageWithAttachments(message('u1', 'c', 10), [
    attachment('f1', 'c', 'u1', { createdAt: 10 }),
    attachment('f2', 'c', 'u1', {
      createdAt: 11,
      name: 'report.pdf',
      type: 'application/pdf',
      pages: 3,
      size: PDF_BYTES.length,
      bytes: new Blob([PDF_BYTES], { type: 'application/pdf' }),
    }),
  ]);
  await repository.putMessage(
    message('a1', 'c', 20, {
      role: 'assistant',
      sources: [{ attachmentId: 'f2', name: 'report.pdf', whole: false, passages: [{ start: 0, end: 5 }] }],
    } as Partial<StoredMessage>),
  );
  await repository.savePreset(userPreset('p1', 'Tutor'));
  await repository.updateSettings({ hfToken: 'hf_never_exported', endpointKeys: { 'https://x.example': 'sk-no' } });
  return repository;
}

/** The file as JSON, edited by `edit` (which sees it parsed). */
async function editedFile(edit: (file: Record<string, unknown[]>) => void): Promise<string> {
  const file = JSON.parse(await exportAll(await filled())) as Record<string, unknown[]>;
  edit(file);
  return JSON.stringify(file);
}

function refused(text: string): string {
  const parsed = parseBackup(text);
  if (parsed.ok) throw new Error('expected the backup to be refused');
  return parsed.message;
}

async function bytesOf(record: AttachmentRecord | undefined): Promise<number[]> {
  return [...new Uint8Array((await record?.bytes?.arrayBuffer()) ?? new ArrayBuffer(0))];
}

describe('backups with attachments and presets', () => {
  it('writes files (kept originals as base64) and the user’s presets, never a built-in or a secret', async () => {
    const json = await exportAll(await filled());
    const file = JSON.parse(json) as { version: number; attachments: { bytes?: string }[]; presets: unknown[] };
    expect(file.version).toBe(BACKUP_VERSION);
    expect(file.attachments.map((a) => a.bytes)).toEqual([undefined, btoa(String.fromCharCode(...PDF_BYTES))]);
    expect(file.presets).toEqual([
      {
        id: 'p1',
        name: 'Tutor',
        systemPrompt: 'Speak as Tutor.',
        sampling: userPreset('p1', 'x').sampling,
        updatedAt: 1,
      },
    ]);
    expect(json).not.toContain('builtin:');
    expect(json).not.toContain('hf_never_exported');
    expect(json).not.toContain('sk-no');
  });

  it('round-trips into another repository: files, passages, bytes, sources and presets', async () => {
    const source = await filled();
    const parsed = parseBackup(await exportAll(source));
    if (!parsed.ok) throw new Error(parsed.message);
    const target = new MemoryRepository();
    const summary = await target.importBackup(parsed.data);
    expect(summary).toMatchObject({ conversations: 1, messages: 2, attachments: 2, presets: 1, renamed: 0 });
    expect(importSummaryMessage(summary)).toBe('Imported 1 conversation (2 messages, 2 files). Added 1 preset.');

    const [text, pdf] = await target.listAttachments('c');
    const [originalText, originalPdf] = await source.listAttachments('c');
    expect(text).toEqual(originalText);
    expect({ ...pdf, bytes: undefined }).toEqual({ ...originalPdf, bytes: undefined });
    expect(await bytesOf(pdf)).toEqual([...PDF_BYTES]);
    expect(await target.getMessage('u1')).toMatchObject({ attachmentIds: ['f1', 'f2'] });
    expect(await target.getMessage('a1')).toMatchObject({ sources: [{ attachmentId: 'f2', whole: false }] });
    expect((await target.listPresets()).filter((p) => !p.builtIn)).toEqual([userPreset('p1', 'Tutor')]);
  });

  it('imports the same backup twice without adding files or presets twice', async () => {
    const json = await exportAll(await filled());
    const target = new MemoryRepository();
    const parsed = parseBackup(json);
    if (!parsed.ok) throw new Error(parsed.message);
    await target.importBackup(parsed.data);
    const again = await target.importBackup(parsed.data);
    expect(again).toMatchObject({ conversations: 0, attachments: 0, presets: 0, skipped: 1 });
    expect(importSummaryMessage(again)).toMatch(/^Nothing new to import\./);
    expect(await target.listAttachments('c')).toHaveLength(2);
  });

  it('still reads a version 1 file, which had no attachments or presets', async () => {
    const v1 = await editedFile((file) => {
      delete file['attachments'];
      delete file['presets'];
      (file as Record<string, unknown>)['version'] = 1;
      for (const m of file['messages'] as Record<string, unknown>[]) {
        delete m['attachmentIds'];
        delete m['sources'];
      }
    });
    const parsed = parseBackup(v1);
    expect(parsed.ok && parsed.data).toMatchObject({ attachments: [], presets: [] });
    expect(parsed.ok && parsed.data.messages).toHaveLength(2);
  });

  it.each<[string, (file: Record<string, unknown[]>) => void, RegExp]>([
    ['a file that is not a record', (f) => (f['attachments']![0] = 'x'), /file 1 is not a record/],
    [
      'a file without text',
      (f) => delete (f['attachments']![0] as Record<string, unknown>)['text'],
      /file 1 has no text/,
    ],
    [
      'a file text larger than any file attached',
      (f) => ((f['attachments']![0] as Record<string, unknown>)['text'] = 'x'.repeat(MAX_ATTACHMENT_TEXT_LENGTH + 1)),
      /the text of file 1 is too long/,
    ],
    [
      'a passage past the end of its text',
      (f) => ((f['attachments']![0] as Record<string, unknown>)['passages'] = [{ start: 0, end: 1e9 }]),
      /passage 1 of file 1 ends after its text/,
    ],
    [
      'passages out of order',
      (f) =>
        ((f['attachments']![0] as Record<string, unknown>)['passages'] = [
          { start: 5, end: 9 },
          { start: 0, end: 3 },
        ]),
      /passage 2 of file 1 is not a span after the one before it/,
    ],
    [
      'original bytes that are not base64',
      (f) => ((f['attachments']![1] as Record<string, unknown>)['bytes'] = '<script>alert(1)</script>'),
      /the original file of file 2 is not valid base64/,
    ],
    ['two files with one id', (f) => (f['attachments']![1] = f['attachments']![0]), /file 2 has the same id/],
    [
      'a file of a message that is not in the file',
      (f) => ((f['attachments']![0] as Record<string, unknown>)['messageId'] = 'elsewhere'),
      /file 1 was sent with a message that is not in the file/,
    ],
    [
      'a message naming a file not sent with it',
      (f) => ((f['messages']![1] as Record<string, unknown>)['attachmentIds'] = ['f1']),
      /message 2 names a file that was not sent with it/,
    ],
    [
      'a source that is whole and lists passages',
      (f) =>
        ((f['messages']![1] as Record<string, unknown>)['sources'] = [
          { attachmentId: 'f2', name: 'r', whole: true, passages: [{ start: 0, end: 1 }] },
        ]),
      /source 1 of message 2 is whole and yet lists passages/,
    ],
    [
      'a preset claiming a built-in id',
      (f) => ((f['presets']![0] as Record<string, unknown>)['id'] = 'builtin:demo'),
      /preset 1 claims the id of a built-in preset/,
    ],
    [
      'a preset with sampling out of range',
      (f) => ((f['presets']![0] as Record<string, unknown>)['sampling'] = { temperature: 'hot' }),
      /preset 1 is not a preset the app could save/,
    ],
    ['two presets with one id', (f) => f['presets']!.push(f['presets']![0]), /preset 2 has the same id/],
    [
      'a preset with a prototype-changing field',
      (f) => (f['presets']![0] = JSON.parse('{"__proto__": {"x": 1}, "id": "p9"}') as unknown),
      /preset 1 has a field named "__proto__"/,
    ],
  ])('refuses %s, saying where, and nothing is imported', async (_what, edit, detail) => {
    const message = refused(await editedFile(edit));
    expect(message).toMatch(/^The backup is damaged: /);
    expect(message).toMatch(detail);
    expect(message).toMatch(/Nothing was imported/);
  });
});

describe('planImport with attachments and presets', () => {
  const conversations: ConversationRecord[] = [{ id: 'c', title: 'T', createdAt: 1, updatedAt: 1 }];
  const messages: StoredMessage[] = [
    { ...message('u1', 'c', 10), parentId: null, attachmentIds: ['f1'] },
    {
      ...message('a1', 'c', 20, { role: 'assistant' }),
      parentId: 'u1',
      sources: [{ attachmentId: 'f1', name: 'n', whole: true, passages: [] }],
    },
  ];
  const data = (): BackupData => ({
    exportedAt: 'x',
    conversations: [{ ...conversations[0]!, presetId: 'p1' } as ConversationRecord],
    messages,
    attachments: [attachment('f1', 'c', 'u1')],
    presets: [userPreset('p1', 'Tutor')],
  });
  const empty: StoredState = {
    conversationIds: new Set(),
    messageIds: new Set(),
    attachmentIds: new Set(),
    presets: [],
    lookalikes: [],
  };
  let counter = 0;
  const newId = () => `fresh-${++counter}`;

  it('gives colliding files and presets fresh ids, and every reference follows', () => {
    const stored: StoredState = {
      ...empty,
      conversationIds: new Set(['c']),
      messageIds: new Set(['u1']),
      attachmentIds: new Set(['f1']),
      presets: [userPreset('p1', 'Someone else’s')],
    };
    const plan = planImport(data(), stored, newId);
    const [file] = plan.attachmentRecords;
    const [conversation] = plan.conversationRecords as (ConversationRecord & { presetId?: string })[];
    const [question, reply] = plan.messageRecords;
    const [preset] = plan.presetRecords;
    expect(file?.id).not.toBe('f1');
    expect(file).toMatchObject({ conversationId: conversation?.id, messageId: question?.id });
    expect(question?.attachmentIds).toEqual([file?.id]);
    expect(reply?.sources?.[0]?.attachmentId).toBe(file?.id);
    expect(preset?.id).not.toBe('p1');
    expect(conversation?.presetId).toBe(preset?.id);
    expect(plan.renamed).toBe(4);
  });

  it('uses a preset already stored with the same settings instead of adding it again', () => {
    const stored: StoredState = { ...empty, presets: [userPreset('mine', 'Tutor')] };
    const plan = planImport(data(), stored, newId);
    expect(plan.presetRecords).toEqual([]);
    expect((plan.conversationRecords[0] as { presetId?: string }).presetId).toBe('mine');
  });

  it('leaves out the files of a conversation already stored', () => {
    const stored: StoredState = {
      ...empty,
      conversationIds: new Set(['c']),
      messageIds: new Set(['u1', 'a1']),
      lookalikes: [{ conversation: conversations[0]!, messages }],
    };
    expect(planImport(data(), stored, newId)).toMatchObject({ conversations: 0, attachments: 0, skipped: 1 });
  });
});
