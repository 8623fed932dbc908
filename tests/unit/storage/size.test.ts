import { describe, expect, it } from 'vitest';
import { approximateSize, utf8Length } from '../../../src/storage/size.js';

describe('utf8Length', () => {
  it('counts bytes as UTF-8 encodes them, for every width of character', () => {
    for (const text of ['', 'plain', 'crème brûlée', '日本語のテキスト', 'emoji 🎉👍🏽', 'mixed é 日 🎉 a']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('approximateSize', () => {
  it('comes close to the size of the records written as JSON', () => {
    const records = [
      { id: 'a', conversationId: 'c', content: 'Bonjour, ça va ? 🎉'.repeat(50), createdAt: 1_700_000_000_000 },
      { id: 'b', usage: { promptTokens: 12, completionTokens: 400 }, parentId: null, error: undefined },
    ];
    const exact = new TextEncoder().encode(JSON.stringify(records)).length;
    expect(approximateSize(records)).toBeGreaterThan(exact * 0.9);
    expect(approximateSize(records)).toBeLessThan(exact * 1.1);
  });
});
