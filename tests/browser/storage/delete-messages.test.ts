import { describe, expect, it } from 'vitest';
import { visiblePath } from '../../../src/domain/branches.js';
import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { attachment, conversation, message, useTestRepositories } from './harness.js';

const { open } = useTestRepositories();

const implementations: [string, () => Promise<ChatRepository>][] = [
  ['IndexedDB', () => open()],
  ['memory', async () => new MemoryRepository()],
];

/** The ids shown, root first. */
async function shown(repository: ChatRepository): Promise<string[]> {
  const stored = await repository.getConversation('c');
  return visiblePath(await repository.listMessages('c'), stored?.activeLeafId).map((entry) => entry.message.id);
}

/** The active leaf names a message that is stored in the conversation (or is unset with none left). */
async function expectValidLeaf(repository: ChatRepository): Promise<void> {
  const leaf = (await repository.getConversation('c'))?.activeLeafId;
  const ids = (await repository.listMessages('c')).map((m) => m.id);
  if (ids.length === 0) expect(leaf).toBeUndefined();
  else expect(ids).toContain(leaf);
}

/**
 * u1 → a1 → u2 (with a file) → a2, a2b (regenerated, shown). The question u2 was also edited once into u2e → a2e, an
 * older branch.
 */
async function conversationWithBranches(repository: ChatRepository): Promise<void> {
  await repository.putConversation(conversation('c', 1));
  await repository.putMessage(message('u1', 'c', 10));
  await repository.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
  await repository.putMessage(message('u2e', 'c', 25, { parentId: 'a1', content: 'First wording' }));
  await repository.putMessage(message('a2e', 'c', 26, { role: 'assistant' }));
  await repository.putMessageWithAttachments(message('u2', 'c', 30, { parentId: 'a1', content: 'Second wording' }), [
    attachment('f2', 'c', 'u2'),
  ]);
  await repository.putMessage(message('a2', 'c', 40, { role: 'assistant' }));
  await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', parentId: 'u2' }));
}

describe.each(implementations)('deleting messages with Undo in %s', (_name, create) => {
  it('Undo last exchange takes the last question with every reply and file, and gives the question back', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    const before = { messages: await repository.listMessages('c'), shown: await shown(repository) };
    expect(before.shown).toEqual(['u1', 'a1', 'u2', 'a2b']);

    const deleted = await repository.deleteExchange('c');
    expect(deleted?.messages[0]).toMatchObject({ id: 'u2', content: 'Second wording' });
    expect(deleted?.messages.map((m) => m.id).sort()).toEqual(['a2', 'a2b', 'u2']);
    expect(deleted?.attachments.map((a) => a.id)).toEqual(['f2']);
    expect(await repository.getAttachment('f2')).toBeUndefined();
    // The other wording of the question stays: the branch shown falls back to it.
    expect(await shown(repository)).toEqual(['u1', 'a1', 'u2e', 'a2e']);
    await expectValidLeaf(repository);

    expect(await repository.restoreMessages(deleted!)).toBe(true);
    expect(await repository.listMessages('c')).toEqual(before.messages);
    expect(await shown(repository)).toEqual(before.shown);
    expect(await repository.getAttachment('f2')).toMatchObject({ messageId: 'u2' });
  });

  it('takes exchange after exchange back until none is left, the leaf valid at each step', async () => {
    const repository = await create();
    await repository.putConversation(conversation('c', 1));
    await repository.putMessage(message('u1', 'c', 10));
    await repository.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
    await repository.putMessage(message('u2', 'c', 30));
    expect((await repository.deleteExchange('c'))?.messages.map((m) => m.id)).toEqual(['u2']);
    await expectValidLeaf(repository);
    expect(await shown(repository)).toEqual(['u1', 'a1']);
    expect((await repository.deleteExchange('c'))?.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    await expectValidLeaf(repository);
    expect(await repository.deleteExchange('c')).toBeUndefined();
    expect(await repository.deleteExchange('no-such-conversation')).toBeUndefined();
  });

  it('Delete with its branch removes a message and everything below it, and Undo puts all of it back', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    const before = await repository.listMessages('c');
    const deleted = await repository.deleteBranch('a1');
    expect(deleted?.messages.map((m) => m.id)).toEqual(['a1', 'u2e', 'u2', 'a2e', 'a2', 'a2b']);
    expect(await shown(repository)).toEqual(['u1']);
    await expectValidLeaf(repository);
    expect(await repository.listAttachments('c')).toEqual([]);

    await repository.restoreMessages(deleted!);
    expect(await repository.listMessages('c')).toEqual(before);
    expect(await shown(repository)).toEqual(['u1', 'a1', 'u2', 'a2b']);
  });

  it('keeps the branch shown when another branch is deleted', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    await repository.deleteBranch('u2e');
    expect(await shown(repository)).toEqual(['u1', 'a1', 'u2', 'a2b']);
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('a2b');
  });

  it('Delete of one message re-parents its children, and Undo restores them under it', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    const before = await repository.listMessages('c');
    const deleted = await repository.deleteMessage('u2');
    expect(deleted?.rewritten.map((m) => [m.id, m.parentId])).toEqual([
      ['a2', 'u2'],
      ['a2b', 'u2'],
    ]);
    expect((await repository.getMessage('a2b'))?.parentId).toBe('a1');
    await expectValidLeaf(repository);

    await repository.restoreMessages(deleted!);
    expect(await repository.listMessages('c')).toEqual(before);
    expect(await repository.getAttachment('f2')).toBeDefined();
  });

  it('after an undone deletion, a message sent in between stays shown', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    const deleted = await repository.deleteExchange('c');
    await repository.putMessage(message('u3', 'c', 60, { content: 'Asked again' }));
    await repository.restoreMessages(deleted!);
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('u3');
    expect((await repository.listMessages('c')).map((m) => m.id)).toContain('a2b');
  });

  it('puts nothing back into a conversation deleted meanwhile', async () => {
    const repository = await create();
    await conversationWithBranches(repository);
    const deleted = await repository.deleteExchange('c');
    await repository.deleteConversation('c');
    expect(await repository.restoreMessages(deleted!)).toBe(false);
    expect(await repository.getMessage('u2')).toBeUndefined();
    expect(await repository.getAttachment('f2')).toBeUndefined();
  });
});

describe('deleting messages in IndexedDB', () => {
  it('finds an undone exchange again in search, and not while it is deleted', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1, 'Recipes'));
    await repository.putMessage(message('u1', 'c', 10, { content: 'A tarte Tatin, please' }));
    expect(await repository.searchConversations('tatin')).toHaveLength(1);
    const deleted = await repository.deleteExchange('c');
    expect(await repository.searchConversations('tatin')).toEqual([]);
    await repository.restoreMessages(deleted!);
    expect((await repository.searchConversations('tatin')).map((r) => r.conversationId)).toEqual(['c']);
  });
});
