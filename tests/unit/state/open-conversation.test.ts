import { describe, expect, test } from 'vitest';
import { ChangeBatch } from '../../../src/state/change-batch.js';
import { mergeConversation, mergeMessages, replaceMessage, viewOf } from '../../../src/state/open-conversation.js';
import type { MessageRecord } from '../../../src/domain/records.js';

const message = (id: string, patch: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  conversationId: 'c',
  role: 'user',
  content: id,
  createdAt: 0,
  updatedAt: 0,
  status: 'complete',
  parentId: null,
  ...patch,
});

describe('viewOf', () => {
  test('shows the branch down to the leaf, with "2 / 3" only where there are alternatives', () => {
    const messages = [
      message('q', { createdAt: 1 }),
      message('r1', { role: 'assistant', parentId: 'q', createdAt: 2 }),
      message('r2', { role: 'assistant', parentId: 'q', createdAt: 3 }),
      message('r3', { role: 'assistant', parentId: 'q', createdAt: 4 }),
    ];
    const view = viewOf({ id: 'c', messages, leafId: 'r2' });
    expect(view.messages.map((m) => m.id)).toEqual(['q', 'r2']);
    expect(view.alternatives).toEqual({ r2: { position: 2, count: 3, previousId: 'r1', nextId: 'r3' } });
    expect(viewOf(null)).toEqual({ messages: [], alternatives: {}, branchSizes: {} });
  });

  test('counts, for each message shown, what its Delete takes: itself and every branch below it', () => {
    const messages = [
      message('q', { createdAt: 1 }),
      message('r1', { role: 'assistant', parentId: 'q', createdAt: 2 }),
      message('q2', { parentId: 'r1', createdAt: 3 }),
      message('q2-edit', { parentId: 'r1', createdAt: 4 }),
      message('r2', { role: 'assistant', parentId: 'q2-edit', createdAt: 5 }),
      message('r2-again', { role: 'assistant', parentId: 'q2-edit', createdAt: 6 }),
    ];
    const view = viewOf({ id: 'c', messages, leafId: 'r2' });
    expect(view.messages.map((m) => m.id)).toEqual(['q', 'r1', 'q2-edit', 'r2']);
    expect(view.branchSizes).toEqual({ q: 6, r1: 5, 'q2-edit': 3, r2: 1 });
  });

  test('of the newest messages only, starts where the parent was read, so no count of alternatives is short', () => {
    // Read: the newest four. "a1" and its alternative "a0" (not read) both follow "q" (not read either).
    const newest = [
      message('a1', { role: 'assistant', parentId: 'q', createdAt: 3 }),
      message('q2', { parentId: 'a1', createdAt: 4 }),
      message('b1', { role: 'assistant', parentId: 'q2', createdAt: 5 }),
      message('b2', { role: 'assistant', parentId: 'q2', createdAt: 6 }),
    ];
    const view = viewOf({ id: 'c', messages: newest, leafId: 'b2', partial: true });
    expect(view.messages.map((m) => m.id)).toEqual(['q2', 'b2']);
    expect(view.alternatives).toEqual({ b2: { position: 2, count: 2, previousId: 'b1', nextId: null } });
    // Read whole, a root is a root.
    expect(viewOf({ id: 'c', messages: [message('q'), ...newest], leafId: 'b2', partial: true }).messages).toHaveLength(
      4,
    );
  });
});

describe('mergeMessages', () => {
  const held = [message('a', { updatedAt: 5 }), message('mine', { updatedAt: 9, content: 'streamed so far' })];

  test('takes newer copies from storage, keeps newer or equal ones held, and adds what is new', () => {
    const read = [message('a', { updatedAt: 7, content: 'edited elsewhere' }), message('new', { updatedAt: 8 })];
    const merged = mergeMessages(held, read, () => false, new Set());
    expect(merged.map((m) => m.content)).toEqual(['edited elsewhere', 'streamed so far', 'new']);

    const stale = [message('a', { updatedAt: 5, content: 'same time' })];
    expect(mergeMessages(held, stale, () => false, new Set())[0]?.content).toBe('a');
  });

  test('drops what storage no longer has, except the messages it must keep', () => {
    expect(mergeMessages(held, [], () => true, new Set()).map((m) => m.id)).toEqual([]);
    expect(mergeMessages(held, [], () => true, new Set(['mine'])).map((m) => m.id)).toEqual(['mine']);
    expect(mergeMessages(held, [], (id) => id === 'a', new Set()).map((m) => m.id)).toEqual(['mine']);
  });

  test('a kept message wins even over a newer stored copy', () => {
    const read = [message('mine', { updatedAt: 99, content: 'older words, later clock' })];
    expect(mergeMessages(held, read, () => false, new Set(['mine']))[1]?.content).toBe('streamed so far');
  });
});

describe('replaceMessage and mergeConversation', () => {
  test('replaceMessage replaces in place, and returns the same list when the message is not there', () => {
    const list = [message('a'), message('b')];
    expect(replaceMessage(list, message('b', { content: 'B' })).map((m) => m.content)).toEqual(['a', 'B']);
    expect(replaceMessage(list, message('z'))).toBe(list);
  });

  test('mergeConversation takes the stored title but never an older update time', () => {
    const held = { id: 'c', title: 'Old', createdAt: 0, updatedAt: 50 };
    expect(mergeConversation(held, { ...held, title: 'New', updatedAt: 40 })).toEqual({ ...held, title: 'New' });
    expect(mergeConversation(held, { ...held, updatedAt: 60 }).updatedAt).toBe(60);
    expect(mergeConversation(undefined, held)).toBe(held);
  });
});

describe('ChangeBatch', () => {
  test('gathers notices: messages to re-read one by one, unless a notice asked for the whole conversation', () => {
    const batch = new ChangeBatch();
    batch.add({ conversationIds: ['c'], messageIds: ['m1'] });
    batch.add({ conversationIds: ['c'], messageIds: ['m2'] });
    expect([...batch.messageIds]).toEqual(['m1', 'm2']);
    expect(batch.rereadMessages.size).toBe(0);

    batch.add({ conversationIds: ['d'] });
    batch.add({ conversationIds: [], settings: true });
    expect([...batch.conversationIds]).toEqual(['c', 'd']);
    expect([...batch.rereadMessages]).toEqual(['d']);
    expect(batch.settings).toBe(true);
  });
});
