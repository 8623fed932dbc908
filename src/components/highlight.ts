import { html, type TemplateResult } from 'lit';

/** A stretch of text and whether it is part of a match (shown in `<mark>`). */
export interface TextPart {
  text: string;
  marked: boolean;
}

/**
 * Cuts `text` at the half-open `[start, end)` ranges to highlight. Ranges may come unsorted, overlapping or reaching
 * past the text (a snippet cut shorter than its ranges): they are clamped and merged, and empty ones dropped, so the
 * parts always join back into `text`.
 */
export function splitByRanges(text: string, ranges: readonly (readonly [number, number])[]): TextPart[] {
  const clamped = ranges
    .map(([start, end]): [number, number] => [Math.max(0, start), Math.min(text.length, end)])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  const parts: TextPart[] = [];
  let at = 0;
  for (const [start, end] of clamped) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) parts.push({ text: text.slice(at, from), marked: false });
    const last = parts.at(-1);
    // Overlapping ranges extend the mark before them rather than starting a second one.
    if (last?.marked && from === at) last.text += text.slice(from, end);
    else parts.push({ text: text.slice(from, end), marked: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

/** Text with its matches in `<mark>`: text bindings only, so a hostile title or message stays text. */
export function highlighted(text: string, ranges: readonly (readonly [number, number])[]): (string | TemplateResult)[] {
  return splitByRanges(text, ranges).map((part) => (part.marked ? html`<mark>${part.text}</mark>` : part.text));
}
