import { describe, expect, test } from 'vitest';
import { isStreaming, onlyTheReplyGrew } from '../../../src/app/reply-frames.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import type { AppState } from '../../../src/state/app-state.js';

function message(id: string, content: string): MessageRecord {
  const role = id.startsWith('u') ? 'user' : 'assistant';
  return { id, conversationId: 'c1', role, content, createdAt: 0, updatedAt: 0, status: 'complete' } as MessageRecord;
}

/** Only the fields the decision reads, and one it must compare (`draft`). */
function state(messages: MessageRecord[], streamingMessageId: string | null, draft = { text: '' }): AppState {
  return { messages, conversations: [], streamingMessageId, draft } as unknown as AppState;
}

const question = message('u1', 'Why?');

describe('onlyTheReplyGrew', () => {
  test('is true when the streaming reply got more text and the list moved the conversation', () => {
    const draft = { text: '' };
    const applied = state([question, message('a1', 'Because')], 'a1', draft);
    const next = { ...state([question, message('a1', 'Because it')], 'a1', draft), conversations: [] };
    expect(onlyTheReplyGrew(next, applied)).toBe(true);
  });

  test('is false when anything else in the state changed', () => {
    const applied = state([question, message('a1', 'Because')], 'a1');
    expect(onlyTheReplyGrew(state([question, message('a1', 'Because it')], 'a1'), applied)).toBe(false);
  });

  test('is false when another message changed, one came or went, or the stream ended or changed', () => {
    const draft = { text: '' };
    const applied = state([question, message('a1', 'Because')], 'a1', draft);
    const reply = message('a1', 'Because it');
    expect(onlyTheReplyGrew(state([message('u1', 'How?'), reply], 'a1', draft), applied)).toBe(false);
    expect(onlyTheReplyGrew(state([question, reply, message('u2', 'Ok')], 'a1', draft), applied)).toBe(false);
    expect(onlyTheReplyGrew(state([question, reply], null, draft), applied)).toBe(false);
    expect(onlyTheReplyGrew(state([question, message('a2', 'Other')], 'a2', draft), applied)).toBe(false);
  });
});

test('isStreaming says whether a reply streams', () => {
  expect(isStreaming(state([question], 'a1'))).toBe(true);
  expect(isStreaming(state([question], null))).toBe(false);
});
