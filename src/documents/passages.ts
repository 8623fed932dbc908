/**
 * Splits an attachment's text into passages for retrieval: each a span of the original text (so a passage is shown
 * and sent exactly as the file has it), at most `maxTokens` by the same estimate the budget uses, and cut where the
 * text itself breaks: between paragraphs first, then lines, sentences, words, and only as a last resort mid-word.
 */

import type { PassageSpan } from '../domain/attachments.js';
import { estimateTokens } from './token-estimate.js';

export interface PassageOptions {
  /** Never exceeded by a passage's estimate. */
  maxTokens?: number;
}

/** At most 400 tokens (most land between 200 and 400): enough context around a fact to answer from, small enough that a 4,096-token window holds several. */
export const DEFAULT_PASSAGE_MAX_TOKENS = 400;

/** Where the text may be cut, from the most to the least natural. Each match ends a piece (it stays at its end). */
const BREAKS: readonly RegExp[] = [/\n[ \t]*\n\s*/g, /\n/g, /(?<=[.!?…]["')\]]*)\s+/g, /\s+/g];

export function splitPassages(text: string, options: PassageOptions = {}): PassageSpan[] {
  const maxTokens = options.maxTokens ?? DEFAULT_PASSAGE_MAX_TOKENS;
  const pieces: Piece[] = [];
  splitToFit(text, 0, text.length, 0, maxTokens, pieces);

  const passages: PassageSpan[] = [];
  let current: Piece | null = null;
  for (const piece of pieces) {
    if (current && current.tokens + piece.tokens <= maxTokens) {
      current = { start: current.start, end: piece.end, tokens: current.tokens + piece.tokens };
      continue;
    }
    if (current) pushTrimmed(text, current, passages);
    current = piece;
  }
  if (current) pushTrimmed(text, current, passages);
  return passages;
}

interface Piece extends PassageSpan {
  tokens: number;
}

/** Appends to `out` pieces covering [start, end) in order, each within `maxTokens`. */
function splitToFit(text: string, start: number, end: number, level: number, maxTokens: number, out: Piece[]): void {
  // No character costs less than a third of a token: a region that long is over without counting (the whole file).
  const surelyOver = Math.ceil((end - start) / 3) > maxTokens;
  const tokens = surelyOver ? Infinity : estimateTokens(text.slice(start, end));
  if (tokens <= maxTokens) {
    out.push({ start, end, tokens });
    return;
  }
  const pattern = BREAKS[level];
  if (!pattern) {
    hardSplit(text, start, end, maxTokens, out);
    return;
  }
  const region = text.slice(start, end);
  let pieceStart = 0;
  for (const match of region.matchAll(pattern)) {
    const pieceEnd = match.index + match[0].length;
    if (pieceEnd <= pieceStart || pieceEnd === region.length) continue;
    splitToFit(text, start + pieceStart, start + pieceEnd, level + 1, maxTokens, out);
    pieceStart = pieceEnd;
  }
  splitToFit(text, start + pieceStart, end, level + 1, maxTokens, out);
}

/** One unbroken run longer than a passage (a minified file, a base64 blob): cut by the estimate's own weights. */
function hardSplit(text: string, start: number, end: number, maxTokens: number, out: Piece[]): void {
  let pieceStart = start;
  let weight = 0;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    const charWeight = isLowSurrogate ? 0 : code >= 48 && code <= 57 ? 1 : code < 128 ? 1 / 3 : 2;
    if (weight + charWeight > maxTokens && !isLowSurrogate) {
      out.push({ start: pieceStart, end: index, tokens: Math.ceil(weight) });
      pieceStart = index;
      weight = 0;
    }
    weight += charWeight;
  }
  if (end > pieceStart) out.push({ start: pieceStart, end, tokens: Math.ceil(weight) });
}

/** Passages start and end on text, never on the blank lines between paragraphs; a blank passage is dropped. */
function pushTrimmed(text: string, piece: Piece, out: PassageSpan[]): void {
  let { start, end } = piece;
  while (start < end && isSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1;
  if (end > start) out.push({ start, end });
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff;
}
