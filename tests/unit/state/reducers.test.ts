import { describe, expect, test } from 'vitest';
import {
  addAlert,
  historyForEngine,
  markInterrupted,
  titleFromText,
  upsertConversation,
  upsertMessage,
} from '../../../src/state/reducers.js';
import type { MessageRecord } from '../../../src/domain/records.js';

const message = (id: string, patch: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  conversationId: 'c',
  role: 'user',
  content: id,
  createdAt: 0,
  updatedAt: 0,
  status: 'complete',
  ...patch,
});

describe('reducers', () => {
  test('upsertMessage replaces in place without touching the input', () => {
    const before = [message('a'), message('b')];
    const after = upsertMessage(before, message('b', { content: 'B!' }));
    expect(after.map((m) => m.content)).toEqual(['a', 'B!']);
    expect(before[1]!.content).toBe('b');
    expect(upsertMessage(before, message('c')).map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  test('upsertConversation keeps the list newest first', () => {
    const list = [
      { id: 'x', title: 'x', createdAt: 0, updatedAt: 30 },
      { id: 'y', title: 'y', createdAt: 0, updatedAt: 20 },
    ];
    expect(upsertConversation(list, { id: 'y', title: 'y', createdAt: 0, updatedAt: 40 }).map((c) => c.id)).toEqual([
      'y',
      'x',
    ]);
    expect(upsertConversation(list, { id: 'z', title: 'z', createdAt: 0, updatedAt: 25 }).map((c) => c.id)).toEqual([
      'x',
      'z',
      'y',
    ]);
  });

  test('historyForEngine drops failed and empty replies but keeps stopped ones', () => {
    const history = historyForEngine([
      message('q1'),
      message('failed', { role: 'assistant', status: 'error' }),
      message('q2'),
      message('', { role: 'assistant', status: 'stopped' }),
      message('partial', { role: 'assistant', status: 'stopped' }),
    ]);
    expect(history).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'partial' },
    ]);
  });

  test('titleFromText uses the first non-empty line and cuts long ones at a word', () => {
    expect(titleFromText('\n\n  What is   WebGPU?\nmore')).toBe('What is WebGPU?');
    const long = titleFromText('Explain the difference between prefill and decode throughput on consumer GPUs please');
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long).toBe('Explain the difference between prefill and decode…');
    expect(titleFromText('   ')).toBe('New chat');
  });

  test('addAlert ignores a duplicate message and keeps the newest three', () => {
    let alerts = addAlert([], { id: 1, message: 'a' });
    alerts = addAlert(alerts, { id: 2, message: 'a' });
    expect(alerts).toHaveLength(1);
    for (const id of [3, 4, 5]) alerts = addAlert(alerts, { id, message: `m${id}` });
    expect(alerts.map((a) => a.id)).toEqual([3, 4, 5]);
  });

  test('markInterrupted flags only replies nobody wrote for five seconds', () => {
    const messages = [
      message('stale', { role: 'assistant', status: 'streaming', updatedAt: 1_000 }),
      message('live', { role: 'assistant', status: 'streaming', updatedAt: 9_000 }),
    ];
    expect(markInterrupted(messages, 10_000).map((m) => m.status)).toEqual(['interrupted', 'streaming']);
    expect(messages.map((m) => m.status)).toEqual(['streaming', 'streaming']);
  });

  test("markInterrupted never marks this tab's own stream, and returns the same list when nothing is stale", () => {
    const messages = [message('mine', { role: 'assistant', status: 'streaming', updatedAt: 1_000 })];
    expect(markInterrupted(messages, 60_000, 'mine')).toBe(messages);
    expect(markInterrupted(messages, 2_000)).toBe(messages);
  });
});
