import { describe, expect, it, vi } from 'vitest';
import { conversation, message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

describe('delete with undo', () => {
  it('gives back the deleted conversation with every branch, and Undo puts all of it back', async () => {
    const name = newDatabaseName();
    const repository = await open(name);
    await repository.putConversation(conversation('c', 100, 'Keep me'));
    await repository.putConversation(conversation('other', 50));
    await repository.putMessage(message('u1', 'c', 110));
    await repository.putMessage(
      message('a1', 'c', 120, { role: 'assistant', usage: { promptTokens: 1, completionTokens: 2 } }),
    );
    await repository.putMessage(message('a1b', 'c', 130, { role: 'assistant', parentId: 'u1' }));
    await repository.setActiveLeaf('c', 'a1');
    const before = {
      list: await repository.listConversations(),
      messages: await repository.listMessages('c'),
    };

    const deleted = await repository.deleteConversation('c');
    expect((await repository.listConversations()).map((c) => c.id)).toEqual(['other']);
    expect(await repository.listMessages('c')).toEqual([]);
    expect(deleted?.conversation).toEqual(before.list[0]);
    expect(deleted?.messages).toEqual(before.messages);

    await repository.restoreConversation(deleted!);
    repository.close();
    const reopened = await open(name);
    expect(await reopened.listConversations()).toEqual(before.list);
    expect(await reopened.listMessages('c')).toEqual(before.messages);
    expect((await reopened.getConversation('c'))?.activeLeafId).toBe('a1');
  });

  it('finds the restored conversation again in search', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 100, 'Recipes'));
    await repository.putMessage(message('u1', 'c', 110, { content: 'A tarte Tatin, please' }));
    expect(await repository.searchConversations('tatin')).toHaveLength(1);

    const deleted = await repository.deleteConversation('c');
    expect(await repository.searchConversations('tatin')).toEqual([]);
    await repository.restoreConversation(deleted!);
    expect((await repository.searchConversations('tatin')).map((r) => r.conversationId)).toEqual(['c']);
  });

  it('gives nothing back for a conversation that does not exist, and deletes its stray messages', async () => {
    const repository = await open();
    await repository.putMessage(message('stray', 'gone', 1));
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
