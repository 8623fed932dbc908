import { describe, expect, it } from 'vitest';
import { estimateUsage } from '../../../src/storage/health.js';
import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { attachment, conversation, message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

/** Each test runs against IndexedDB and the in-memory fallback: the same behaviour is asked of both. */
const implementations: [string, () => Promise<ChatRepository>][] = [
  ['IndexedDB', () => open()],
  ['memory', async () => new MemoryRepository()],
];

/** A conversation whose first question came with two files. */
async function withFiles(repository: ChatRepository): Promise<void> {
  await repository.putConversation(conversation('c', 1));
  await repository.putMessageWithAttachments(message('u1', 'c', 10), [
    attachment('f1', 'c', 'u1', { createdAt: 10 }),
    attachment('f2', 'c', 'u1', { createdAt: 11, bytes: new Blob(['%PDF-1.7 original'], { type: 'application/pdf' }) }),
  ]);
  await repository.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
  await repository.putMessageWithAttachments(message('u2', 'c', 30), [attachment('f3', 'c', 'u2', { createdAt: 30 })]);
}

describe.each(implementations)('attachments in %s', (_name, create) => {
  it('stores files with their user message, names them on it, and lists them by conversation', async () => {
    const repository = await create();
    await withFiles(repository);
    expect((await repository.listAttachments('c')).map((a) => a.id)).toEqual(['f1', 'f2', 'f3']);
    expect(await repository.getMessage('u1')).toMatchObject({ attachmentIds: ['f1', 'f2'], parentId: null });
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('u2');
    const kept = await repository.getAttachment('f2');
    expect(kept).toMatchObject({ name: 'notes-f2.txt', passages: attachment('f2', 'c', 'u1').passages });
    expect(await kept?.bytes?.text()).toBe('%PDF-1.7 original');
    expect(await repository.getAttachment('nope')).toBeUndefined();
    expect(await repository.listAttachments('other')).toEqual([]);
  });

  it('writes neither message nor files into a conversation that is gone, and refuses files of another message', async () => {
    const repository = await create();
    await repository.putMessageWithAttachments(message('u1', 'gone', 10), [attachment('f1', 'gone', 'u1')]);
    expect(await repository.getMessage('u1')).toBeUndefined();
    expect(await repository.getAttachment('f1')).toBeUndefined();

    await repository.putConversation(conversation('c', 1));
    await expect(
      repository.putMessageWithAttachments(message('u1', 'c', 10), [attachment('f1', 'c', 'someone-else')]),
    ).rejects.toThrow(TypeError);
    expect(await repository.getMessage('u1')).toBeUndefined();
  });

  it('deletes a conversation’s files with it, gives them back for Undo, and puts them back', async () => {
    const repository = await create();
    await withFiles(repository);
    const before = await repository.listAttachments('c');
    const deleted = await repository.deleteConversation('c');
    expect(deleted?.attachments).toEqual(before);
    expect(await repository.listAttachments('c')).toEqual([]);
    await repository.restoreConversation(deleted!);
    expect(await repository.listAttachments('c')).toEqual(before);
  });

  it('deletes the files sent with a deleted message, and those of a cleared conversation', async () => {
    const repository = await create();
    await withFiles(repository);
    const deleted = await repository.deleteMessage('u2');
    expect(deleted?.attachments.map((a) => a.id)).toEqual(['f3']);
    expect((await repository.listAttachments('c')).map((a) => a.id)).toEqual(['f1', 'f2']);
    await repository.deleteMessages('c');
    expect(await repository.listAttachments('c')).toEqual([]);
  });

  it('counts the files and their kept originals in the storage line', async () => {
    const repository = await create();
    const empty = await repository.measureConversations();
    expect(empty).toMatchObject({ attachments: 0, attachmentBytes: 0 });
    await withFiles(repository);
    const size = await repository.measureConversations();
    expect(size).toMatchObject({ conversations: 1, messages: 3, attachments: 3 });
    const text = attachment('f1', 'c', 'u1').text.length;
    // Three texts and one kept original, with the fields around them.
    expect(size.attachmentBytes).toBeGreaterThan(3 * text + '%PDF-1.7 original'.length);
    expect(size.attachmentBytes).toBeLessThan(3 * (text + 400));
    expect(size.approximateBytes).toBeGreaterThan(size.attachmentBytes);
    expect(await estimateUsage(repository, undefined, undefined)).toMatchObject({
      attachmentCount: 3,
      attachmentsBytes: size.attachmentBytes,
      conversationsBytes: size.approximateBytes,
    });
  });
});

describe('attachments in IndexedDB, across reopening', () => {
  it('keeps the files, their passages and kept bytes after the page reloads', async () => {
    const name = newDatabaseName();
    const first = await open(name);
    await withFiles(first);
    const before = await first.listAttachments('c');
    first.close();
    const reopened = await open(name);
    const after = await reopened.listAttachments('c');
    expect(after.map(({ bytes: _bytes, ...rest }) => rest)).toEqual(before.map(({ bytes: _bytes, ...rest }) => rest));
    expect(await after[1]?.bytes?.text()).toBe('%PDF-1.7 original');
  });

  it('writes the message and its files all or nothing', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    // The second file's write fails (a full disk): the message and the first file must not land either.
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    const failing = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'attachments' && ++calls === 2) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
    IDBObjectStore.prototype.put = failing;
    try {
      await expect(
        repository.putMessageWithAttachments(message('u1', 'c', 10), [
          attachment('f1', 'c', 'u1'),
          attachment('f2', 'c', 'u1'),
        ]),
      ).rejects.toMatchObject({ kind: 'quota' });
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(await repository.getMessage('u1')).toBeUndefined();
    expect(await repository.listAttachments('c')).toEqual([]);
  });
});
