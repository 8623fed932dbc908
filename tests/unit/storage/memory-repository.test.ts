import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../../src/state/types.js';
import { exportAll, parseBackup } from '../../../src/storage/backup.js';
import { leafAfterChoosing, visiblePath } from '../../../src/storage/branches.js';
import { MemoryRepository } from '../../../src/storage/memory-repository.js';
import { message } from '../../fixtures/records.js';

function conversation(id: string, updatedAt = 1): ConversationRecord {
  return { id, title: `Conversation ${id}`, createdAt: 1, updatedAt };
}

async function shown(repository: MemoryRepository, conversationId: string): Promise<string[]> {
  const stored = await repository.getConversation(conversationId);
  const path = visiblePath(await repository.listMessages(conversationId), stored?.activeLeafId);
  return path.map((entry) => `${entry.message.id} ${entry.position}/${entry.count}`);
}

/** A conversation as a controller would write it, knowing nothing of parents: question, answer, question. */
async function linear(repository: MemoryRepository): Promise<void> {
  await repository.putConversation(conversation('c'));
  await repository.putMessage(message('u1', 'c', 10));
  await repository.putMessage(message('a1', 'c', 20, { role: 'assistant' }));
  await repository.putMessage(message('u2', 'c', 30));
}

describe('MemoryRepository branches', () => {
  it('links messages written without a parent one after another, and shows the newest as the leaf', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    expect((await repository.listMessages('c')).map((m) => [m.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
      ['u2', 'a1'],
    ]);
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('u2');
  });

  it('keeps the parent of a reply through its streaming updates, and does not move the leaf for them', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.putMessage(message('a2', 'c', 40, { role: 'assistant', content: 'Hel', status: 'streaming' }));
    await repository.setActiveLeaf('c', 'u1');
    await repository.putMessage(message('a2', 'c', 40, { role: 'assistant', content: 'Hello', updatedAt: 50 }));
    expect((await repository.getMessage('a2'))?.parentId).toBe('u2');
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('u1');
  });

  it('makes an edit and a regenerate alternatives, each shown when written, and switches between them', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.putMessage(message('a2', 'c', 40, { role: 'assistant', parentId: 'u2' }));
    // Regenerate: a new reply to the same question.
    await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', parentId: 'u2' }));
    expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2b 2/2']);
    // Edit: the second question asked differently, after the same answer.
    await repository.putMessage(message('u2e', 'c', 60, { parentId: 'a1', content: 'Asked again' }));
    expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2e 2/2']);

    // Previous alternative of u2e.
    const leaf = leafAfterChoosing(await repository.listMessages('c'), 'u2');
    await repository.setActiveLeaf('c', leaf!);
    expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/2', 'a2b 2/2']);
  });

  it('keeps the active leaf when a stale copy of the conversation is written back (a rename)', async () => {
    const repository = new MemoryRepository();
    const stale = conversation('c');
    await linear(repository);
    await repository.putConversation({ ...stale, title: 'Renamed' });
    expect(await repository.getConversation('c')).toMatchObject({ title: 'Renamed', activeLeafId: 'u2' });
    expect(await repository.renameConversation('c', 'Again')).toMatchObject({ title: 'Again', activeLeafId: 'u2' });
    expect(await repository.renameConversation('missing', 'x')).toBeUndefined();
  });

  it('refuses to show a message of another conversation', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.putConversation(conversation('other'));
    await repository.putMessage(message('o1', 'other', 5));
    expect(await repository.setActiveLeaf('c', 'o1')).toMatchObject({ activeLeafId: 'u2' });
  });

  it('deleting a message keeps the conversation whole: its replies follow its parent', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.deleteMessage('a1');
    expect((await repository.listMessages('c')).map((m) => [m.id, m.parentId])).toEqual([
      ['u1', null],
      ['u2', 'u1'],
    ]);
    await repository.deleteMessage('u2');
    expect((await repository.getConversation('c'))?.activeLeafId).toBe('u1');
    // The next message continues from there.
    await repository.putMessage(message('a9', 'c', 90, { role: 'assistant' }));
    expect((await repository.getMessage('a9'))?.parentId).toBe('u1');
  });

  it('clearing a conversation leaves it with no leaf, and the next message starts it again', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.deleteMessages('c');
    expect((await repository.getConversation('c'))?.activeLeafId).toBeUndefined();
    await repository.putMessage(message('n1', 'c', 100));
    expect((await repository.getMessage('n1'))?.parentId).toBeNull();
  });
});

describe('MemoryRepository delete and undo', () => {
  it('gives back everything it deleted, and puts it back as it was', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    const before = {
      conversation: await repository.getConversation('c'),
      messages: await repository.listMessages('c'),
    };
    const deleted = await repository.deleteConversation('c');
    expect(await repository.listConversations()).toEqual([]);
    expect(await repository.listMessages('c')).toEqual([]);

    await repository.restoreConversation(deleted!);
    expect(await repository.getConversation('c')).toEqual(before.conversation);
    expect(await repository.listMessages('c')).toEqual(before.messages);
  });

  it('gives nothing back for a conversation that does not exist', async () => {
    expect(await new MemoryRepository().deleteConversation('nope')).toBeUndefined();
  });
});

describe('MemoryRepository search, backup and size', () => {
  it('searches titles and every branch', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    await repository.putMessage(message('alt', 'c', 70, { parentId: 'u1', role: 'assistant', content: 'Un café ?' }));
    const results = await repository.searchConversations('CAFE');
    expect(results).toMatchObject([{ conversationId: 'c', matches: [{ messageId: 'alt', snippet: 'Un café ?' }] }]);
  });

  it('exports and imports into another repository without overwriting what it holds', async () => {
    const source = new MemoryRepository();
    await linear(source);
    const target = new MemoryRepository();
    await target.putConversation(conversation('c', 5));
    await target.putMessage(message('u1', 'c', 1, { content: 'Already here' }));
    const parsed = parseBackup(await exportAll(source));
    if (!parsed.ok) throw new Error(parsed.message);

    const summary = await target.importBackup(parsed.data);
    expect(summary).toMatchObject({ conversations: 1, messages: 3, skipped: 0 });
    expect(await target.getMessage('u1')).toMatchObject({ content: 'Already here' });
    const [importedId] = summary.conversationIds;
    expect(importedId).not.toBe('c');
    expect((await target.listMessages(importedId!)).map((m) => m.content)).toEqual([
      'Message u1',
      'Message a1',
      'Message u2',
    ]);
    expect(await shown(target, importedId!)).toHaveLength(3);

    expect(await target.importBackup(parsed.data)).toMatchObject({ conversations: 0, skipped: 1 });
  });

  it('counts and sizes the conversations', async () => {
    const repository = new MemoryRepository();
    await linear(repository);
    const size = await repository.measureConversations();
    expect(size).toMatchObject({ conversations: 1, messages: 3 });
    expect(size.approximateBytes).toBeGreaterThan(3 * 'Message u1'.length);
  });
});
