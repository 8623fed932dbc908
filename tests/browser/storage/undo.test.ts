import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { conversation, message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

// What delete and Undo give back is in the repository contract; these are what only a database adds.
describe('delete with undo in IndexedDB', () => {
  it('puts back, for good, every branch and the one shown', async () => {
    const name = newDatabaseName();
    const repository = await open(name);
    await repository.putConversation(conversation('c', 100, 'Keep me'));
    await repository.putMessage(message('u1', 'c', 110));
    await repository.putMessage(message('a1', 'c', 120, { role: 'assistant' }));
    await repository.putMessage(message('a1b', 'c', 130, { role: 'assistant', parentId: 'u1' }));
    await repository.setActiveLeaf('c', 'a1');
    const before = { list: await repository.listConversations(), messages: await repository.listMessages('c') };

    await repository.restoreConversation((await repository.deleteConversation('c'))!);
    repository.close();
    const reopened = await open(name);
    expect(await reopened.listConversations()).toEqual(before.list);
    expect(await reopened.listMessages('c')).toEqual(before.messages);
    expect((await reopened.getConversation('c'))?.activeLeafId).toBe('a1');
  });

  it('deletes the stray messages of a conversation that is gone, and gives nothing back', async () => {
    const name = newDatabaseName();
    const repository = await open(name);
    // `putMessage` refuses a message without its conversation, so the stray is written past the repository, as
    // an interrupted older version could have left it.
    const raw = await openDB(name);
    await raw.put('messages', { ...message('stray', 'gone', 1), parentId: null });
    raw.close();
    expect(await repository.getMessage('stray')).toMatchObject({ id: 'stray' });

    expect(await repository.deleteConversation('gone')).toBeUndefined();
    expect(await repository.getMessage('stray')).toBeUndefined();
  });

  it('keeps everything when the undo cannot be written, and can try again', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 100));
    await repository.putMessage(message('u1', 'c', 110));
    const deleted = await repository.deleteConversation('c');

    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(repository.restoreConversation(deleted!)).rejects.toMatchObject({ kind: 'quota' });
    put.mockRestore();
    expect(await repository.listConversations()).toEqual([]);

    await repository.restoreConversation(deleted!);
    expect(await repository.listMessages('c')).toHaveLength(1);
  });
});
