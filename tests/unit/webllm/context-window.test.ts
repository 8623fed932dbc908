import { describe, expect, test } from 'vitest';
import { estimateTokens, fitToContextWindow, TOKENS_PER_TURN } from '../../../src/engines/webllm/context-window.js';
import type { ChatTurn } from '../../../src/engines/types.js';

const user = (content: string): ChatTurn => ({ role: 'user', content });
const assistant = (content: string): ChatTurn => ({ role: 'assistant', content });
const system = (content: string): ChatTurn => ({ role: 'system', content });

/** One token per character makes budgets easy to read. */
const perChar = (text: string): number => text.length;

describe('fitToContextWindow', () => {
  test('a conversation that fits is kept whole', () => {
    const turns = [system('Be brief.'), user('Hi'), assistant('Hello!'), user('How are you?')];
    expect(fitToContextWindow(turns, { contextWindow: 4096, maxNewTokens: 512 })).toEqual({
      turns,
      omittedCount: 0,
      tooLong: false,
    });
  });

  test('the oldest turns go first; the system prompt and the latest turns stay', () => {
    const turns = [
      system('s'.repeat(100 - TOKENS_PER_TURN)),
      user('a'.repeat(400 - TOKENS_PER_TURN)),
      assistant('b'.repeat(400 - TOKENS_PER_TURN)),
      user('c'.repeat(200 - TOKENS_PER_TURN)),
      assistant('d'.repeat(200 - TOKENS_PER_TURN)),
      user('e'.repeat(100 - TOKENS_PER_TURN)),
    ];
    // 1,000 tokens, 300 kept for the reply, 100 for the system prompt: 600 for the conversation.
    const fit = fitToContextWindow(turns, { contextWindow: 1000, maxNewTokens: 300, estimateTokens: perChar });
    expect(fit.turns).toEqual([turns[0], turns[3], turns[4], turns[5]]);
    expect(fit.omittedCount).toBe(2);
    expect(fit.tooLong).toBe(false);
  });

  test('the kept part never opens on an assistant turn', () => {
    const turns = [user('a'.repeat(300)), assistant('b'.repeat(50)), user('c'.repeat(50))];
    const fit = fitToContextWindow(turns, { contextWindow: 400, maxNewTokens: 200, estimateTokens: perChar });
    expect(fit.turns).toEqual([turns[2]]);
    expect(fit.omittedCount).toBe(2);
  });

  test('a last message longer than the reply room is still sent alone when it fits the window', () => {
    const turns = [user('old'), assistant('reply'), user('x'.repeat(700))];
    const fit = fitToContextWindow(turns, { contextWindow: 1000, maxNewTokens: 500, estimateTokens: perChar });
    expect(fit).toEqual({ turns: [turns[2]], omittedCount: 2, tooLong: false });
  });

  test('a last message longer than the whole window is flagged', () => {
    const turns = [system('rules'), user('x'.repeat(2000))];
    const fit = fitToContextWindow(turns, { contextWindow: 1000, maxNewTokens: 100, estimateTokens: perChar });
    expect(fit.tooLong).toBe(true);
    expect(fit.turns).toEqual(turns);
  });

  test('asking for more new tokens than the window holds still leaves room for the conversation', () => {
    const turns = [user('a'.repeat(300)), assistant('b'.repeat(300)), user('c'.repeat(300))];
    const fit = fitToContextWindow(turns, { contextWindow: 4096, maxNewTokens: 8192, estimateTokens: perChar });
    expect(fit.omittedCount).toBe(0);
  });
});

describe('estimateTokens', () => {
  test('errs high: about one token per three ASCII characters, two per other character', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('Hello there!')).toBe(4);
    expect(estimateTokens('日本語')).toBe(6);
    expect(estimateTokens('café')).toBe(3);
  });
});
