import { describe, expect, it } from 'vitest';
import {
  planBranchDeletion,
  planExchangeDeletion,
  planRestore,
  planSingleDeletion,
  type ConversationContents,
} from '../../../src/storage/deletions.js';
import type { StoredMessage } from '../../../src/storage/schema.js';
import { attachment } from '../../fixtures/attachments.js';
import { message } from '../../fixtures/records.js';

function stored(id: string, parentId: string | null, createdAt: number, role: 'user' | 'assistant'): StoredMessage {
  return { ...message(id, 'c', createdAt, { role }), parentId };
}

/** Two roots (the first question was edited): q1 → r1 → q2 → r2, and q1e → r1e, shown: r2. */
function contents(activeLeafId: string | undefined = 'r2'): ConversationContents {
  return {
    conversation: { id: 'c', title: 'T', createdAt: 1, updatedAt: 1, ...(activeLeafId && { activeLeafId }) },
    messages: [
      stored('q1', null, 10, 'user'),
      stored('r1', 'q1', 20, 'assistant'),
      stored('q1e', null, 25, 'user'),
      stored('r1e', 'q1e', 26, 'assistant'),
      stored('q2', 'r1', 30, 'user'),
      stored('r2', 'q2', 40, 'assistant'),
    ],
    attachments: [attachment('f1', 'c', 'q2'), attachment('f0', 'c', 'q1')],
  };
}

describe('deletion plans', () => {
  it('takes the last question of the branch shown with its replies and files, and shows the reply before', () => {
    const plan = planExchangeDeletion(contents())!;
    expect(plan.deleted.messages.map((m) => m.id)).toEqual(['q2', 'r2']);
    expect(plan.deleted.attachments.map((a) => a.id)).toEqual(['f1']);
    expect(plan.conversation?.activeLeafId).toBe('r1');
    expect(plan.deleted).toMatchObject({ activeLeafBefore: 'r2', activeLeafAfter: 'r1' });
  });

  it('finds the last question below the newest message when no leaf is stored', () => {
    const plan = planExchangeDeletion(contents(undefined))!;
    expect(plan.deleted.messages.map((m) => m.id)).toEqual(['q2', 'r2']);
  });

  it('moves to another root’s branch when a whole root goes, and unsets the leaf when nothing is left', () => {
    const first = planBranchDeletion(contents(), 'q1')!;
    expect(first.deleted.messages.map((m) => m.id)).toEqual(['q1', 'r1', 'q2', 'r2']);
    expect(first.conversation?.activeLeafId).toBe('r1e');

    const alone: ConversationContents = { ...contents('r1e'), messages: contents().messages.slice(2, 4) };
    const last = planBranchDeletion(alone, 'q1e')!;
    expect(last.conversation).not.toBeNull();
    expect(last.conversation?.activeLeafId).toBeUndefined();
    expect('activeLeafId' in last.conversation!).toBe(false);
  });

  it('survives a loop a damaged database could hold', () => {
    const looped: ConversationContents = {
      ...contents('b'),
      messages: [stored('a', 'b', 1, 'user'), stored('b', 'a', 2, 'assistant')],
      attachments: [],
    };
    const plan = planBranchDeletion(looped, 'a');
    expect(plan?.deleted.messages.map((m) => m.id).sort()).toEqual(['a', 'b']);
  });

  it('plans nothing for a message that is not there', () => {
    expect(planBranchDeletion(contents(), 'nope')).toBeUndefined();
    expect(planSingleDeletion(contents(), 'nope')).toBeUndefined();
    expect(planExchangeDeletion({ ...contents(), messages: [] })).toBeUndefined();
  });

  it('deleting one message re-parents its children and keeps what they were for Undo', () => {
    const plan = planSingleDeletion(contents(), 'r1')!;
    expect(plan.writes.map((m) => [m.id, m.parentId])).toEqual([['q2', 'q1']]);
    expect(plan.deleted.rewritten.map((m) => [m.id, m.parentId])).toEqual([['q2', 'r1']]);
    expect(plan.conversation).toBeNull();
  });

  it('restores the leaf only when nothing moved it since, and nothing into a conversation that is gone', () => {
    const { deleted } = planExchangeDeletion(contents())!;
    const after = { id: 'c', title: 'T', createdAt: 1, updatedAt: 1, activeLeafId: 'r1' };
    expect(planRestore(deleted, after)?.conversation?.activeLeafId).toBe('r2');
    expect(planRestore(deleted, { ...after, activeLeafId: 'q3' })?.conversation).toBeNull();
    expect(planRestore(deleted, undefined)).toBeNull();
    expect(planRestore(deleted, after)?.messages.map((m) => m.id)).toEqual(['q2', 'r2']);
  });
});
