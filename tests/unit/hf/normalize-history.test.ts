import { describe, expect, test } from 'vitest';
import { normalizeHistory } from '../../../src/engines/normalize-history.js';
import type { ChatTurn } from '../../../src/engines/types.js';

const user = (content: string): ChatTurn => ({ role: 'user', content });
const assistant = (content: string): ChatTurn => ({ role: 'assistant', content });
const system = (content: string): ChatTurn => ({ role: 'system', content });

describe('normalizeHistory', () => {
  test('always starts with one system turn, even an empty one', () => {
    expect(normalizeHistory([user('Hi')], '')).toEqual([system(''), user('Hi')]);
    expect(normalizeHistory([user('Hi')], 'Be brief.')).toEqual([system('Be brief.'), user('Hi')]);
  });

  test('keeps an alternating conversation as it is', () => {
    const turns = [user('Hi'), assistant('Hello!'), user('How are you?')];

    expect(normalizeHistory(turns, 'Be brief.')).toEqual([system('Be brief.'), ...turns]);
  });

  test('merges system turns found anywhere into the first one, without repeating the prompt', () => {
    const turns = [system('Be brief.'), user('Hi'), assistant('Hello!'), system('Answer in French.'), user('Ça va ?')];

    expect(normalizeHistory(turns, 'Be brief.')).toEqual([
      system('Be brief.\n\nAnswer in French.'),
      user('Hi'),
      assistant('Hello!'),
      user('Ça va ?'),
    ]);
  });

  test('takes the system prompt from a leading system turn when none is given', () => {
    expect(normalizeHistory([system('Be brief.'), user('Hi')], '')).toEqual([system('Be brief.'), user('Hi')]);
  });

  test('joins consecutive user turns with a blank line', () => {
    expect(normalizeHistory([user('First'), user('Second'), user('Third')], '')).toEqual([
      system(''),
      user('First\n\nSecond\n\nThird'),
    ]);
  });

  test('drops empty assistant turns, then joins the user turns they separated', () => {
    const turns = [user('Hi'), assistant(''), user('Hello?'), assistant('  \n'), user('Anyone?')];

    expect(normalizeHistory(turns, '')).toEqual([system(''), user('Hi\n\nHello?\n\nAnyone?')]);
  });

  test('joins consecutive assistant turns', () => {
    const turns = [user('Tell me a story'), assistant('Once upon a time'), assistant('there was a GPU.'), user('More')];

    expect(normalizeHistory(turns, '')).toEqual([
      system(''),
      user('Tell me a story'),
      assistant('Once upon a time\n\nthere was a GPU.'),
      user('More'),
    ]);
  });

  test('ends with a user turn: a trailing assistant turn is dropped', () => {
    expect(normalizeHistory([user('Hi'), assistant('Hello!')], '')).toEqual([system(''), user('Hi')]);
  });

  test('starts the dialogue with a user turn: a leading assistant greeting is dropped', () => {
    expect(normalizeHistory([assistant('How can I help?'), user('Hi')], '')).toEqual([system(''), user('Hi')]);
  });

  test('drops blank user turns', () => {
    expect(normalizeHistory([user('Hi'), user('   ')], '')).toEqual([system(''), user('Hi')]);
  });

  test('returns the system turn alone when there is nothing to answer', () => {
    expect(normalizeHistory([], 'Be brief.')).toEqual([system('Be brief.')]);
    expect(normalizeHistory([assistant('Hello!')], '')).toEqual([system('')]);
  });

  test('does not change the turns it is given', () => {
    const turns = [user('A'), user('B')];

    normalizeHistory(turns, '');

    expect(turns).toEqual([user('A'), user('B')]);
  });
});
