import { describe, expect, it } from 'vitest';
import {
  containsAll,
  findRanges,
  foldForSearch,
  foldWithOffsets,
  makeSnippet,
  parseQuery,
  type Range,
} from '../../../src/storage/search-text.js';

/** The highlighted parts of a text, as the UI would mark them. */
function marked(text: string, ranges: readonly Range[]): string[] {
  return ranges.map(([start, end]) => text.slice(start, end));
}

describe('foldForSearch', () => {
  it('ignores case and accents', () => {
    expect(foldForSearch('Été à Noël, CAFÉ Crème')).toBe('ete a noel, cafe creme');
    expect(foldForSearch('Ångström, naïve, façade, Żółć')).toBe('angstrom, naive, facade, zolc');
  });

  it('spells out the letters a reader takes for plain ones: ß, æ, œ, ø, ł, đ, ð, ħ and Turkish ı and İ', () => {
    expect(foldForSearch('Straße STRASSE GROẞ')).toBe('strasse strasse gross');
    expect(foldForSearch('Æsop, cœur, ŒUVRE, Ærø, Łódź, Đorđe, Ðór, Ħamrun')).toBe(
      'aesop, coeur, oeuvre, aero, lodz, dorde, dor, hamrun',
    );
    expect(foldForSearch('ışık İSTANBUL Istanbul')).toBe('isik istanbul istanbul');
  });

  it('folds compatibility forms: ligatures, full-width letters, superscripts', () => {
    expect(foldForSearch('ﬁle Ｗｉｄｅ x²')).toBe('file wide x2');
  });

  it('treats both Greek sigmas as one letter', () => {
    expect(foldForSearch('ΟΔΟΣ')).toBe(foldForSearch('οδοσ'));
  });

  it('removes every combining mark, in and beyond the Basic Multilingual Plane', () => {
    const letters: Record<string, string> = {
      ß: 'ss',
      æ: 'ae',
      œ: 'oe',
      ı: 'i',
      ø: 'o',
      ł: 'l',
      đ: 'd',
      ð: 'd',
      ħ: 'h',
    };
    const reference = (text: string) =>
      text
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/ς/g, 'σ')
        .replace(/[ßæœıøłđðħ]/g, (letter) => letters[letter] ?? letter);
    let everyUnit = '';
    for (let code = 0; code < 0x10000; code++)
      if (code < 0xd800 || code > 0xdfff) everyUnit += String.fromCharCode(code);
    expect(foldForSearch(everyUnit)).toBe(reference(everyUnit));
    const astral = 'a\u{1D167}b\u{E0100}c\u{11001}d 🎉\u{1F3FD} e\u0301';
    expect(foldForSearch(astral)).toBe(reference(astral));
    expect(foldForSearch(astral)).toBe('abcd 🎉\u{1F3FD} e');
  });

  it('folds a text whole exactly as it folds code point by code point, so offsets map back', () => {
    const samples = [
      'Crème brûlée — ΟΔΟΣ İstanbul ﬁne ㎆ 🎉 Ｗｉｄｅ e\u0301 한국어 straße STRAẞE ışık Æsop cœur ᴭ',
      'plain ASCII text, Mixed Case.',
      'Σ alone, ΣΑΣ, x\u0308\u0301y',
    ];
    for (const sample of samples) {
      expect(foldWithOffsets(sample).text).toBe(foldForSearch(sample));
    }
  });
});

describe('parseQuery', () => {
  it('splits a query into folded words, longest first, without repeats', () => {
    expect(parseQuery('  Lyon  TRIP lyon ')).toEqual(['lyon', 'trip'].sort((a, b) => b.length - a.length));
    expect(parseQuery('Crème brûlée')).toEqual(['brulee', 'creme']);
  });

  it('gives no terms for an empty or blank query', () => {
    expect(parseQuery('')).toEqual([]);
    expect(parseQuery(' \n\t ')).toEqual([]);
    expect(containsAll('anything', parseQuery(''))).toBe(false);
  });

  it('keeps at most eight terms', () => {
    expect(parseQuery('a b c d e f g h i j k')).toHaveLength(8);
  });
});

describe('findRanges', () => {
  it('finds a word whatever its case and accents, and points at the original text', () => {
    const text = 'We drank a CAFÉ crème at the Café de Flore.';
    expect(marked(text, findRanges(text, parseQuery('cafe')))).toEqual(['CAFÉ', 'Café']);
  });

  it('maps through characters that fold to several, or to nothing', () => {
    const text = 'The ﬁle is naïve: e\u0301te\u0301.';
    expect(marked(text, findRanges(text, parseQuery('file')))).toEqual(['ﬁle']);
    expect(marked(text, findRanges(text, parseQuery('ete')))).toEqual(['e\u0301te\u0301']);
    expect(marked(text, findRanges(text, parseQuery('NAIVE')))).toEqual(['naïve']);
  });

  it('finds "Straße" when searching "strasse" and the reverse, highlighting exactly the original spelling', () => {
    const text = 'Wir wohnen in der Hauptstraße 5, nicht in der Bahnhofstrasse.';
    expect(marked(text, findRanges(text, parseQuery('strasse')))).toEqual(['straße', 'strasse']);
    expect(marked(text, findRanges(text, parseQuery('STRASSE')))).toEqual(['straße', 'strasse']);
    expect(marked(text, findRanges(text, parseQuery('Straße')))).toEqual(['straße', 'strasse']);
    const title = 'Straße';
    expect(findRanges(title, parseQuery('strasse'))).toEqual([[0, 6]]);
    expect(findRanges('STRAẞE', parseQuery('straße'))).toEqual([[0, 6]]);
  });

  it('highlights the whole ß when a match starts or ends inside its "ss"', () => {
    const text = 'Straße';
    expect(marked(text, findRanges(text, parseQuery('stras')))).toEqual(['Straß']);
    expect(marked(text, findRanges(text, parseQuery('se')))).toEqual(['ße']);
    expect(marked(text, findRanges(text, parseQuery('ass')))).toEqual(['aß']);
  });

  it('maps the ranges right after a ß, when the folded text is longer than the original', () => {
    const text = 'Große Straße, große Grüße';
    expect(marked(text, findRanges(text, parseQuery('grusse')))).toEqual(['Grüße']);
    expect(marked(text, findRanges(text, parseQuery('e,')))).toEqual(['e,']);
  });

  it('finds ligatures, æ, œ, ø and Turkish ı and İ by their plain spelling, and the reverse', () => {
    const text = 'Æsop ate œufs in the ﬁeld near Ærø, then flew to İstanbul and saw ışık.';
    expect(marked(text, findRanges(text, parseQuery('aesop oeufs field aero')))).toEqual([
      'Æsop',
      'œufs',
      'ﬁeld',
      'Ærø',
    ]);
    expect(marked(text, findRanges(text, parseQuery('istanbul isik')))).toEqual(['İstanbul', 'ışık']);
    expect(marked('Aesop oeufs field', findRanges('Aesop oeufs field', parseQuery('Æsop œufs ﬁeld')))).toEqual([
      'Aesop',
      'oeufs',
      'field',
    ]);
  });

  it('keeps surrogate pairs whole', () => {
    const text = 'Party 🎉 time 🎉!';
    expect(marked(text, findRanges(text, parseQuery('🎉')))).toEqual(['🎉', '🎉']);
  });

  it('merges overlapping matches of several terms into one range', () => {
    const text = 'sunflower';
    expect(marked(text, findRanges(text, parseQuery('sun flower unfl')))).toEqual(['sunflower']);
  });

  it('finds nothing for no terms', () => {
    expect(findRanges('text', [])).toEqual([]);
  });
});

describe('makeSnippet', () => {
  it('gives a short text whole, with its matches', () => {
    const text = 'Bonjour Lyon';
    const snippet = makeSnippet(text, findRanges(text, ['lyon']));
    expect(snippet).toEqual({ snippet: 'Bonjour Lyon', ranges: [[8, 12]] });
  });

  it('cuts a long text around the first match, at spaces, with ellipses', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    words[120] = 'Needle';
    const text = words.join(' ');
    const { snippet, ranges } = makeSnippet(text, findRanges(text, ['needle']), { maxLength: 80, before: 20 });
    expect(snippet.startsWith('…word')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(82);
    expect(marked(snippet, ranges)).toEqual(['Needle']);
    // Cut between words, never inside one.
    expect(
      snippet
        .slice(1, -1)
        .split(' ')
        .every((word) => /^(word\d+|Needle)$/.test(word)),
    ).toBe(true);
  });

  it('puts a multi-line message on one line and keeps the highlight on the right words', () => {
    const text = 'First line\n\n  second   line with Café\ttab';
    const { snippet, ranges } = makeSnippet(text, findRanges(text, parseQuery('cafe second')));
    expect(snippet).toBe('First line second line with Café tab');
    expect(marked(snippet, ranges)).toEqual(['second', 'Café']);
  });

  it('keeps every range inside the snippet and drops those outside it', () => {
    const text = `${'a '.repeat(20)}match ${'b '.repeat(200)}match`;
    const { snippet, ranges } = makeSnippet(text, findRanges(text, ['match']), { maxLength: 60 });
    expect(marked(snippet, ranges)).toEqual(['match']);
  });

  it('shows the start of the text when nothing matched', () => {
    expect(makeSnippet('short text', [])).toEqual({ snippet: 'short text', ranges: [] });
  });
});
