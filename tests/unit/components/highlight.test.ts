import { describe, expect, it } from 'vitest';
import { splitByRanges } from '../../../src/components/highlight.js';

describe('splitByRanges', () => {
  it('marks each range and keeps the text between them', () => {
    expect(
      splitByRanges('Un café, deux cafés', [
        [3, 7],
        [14, 18],
      ]),
    ).toEqual([
      { text: 'Un ', marked: false },
      { text: 'café', marked: true },
      { text: ', deux ', marked: false },
      { text: 'café', marked: true },
      { text: 's', marked: false },
    ]);
  });

  it('marks a match at the very start and at the very end', () => {
    expect(
      splitByRanges('Lisbon trip', [
        [0, 6],
        [7, 11],
      ]),
    ).toEqual([
      { text: 'Lisbon', marked: true },
      { text: ' ', marked: false },
      { text: 'trip', marked: true },
    ]);
  });

  it('sorts, merges overlapping ranges, and clamps those past the text', () => {
    expect(
      splitByRanges('abcdef', [
        [4, 99],
        [1, 3],
        [2, 4],
        [-5, 0],
        [5, 5],
      ]),
    ).toEqual([
      { text: 'a', marked: false },
      { text: 'bcdef', marked: true },
    ]);
  });

  it('gives the whole text unmarked without ranges, and nothing for an empty text', () => {
    expect(splitByRanges('plain', [])).toEqual([{ text: 'plain', marked: false }]);
    expect(splitByRanges('', [[0, 3]])).toEqual([]);
  });
});
