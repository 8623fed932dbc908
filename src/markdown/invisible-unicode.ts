/**
 * Invisible characters a model (or a prompt injection that reached it) can use to hide text from the reader while it
 * stays readable to machines: Unicode tag characters ("ASCII smuggling"), bidi overrides and isolates that reorder what
 * is shown, zero-width characters, and runs of variation selectors that carry bytes. Pure: no DOM, unit-tested in Node.
 */

export interface StrippedText {
  text: string;
  /** How many code points were removed; 0 means `text` is the input unchanged. */
  removed: number;
}

/** Cheap first test: almost every reply has none of these, and skips the slower pass. */
const ANY_SUSPECT =
  /[\u115F\u1160\u180E\u200B\u200C\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]|\u200D|[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

/**
 * One alternative per rule, longest first:
 * 1. a subdivision flag (🏴 + tag letters/digits + cancel tag), the one legitimate use of tag characters;
 * 2. any other tag character;
 * 3. bidi embeddings, overrides and isolates;
 * 4. zero-width spaces, word joiner, invisible operators, BOM, Mongolian vowel separator, Hangul fillers;
 * 5. zero-width (non-)joiners, which emoji sequences and several scripts need;
 * 6. variation selectors, of which one after a character is legitimate (emoji presentation, CJK variants).
 */
const SUSPECT =
  /\u{1F3F4}[\u{E0000}-\u{E007F}]+|[\u{E0000}-\u{E007F}]+|[\u202A-\u202E\u2066-\u2069]+|[\u115F\u1160\u180E\u200B\u2060-\u2064\u3164\uFEFF\uFFA0]+|[\u200C\u200D]+|[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]+/gu;

const SUBDIVISION_FLAG = /^\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,7}\u{E007F}$/u;
const FLAG = '\u{1F3F4}';
const TAG_CHARACTER = /^[\u{E0000}-\u{E007F}]/u;
const BIDI_CONTROL = /^[\u202A-\u202E\u2066-\u2069]/u;
const JOINER = /^[\u200C\u200D]/u;
const VARIATION_SELECTOR = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
/** Characters a zero-width (non-)joiner legitimately sits between: non-ASCII letters and marks, emoji. */
const JOINABLE = /^[\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const WHITESPACE_OR_CONTROL = /^[\s\p{Cc}]$/u;

function codePointBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  const isLowSurrogate = low >= 0xdc00 && low <= 0xdfff;
  return isLowSurrogate && index >= 2 ? text.slice(index - 2, index) : text.slice(index - 1, index);
}

function codePointAt(text: string, index: number): string {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
}

function isJoinable(character: string): boolean {
  return character !== '' && character.charCodeAt(0) > 0x7f && JOINABLE.test(character);
}

function codePointCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}

/**
 * Removes invisible characters that can hide or reorder text, keeping the uses real text needs: emoji ZWJ sequences,
 * joiners between letters of scripts that use them (Persian, Indic), one variation selector after a character, and
 * subdivision flags such as England's. Line structure is never changed, so a caller may strip a text in pieces split
 * at line breaks and get the same result as stripping it whole.
 */
export function stripInvisible(text: string): StrippedText {
  if (!ANY_SUSPECT.test(text)) return { text, removed: 0 };
  let removed = 0;
  const result = text.replace(SUSPECT, (match: string, offset: number) => {
    if (match.startsWith(FLAG)) {
      if (SUBDIVISION_FLAG.test(match)) return match;
      removed += codePointCount(match) - 1;
      return FLAG;
    }
    if (TAG_CHARACTER.test(match) || BIDI_CONTROL.test(match)) {
      removed += codePointCount(match);
      return '';
    }
    if (JOINER.test(match)) {
      const keep =
        match.length === 1 &&
        isJoinable(codePointBefore(text, offset)) &&
        isJoinable(codePointAt(text, offset + match.length));
      if (keep) return match;
      removed += match.length;
      return '';
    }
    if (VARIATION_SELECTOR.test(match)) {
      const before = codePointBefore(text, offset);
      const first = codePointAt(match, 0);
      const keepFirst = before !== '' && !WHITESPACE_OR_CONTROL.test(before);
      const kept = keepFirst ? first : '';
      removed += codePointCount(match) - codePointCount(kept);
      return kept;
    }
    removed += codePointCount(match);
    return '';
  });
  return { text: result, removed };
}
