import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../src/documents/token-estimate.js';

describe('estimateTokens', () => {
  it('counts ASCII prose at three characters a token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('The quick brown fox.')).toBe(7);
  });

  it('counts every digit as a token, as Mistral splits them', () => {
    expect(estimateTokens('12345.67,89012.34')).toBe(14 + 1);
  });

  it('counts a character outside ASCII, surrogate pairs included, as two', () => {
    expect(estimateTokens('é')).toBe(2);
    expect(estimateTokens('日本')).toBe(4);
    expect(estimateTokens('😀')).toBe(2);
  });
});
