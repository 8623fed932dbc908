/**
 * The branch rules of the `ChatRepository` contract: who a message follows, which message is the active leaf, and
 * how deletions keep the tree whole. Part of `describeRepositoryContract`.
 */
import { describe, expect, it } from 'vitest';
import { leafAfterChoosing, visiblePath } from '../../src/domain/branches.js';
import type { ChatRepository } from '../../src/storage/types.js';
import { conversation, message } from '../fixtures/records.js';
import type { RepositoryFactory } from './repository-contract.js';

/** "id position/count" for each message shown. */
export async function shown(repository: ChatRepository, conversationId: string): Promise<string[]> {
  const stored = await repository.getConversation(conversationId);
  const path = visiblePath(await repository.listMessages(conversationId), stored?.activeLeafId);
  return path.map((entry) => `${entry.message.id} ${entry.position}/${entry.count}`);
}

/** Question, answer, question, answer: written as the controller writes them, without naming parents. */
export async function linear(repository: ChatRepository): Promise<void> {
  await repository.putConversation(conversation('c', 1));
  await repository.putMessage(message('u1', 'c', 10));
  await repository.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
  await repository.putMessage(message('u2', 'c', 30));
  await repository.putMessage(message('a2', 'c', 40, { role: 'assistant' }));
}

export function describeBranchContract(open: RepositoryFactory): void {
  describe('branches', () => {
    it('links messages written without a parent one after another, and shows the newest as the leaf', async () => {
      const repository = await open();
      await linear(repository);
      expect((await repository.listMessages('c')).map((m) => [m.id, m.parentId])).toEqual([
        ['u1', null],
        ['a1', 'u1'],
        ['u2', 'a1'],
        ['a2', 'u2'],
      ]);
      expect((await repository.getConversation('c'))?.activeLeafId).toBe('a2');
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2 1/1']);
    });

    it('keeps the parent of a reply through its streaming updates, and does not move the leaf for them', async () => {
      const repository = await open();
      await linear(repository);
      await repository.putMessage(message('a3', 'c', 50, { role: 'assistant', content: 'Hel', status: 'streaming' }));
      await repository.setActiveLeaf('c', 'u1');
      await repository.putMessage(message('a3', 'c', 50, { role: 'assistant', content: 'Hello', updatedAt: 55 }));
      expect((await repository.getMessage('a3'))?.parentId).toBe('a2');
      expect((await repository.getConversation('c'))?.activeLeafId).toBe('u1');
    });

    it('keeps every alternative of an edit and a regenerate, each shown when written, and moves between them', async () => {
      const repository = await open();
      await linear(repository);

      // Regenerate the last answer, twice: three alternatives, the newest shown.
      await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', parentId: 'u2', status: 'streaming' }));
      await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', content: 'Second try', updatedAt: 55 }));
      await repository.putMessage(message('a2c', 'c', 60, { role: 'assistant', parentId: 'u2' }));
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2c 3/3']);
      expect((await repository.getMessage('a2b'))?.parentId).toBe('u2');

      // Edit the second question: a new branch after the first answer, shown at once.
      await repository.putMessage(message('u2e', 'c', 70, { parentId: 'a1', content: 'Edited question' }));
      await repository.putMessage(message('a2e', 'c', 80, { role: 'assistant' }));
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2e 2/2', 'a2e 1/1']);

      // Previous alternative of the edited question: back to the original branch, where it was left.
      let messages = await repository.listMessages('c');
      await repository.setActiveLeaf('c', leafAfterChoosing(messages, 'u2')!);
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/2', 'a2c 3/3']);

      // Previous alternative of that answer.
      messages = await repository.listMessages('c');
      await repository.setActiveLeaf('c', leafAfterChoosing(messages, 'a2b')!);
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/2', 'a2b 2/3']);
    });

    it('does not reorder the list when the user looks at another alternative', async () => {
      const repository = await open();
      await linear(repository);
      await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', parentId: 'u2' }));
      const before = await repository.getConversation('c');
      const after = await repository.setActiveLeaf('c', 'a2');
      expect(after).toEqual({ ...before, activeLeafId: 'a2' });
      expect(await repository.getConversation('c')).toEqual(after);
    });

    it('ignores a leaf that is not a message of the conversation', async () => {
      const repository = await open();
      await linear(repository);
      await repository.putConversation(conversation('other', 2));
      await repository.putMessage(message('o1', 'other', 5));
      expect(await repository.setActiveLeaf('c', 'o1')).toMatchObject({ activeLeafId: 'a2' });
      expect(await repository.setActiveLeaf('c', 'nothing')).toMatchObject({ activeLeafId: 'a2' });
      expect(await repository.setActiveLeaf('missing', 'a2')).toBeUndefined();
    });

    it('keeps the branch shown when a stale copy of the conversation is written back', async () => {
      const repository = await open();
      const stale = conversation('c', 1);
      await linear(repository);
      await repository.putConversation({ ...stale, title: 'Renamed the old way' });
      expect(await repository.getConversation('c')).toMatchObject({ title: 'Renamed the old way', activeLeafId: 'a2' });
      expect(await repository.renameConversation('c', 'Renamed')).toMatchObject({
        title: 'Renamed',
        activeLeafId: 'a2',
      });
      expect(await shown(repository, 'c')).toHaveLength(4);
    });

    it('deletes a message without cutting the conversation in two: its replies follow its parent', async () => {
      const repository = await open();
      await linear(repository);
      await repository.deleteMessage('a1');
      expect((await repository.getMessage('u2'))?.parentId).toBe('u1');
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'u2 1/1', 'a2 1/1']);
      await repository.deleteMessage('a2');
      expect((await repository.getConversation('c'))?.activeLeafId).toBe('u2');
      // The next message continues from there.
      await repository.putMessage(message('a3', 'c', 90, { role: 'assistant' }));
      expect((await repository.getMessage('a3'))?.parentId).toBe('u2');
      expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'u2 1/1', 'a3 1/1']);
    });

    it('clears a conversation so that it has no leaf and starts again from its next message', async () => {
      const repository = await open();
      await linear(repository);
      await repository.deleteMessages('c');
      expect((await repository.getConversation('c'))?.activeLeafId).toBeUndefined();
      await repository.putMessage(message('n1', 'c', 100));
      expect((await repository.getMessage('n1'))?.parentId).toBeNull();
      expect(await shown(repository, 'c')).toEqual(['n1 1/1']);
    });
  });
}
