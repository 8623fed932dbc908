import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../../src/domain/records.js';
import { leafAfterChoosing, MessageTree, visiblePath } from '../../../src/domain/branches.js';

function msg(
  id: string,
  parentId: string | null,
  createdAt: number,
  changes: Partial<MessageRecord> = {},
): MessageRecord {
  return {
    id,
    conversationId: 'c',
    parentId,
    role: id.startsWith('u') ? 'user' : 'assistant',
    content: `text of ${id}`,
    createdAt,
    updatedAt: createdAt,
    status: 'complete',
    ...changes,
  };
}

/** "id position/count" for each step of the path, e.g. "u2 2/3". */
function shown(messages: readonly MessageRecord[], activeLeafId?: string): string[] {
  return visiblePath(messages, activeLeafId).map((entry) => `${entry.message.id} ${entry.position}/${entry.count}`);
}

/**
 * u1 → a1 → u2 → a2          the first exchange, then a question and its answer
 *             ↘ a2b          the answer regenerated
 *        ↘ u2e → a2e         the question edited, and the answer to the edit
 */
const conversation: MessageRecord[] = [
  msg('u1', null, 1),
  msg('a1', 'u1', 2),
  msg('u2', 'a1', 3),
  msg('a2', 'u2', 4),
  msg('a2b', 'u2', 5),
  msg('u2e', 'a1', 6),
  msg('a2e', 'u2e', 7),
];

describe('visiblePath', () => {
  it('shows a linear conversation in order, with no alternatives', () => {
    const linear = [msg('u1', null, 1), msg('a1', 'u1', 2), msg('u2', 'a1', 3)];
    expect(shown(linear, 'u2')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1']);
  });

  it('shows the branch that ends at the active leaf, with each message numbered among its alternatives', () => {
    expect(shown(conversation, 'a2b')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/2', 'a2b 2/2']);
    expect(shown(conversation, 'a2e')).toEqual(['u1 1/1', 'a1 1/1', 'u2e 2/2', 'a2e 1/1']);
  });

  it('names the previous and next alternatives of each message', () => {
    const path = visiblePath(conversation, 'a2');
    expect(path.map(({ previousId, nextId }) => [previousId, nextId])).toEqual([
      [null, null],
      [null, null],
      [null, 'u2e'],
      [null, 'a2b'],
    ]);
  });

  it('continues below an active message that has replies, through the most recently updated one', () => {
    expect(shown(conversation, 'u2')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/2', 'a2b 2/2']);
  });

  it('shows the branch of the newest message when the active leaf is unknown or was deleted', () => {
    expect(shown(conversation)).toEqual(['u1 1/1', 'a1 1/1', 'u2e 2/2', 'a2e 1/1']);
    expect(shown(conversation, 'deleted')).toEqual(shown(conversation));
  });

  it('numbers alternative first messages (an edited first question) as roots', () => {
    const edited = [msg('u1', null, 1), msg('a1', 'u1', 2), msg('u1e', null, 3)];
    expect(shown(edited, 'u1e')).toEqual(['u1e 2/2']);
    expect(shown(edited, 'a1')).toEqual(['u1 1/2', 'a1 1/1']);
  });

  it('shows nothing for a conversation without messages', () => {
    expect(visiblePath([], undefined)).toEqual([]);
    expect(visiblePath([], 'anything')).toEqual([]);
  });

  it('treats a message whose parent is missing as a root, and survives a loop of parents', () => {
    const damaged = [msg('u1', 'missing', 1), msg('a1', 'u1', 2), msg('x', 'y', 3), msg('y', 'x', 4)];
    expect(shown(damaged, 'a1')).toEqual(['u1 1/1', 'a1 1/1']);
    const loop = visiblePath(damaged, 'y').map((entry) => entry.message.id);
    expect(new Set(loop).size).toBe(loop.length);
    expect(loop).toContain('y');
  });

  it('orders alternatives by creation, whatever order the messages come in', () => {
    expect(shown([...conversation].reverse(), 'a2b')).toEqual(shown(conversation, 'a2b'));
  });
});

describe('leafAfterChoosing', () => {
  it('moves to the branch under the chosen alternative', () => {
    // Previous alternative of u2e is u2: its most recently updated reply is the regenerated one.
    expect(leafAfterChoosing(conversation, 'u2')).toBe('a2b');
    expect(leafAfterChoosing(conversation, 'u2e')).toBe('a2e');
    expect(leafAfterChoosing(conversation, 'a2')).toBe('a2');
  });

  it('follows the reply updated last, not the one created last', () => {
    const revisited = conversation.map((m) => (m.id === 'a2' ? { ...m, updatedAt: 100 } : m));
    expect(leafAfterChoosing(revisited, 'u2')).toBe('a2');
  });

  it('gives null for a message that does not exist', () => {
    expect(leafAfterChoosing(conversation, 'nope')).toBeNull();
  });
});

describe('MessageTree', () => {
  const tree = new MessageTree(conversation);

  it('gives the path from the root to any message: the history a regenerate answers', () => {
    expect(tree.pathTo('u2e').map((m) => m.id)).toEqual(['u1', 'a1', 'u2e']);
    expect(tree.pathTo('nope')).toEqual([]);
  });

  it('lists the alternatives of a message and the replies to it', () => {
    expect(tree.alternativesOf('a2b').map((m) => m.id)).toEqual(['a2', 'a2b']);
    expect(tree.childrenOf('a1').map((m) => m.id)).toEqual(['u2', 'u2e']);
    expect(tree.childrenOf(null).map((m) => m.id)).toEqual(['u1']);
  });

  it('handles a conversation of 5,000 messages with many alternatives', () => {
    const messages: MessageRecord[] = [];
    let parent: string | null = null;
    for (let i = 0; i < 5_000; i++) {
      const id = `m${i}`;
      messages.push(msg(id, parent, i));
      // Every tenth message gets an alternative that the path does not take.
      if (i % 10 === 0) messages.push(msg(`alt${i}`, parent, i - 0.5));
      parent = id;
    }
    const path = visiblePath(messages, 'm4999');
    expect(path).toHaveLength(5_000);
    expect(path[10]).toMatchObject({ position: 2, count: 2, previousId: 'alt10', nextId: null });
  });
});
