/**
 * A token count for text headed into the model's context, erring high: a file that is estimated too small overflows
 * the window (WebLLM refuses the request; a hosted server cuts the reply or answers 400), while one estimated too
 * large only leaves a few passages out.
 *
 * Why these weights, for Mistral's SentencePiece tokenizer:
 * - ASCII prose runs near 4 characters a token, code and markup nearer 3: a third of a token per character
 *   over-counts English by about a quarter and code hardly at all.
 * - Digits are split one token each (CSV and JSON files are mostly numbers), so a plain characters-per-token ratio
 *   would under-count "12345.67,89012.34" by a factor of three.
 * - A character outside ASCII (accents, CJK, emoji) can be one token or several byte-fallback tokens: two each.
 *
 * The same weights as the local engine's history trimming (`engines/webllm/context-window.ts`), plus digits.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let digits = 0;
  let other = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
    else if (code < 128) ascii += 1;
    // A surrogate pair is one character: count it once, at its high half.
    else if (code < 0xdc00 || code > 0xdfff) other += 1;
  }
  return Math.ceil(ascii / 3) + digits + other * 2;
}
