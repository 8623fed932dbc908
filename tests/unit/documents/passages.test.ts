import { describe, expect, it } from 'vitest';
import { splitPassages } from '../../../src/documents/passages.js';
import { estimateTokens } from '../../../src/documents/token-estimate.js';

const sentence = (index: number): string => `Sentence number ${index} talks about topic ${index % 7}.`;
const paragraph = (from: number, count: number): string =>
  Array.from({ length: count }, (_, index) => sentence(from + index)).join(' ');

describe('splitPassages', () => {
  it('keeps a short text as one passage, trimmed', () => {
    expect(splitPassages('\n\n  Hello there.  \n')).toEqual([{ start: 4, end: 16 }]);
  });

  it('packs whole paragraphs up to the limit and cuts between them', () => {
    const paragraphs = Array.from({ length: 12 }, (_, index) => paragraph(index * 10, 10));
    const text = paragraphs.join('\n\n');
    const passages = splitPassages(text, { maxTokens: 400 });
    expect(passages.length).toBeGreaterThan(2);
    for (const { start, end } of passages) {
      const passage = text.slice(start, end);
      expect(estimateTokens(passage)).toBeLessThanOrEqual(400);
      // Each passage starts at a paragraph's start and ends at a paragraph's end.
      expect(paragraphs.some((item) => passage.startsWith(item))).toBe(true);
      expect(paragraphs.some((item) => passage.endsWith(item))).toBe(true);
    }
  });

  it('covers all the text, in order, without overlap', () => {
    const text = Array.from({ length: 30 }, (_, index) => paragraph(index * 5, 5)).join('\n\n');
    const passages = splitPassages(text, { maxTokens: 200 });
    const rejoined = passages.map(({ start, end }) => text.slice(start, end)).join('\n\n');
    expect(rejoined).toBe(text);
    passages.slice(1).forEach((passage, index) => expect(passage.start).toBeGreaterThan(passages[index]!.end));
  });

  it('splits a paragraph longer than a passage at sentence ends', () => {
    const text = paragraph(0, 80);
    const passages = splitPassages(text, { maxTokens: 100 });
    expect(passages.length).toBeGreaterThan(3);
    for (const { start, end } of passages) {
      expect(text.slice(start, end)).toMatch(/^Sentence number \d+.*\.$/);
      expect(estimateTokens(text.slice(start, end))).toBeLessThanOrEqual(100);
    }
  });

  it('cuts one unbroken run (minified code, base64) by the estimate, never between surrogate halves', () => {
    const text = '😀'.repeat(300) + 'x'.repeat(3000);
    const passages = splitPassages(text, { maxTokens: 100 });
    expect(passages.map(({ start, end }) => text.slice(start, end)).join('')).toBe(text);
    for (const { start, end } of passages) {
      expect(estimateTokens(text.slice(start, end))).toBeLessThanOrEqual(100);
      expect(text.charCodeAt(start)).not.toBeOneOf([...Array(0x400).keys()].map((offset) => 0xdc00 + offset));
    }
  });

  it('has no passage for blank text', () => {
    expect(splitPassages(' \n\n\t ')).toEqual([]);
  });
});
