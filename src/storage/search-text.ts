/**
 * Text folding for search: case- and accent-insensitive matching ("Éte" finds "été", "STRASSE" finds "Straße" and
 * "straße" finds "Strasse", "ﬁle" finds "file", "Ærø" finds "aero", "ışık" finds "isik"), and highlight ranges that
 * point back into the original text.
 *
 * Folding is lower case, then NFKD (compatibility decomposition: ligatures, full-width forms, superscripts), then
 * every combining mark removed and the letters NFKD leaves alone but a reader takes for plain ones spelled out
 * ({@link LETTER_FOLDS}: "ß" → "ss", "æ" → "ae", dotless "ı" → "i", "ø" → "o", ...), then lower case again (NFKD can
 * yield capitals, e.g. "㎆" → "MB"), and final sigma written as sigma. Each step works code point by code point apart
 * from final sigma, which is why it is unified: folding a whole text then equals folding each of its code points and
 * joining the pieces, so offsets found in a text folded whole can be mapped back through {@link foldWithOffsets}
 * (one original code point may fold to several units, as "ß" does, or to none, as a combining mark does).
 */

const COMBINING_MARK = /^\p{M}$/u;
const COMBINING_MARKS = /\p{M}/gu;
const FINAL_SIGMA = /ς/g;
const WHITESPACE = /\s/;

/** The most terms a query is split into; the rest are ignored. */
export const MAX_QUERY_TERMS = 8;
/** Longer queries are cut: nobody types more, and each term is searched for in every message. */
export const MAX_QUERY_LENGTH = 200;

/**
 * Folds `text` for matching. The text is lowered whole (native and fast), then each unit that is not ASCII is looked
 * up in a table of what it folds to, filled on first sight by {@link foldCodePoint}; runs of units that fold to
 * themselves are copied as they are. Lowering first is what lets the table hold lower-case letters only, and it
 * changes nothing: folding lowers first anyway, and lowering a lowered text gives it back. It is about three times faster
 * than normalising and stripping every message, which is much of the time the search index takes to fill.
 */
export function foldForSearch(text: string): string {
  const lower = text.toLowerCase();
  // Joined once at the end: a string built by `+=` stays a tree of pieces until first searched, and flattening
  // 100,000 of them made the first search after the index was filled several times slower than the next.
  const pieces: string[] = [];
  let runStart = 0;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code < 0x80) continue;
    const pairs = code >= 0xd800 && code <= 0xdbff && isLowSurrogate(lower.charCodeAt(i + 1));
    const folded = pairs ? foldAstral(lower.slice(i, i + 2)) : foldUnit(code);
    const length = pairs ? 2 : 1;
    if (folded !== null) {
      pieces.push(lower.slice(runStart, i), folded);
      runStart = i + length;
    }
    i += length - 1;
  }
  if (runStart === 0) return lower;
  pieces.push(lower.slice(runStart));
  return pieces.join('');
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * One code point folded the long way: lower case, then NFKD (compatibility decomposition: ligatures, full-width
 * forms, superscripts), then every combining mark removed and the letters NFKD leaves alone spelled out, then lower
 * case again (NFKD can yield capitals, e.g. "㎆" → "MB"), and final sigma written as sigma.
 */
function foldCodePoint(codePoint: string): string {
  const folded = codePoint
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(FOLDED_LETTERS, (letter) => LETTER_FOLDS[letter] ?? letter)
    .toLowerCase();
  return folded.replace(FINAL_SIGMA, 'σ');
}

const UNKNOWN = 0;
const UNCHANGED = 1;
const CHANGED = 2;
/** For each UTF-16 unit: whether it folds to itself, once it has been seen; what it folds to is in `unitFolds`. */
const unitStates = new Uint8Array(0x10000);
const unitFolds: string[] = [];
/** The same for the code points beyond the Basic Multilingual Plane that have been seen. */
const astralFolds = new Map<string, string | null>();

/** What the unit folds to, or `null` when it folds to itself. */
function foldUnit(code: number): string | null {
  let state = unitStates[code];
  if (state === UNKNOWN) {
    const unit = String.fromCharCode(code);
    const folded = foldCodePoint(unit);
    state = folded === unit ? UNCHANGED : CHANGED;
    unitStates[code] = state;
    unitFolds[code] = folded;
  }
  return state === UNCHANGED ? null : (unitFolds[code] ?? null);
}

function foldAstral(pair: string): string | null {
  let folded = astralFolds.get(pair);
  if (folded === undefined) {
    const result = foldCodePoint(pair);
    folded = result === pair ? null : result;
    astralFolds.set(pair, folded);
  }
  return folded;
}

/**
 * Letters without a decomposition that the base-strength collator (and so a reader) takes for plain Latin letters,
 * or for two of them. The Turkish dotless "ı" is folded too, so "isik" finds "ışık"; dotted "İ" needs nothing here, as
 * it lowers to "i" and a combining dot. Capitals are listed as NFKD may produce one after the first lower-casing.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ı: 'i',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ħ: 'h',
  Ħ: 'h',
};
const FOLDED_LETTERS = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/** A folded text and, for each of its UTF-16 units, the span of the original code point it came from. */
export interface FoldedText {
  text: string;
  /** `sourceStart[i]`: offset in the original of the code point that folded unit `i` came from. */
  sourceStart: number[];
  /** `sourceEnd[i]`: the offset just after that code point. */
  sourceEnd: number[];
}

export function foldWithOffsets(original: string): FoldedText {
  let text = '';
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  let offset = 0;
  for (const codePoint of original) {
    const end = offset + codePoint.length;
    const code = codePoint.charCodeAt(0);
    // ASCII folds to itself in lower case; the general path is slow enough to matter on long replies.
    const piece =
      code < 0x80
        ? code >= 0x41 && code <= 0x5a
          ? String.fromCharCode(code + 0x20)
          : codePoint
        : foldForSearch(codePoint);
    text += piece;
    for (let i = 0; i < piece.length; i++) {
      sourceStart.push(offset);
      sourceEnd.push(end);
    }
    offset = end;
  }
  return { text, sourceStart, sourceEnd };
}

/**
 * The folded words of a query, longest first (the rarest usually, so a non-match is found soonest), without
 * duplicates. A text matches when it contains every term; an empty list matches nothing.
 */
export function parseQuery(query: string): string[] {
  const terms = new Set(
    foldForSearch(query.slice(0, MAX_QUERY_LENGTH))
      .split(/\s+/)
      .filter((term) => term !== ''),
  );
  return [...terms].slice(0, MAX_QUERY_TERMS).sort((a, b) => b.length - a.length);
}

/** `folded` must already be folded. */
export function containsAll(folded: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  for (const term of terms) if (!folded.includes(term)) return false;
  return true;
}

/** A half-open `[start, end)` span of UTF-16 offsets: `text.slice(start, end)` is the highlighted part. */
export type Range = [start: number, end: number];

/** The most ranges reported for one text: a snippet shows a few at most. */
const MAX_RANGES = 100;

/** Every occurrence of every term in `original`, as ranges of the original text, sorted and merged. */
export function findRanges(original: string, terms: readonly string[]): Range[] {
  if (terms.length === 0) return [];
  const folded = foldWithOffsets(original);
  const found: Range[] = [];
  for (const term of terms) {
    for (let at = folded.text.indexOf(term); at !== -1 && found.length < MAX_RANGES * 4;) {
      const end = folded.sourceEnd[at + term.length - 1] ?? original.length;
      found.push([folded.sourceStart[at] ?? 0, afterMarks(original, end)]);
      at = folded.text.indexOf(term, at + term.length);
    }
  }
  return mergeRanges(found).slice(0, MAX_RANGES);
}

/** `end` moved past the combining marks that follow it: they belong to the letter the match ends with. */
function afterMarks(text: string, end: number): number {
  let at = end;
  for (let code = text.codePointAt(at); code !== undefined; code = text.codePointAt(at)) {
    const char = String.fromCodePoint(code);
    if (!COMBINING_MARK.test(char)) break;
    at += char.length;
  }
  return at;
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export interface Snippet {
  /** A short excerpt of the text, whitespace folded to single spaces, with "…" where it was cut. */
  snippet: string;
  /** The matches inside `snippet`. */
  ranges: Range[];
}

export interface SnippetOptions {
  /** The longest snippet, in UTF-16 units, not counting the ellipses. */
  maxLength?: number;
  /** How much text to show before the first match. */
  before?: number;
}

/**
 * An excerpt of `original` around its first range, cut at spaces where it can be, with the ranges that fall inside
 * it moved to the excerpt's offsets. Line breaks and runs of spaces become one space, so it fits on a line.
 */
export function makeSnippet(
  original: string,
  ranges: readonly Range[],
  { maxLength = 160, before = 40 }: SnippetOptions = {},
): Snippet {
  const first = ranges[0];
  let start = first ? Math.max(0, first[0] - before) : 0;
  let end = Math.min(original.length, start + maxLength);
  if (first && end < first[1]) end = Math.min(original.length, first[1]);
  if (start > 0) start = wordStartAfter(original, start, first ? first[0] : end);
  if (end < original.length) end = wordEndBefore(original, end, first ? first[1] : start);

  let snippet = '';
  /** `position[i]`: offset in `snippet` of original offset `start + i`, for mapping ranges. */
  const position: number[] = [];
  let pendingSpace = false;
  for (let i = start; i < end; i++) {
    const char = original[i] ?? '';
    if (WHITESPACE.test(char)) {
      pendingSpace = snippet !== '';
      position.push(snippet.length);
      continue;
    }
    if (pendingSpace) snippet += ' ';
    pendingSpace = false;
    position.push(snippet.length);
    snippet += char;
  }
  position.push(snippet.length);

  const prefix = start > 0 ? '…' : '';
  const suffix = end < original.length ? '…' : '';
  const shift = prefix.length;
  const inside: Range[] = [];
  for (const [rangeStart, rangeEnd] of ranges) {
    const from = Math.max(rangeStart, start);
    const to = Math.min(rangeEnd, end);
    if (from >= to) continue;
    const mappedStart = position[from - start] ?? 0;
    // The end maps through the last character inside the range, so trailing folded spaces are not highlighted.
    const mappedEnd = (position[to - 1 - start] ?? mappedStart) + 1;
    if (mappedEnd > mappedStart) inside.push([mappedStart + shift, Math.min(mappedEnd, snippet.length) + shift]);
  }
  return { snippet: `${prefix}${snippet}${suffix}`, ranges: inside };
}

/** Longer texts are not folded whole to cut a snippet: an attached file's text can run to megabytes. */
const WHOLE_TEXT_LIMIT = 20_000;
/** How much of a long text is folded at a time while looking for its first match. */
const WINDOW = 8_192;
/** Each window reaches this far into the next, so a match across the boundary is whole in one of them. */
const WINDOW_OVERLAP = MAX_QUERY_LENGTH * 4;
/** Around the first match of a long text, this much is folded again on each side for the snippet's ranges. */
const AROUND_FIRST_MATCH = 1_000;

/**
 * {@link makeSnippet} of `original` around its first match of `terms`. A long text is folded a window at a time
 * until one holds a match, then again only around it, so the cost follows where the match is, not the text's size.
 */
export function snippetAround(original: string, terms: readonly string[], options: SnippetOptions = {}): Snippet {
  if (original.length <= WHOLE_TEXT_LIMIT) return makeSnippet(original, findRanges(original, terms), options);
  for (let start = 0; start < original.length; start += WINDOW) {
    const inWindow = rangesIn(original, terms, start, start + WINDOW + WINDOW_OVERLAP);
    const first = inWindow[0];
    if (!first) continue;
    const near = rangesIn(original, terms, first[0] - AROUND_FIRST_MATCH, first[0] + AROUND_FIRST_MATCH);
    return makeSnippet(original, near, options);
  }
  return makeSnippet(original, [], options);
}

/** {@link findRanges} of `text.slice(from, to)`, widened so no surrogate pair is cut, in offsets of `text`. */
function rangesIn(text: string, terms: readonly string[], from: number, to: number): Range[] {
  let start = Math.max(0, from);
  if (splitsSurrogatePair(text, start)) start--;
  let end = Math.min(text.length, to);
  if (splitsSurrogatePair(text, end)) end++;
  return findRanges(text.slice(start, end), terms).map(([rangeStart, rangeEnd]) => [
    rangeStart + start,
    rangeEnd + start,
  ]);
}

/** The start of the first word at or after `from`, unless that would pass `limit` (then `from`, kept whole). */
function wordStartAfter(text: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    if (WHITESPACE.test(text[i - 1] ?? '')) return i;
  }
  return splitsSurrogatePair(text, from) ? from + 1 : from;
}

/** The end of the last word at or before `from`, unless that would go back before `limit`. */
function wordEndBefore(text: string, from: number, limit: number): number {
  for (let i = from; i > limit; i--) {
    if (WHITESPACE.test(text[i] ?? '')) return i;
  }
  return splitsSurrogatePair(text, from) ? from - 1 : from;
}

function splitsSurrogatePair(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
}
