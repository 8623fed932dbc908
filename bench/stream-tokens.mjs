// The replies the streaming rows stream, one SSE event per token. Tokens are about 4 characters, as a model's are.

// Alphanumeric so no markdown renderer changes it, and found nowhere else on the page.
export const LAST_TOKEN_MARKER = 'zqxbenchlasttoken7731';

const PROSE = [
  'The',
  ' model',
  ' streams',
  ' a',
  ' reply',
  ',',
  ' token',
  ' by',
  ' token',
  ' into',
  ' the',
  ' page',
  '.',
];

/** Prose-like tokens (a paragraph break every 80), ending with the marker the page watches for. */
export function proseTokens(count) {
  const tokens = Array.from({ length: count - 1 }, (_, index) =>
    index % 80 === 79 ? '\n\n' : PROSE[index % PROSE.length],
  );
  tokens.push(` ${LAST_TOKEN_MARKER}`);
  return tokens;
}

/** One sentence with a link, bold and inline code, as a model writes them: split where a tokenizer would. */
const SENTENCE = [
  ' Call',
  ' **',
  'reduce',
  '**',
  ' with',
  ' `',
  'items',
  '.sum',
  '()`',
  ' as',
  ' [',
  'the',
  ' guide',
  '](',
  'https',
  '://',
  'docs',
  '.example',
  '/guide',
  ')',
  ' says',
  '.',
];

/** A fenced code block, opening fence to closing fence, with a blank line after it. */
const CODE_BLOCK = [
  '\n\n```',
  'js',
  '\n',
  'const',
  ' total',
  ' =',
  ' items',
  '.reduce',
  '((a,',
  ' b)',
  ' =>',
  ' a',
  ' +',
  ' b,',
  ' 0);',
  '\n',
  'console',
  '.log',
  '(total',
  ');',
  '\n```\n\n',
];

/**
 * A Markdown-heavy reply: every 400 tokens a fenced code block, then a paragraph, then a list whose items start every
 * 50 tokens; every sentence has a link, bold and inline code. Ends with the marker the page watches for.
 */
export function markdownHeavyTokens(count) {
  let sentence = 0;
  const tokens = Array.from({ length: count - 1 }, (_, index) => {
    const position = index % 400;
    if (position < CODE_BLOCK.length) return CODE_BLOCK[position];
    if (position % 50 === 0) {
      // Each item starts a sentence, as a model's would.
      sentence = 0;
      return '\n- ';
    }
    // A sentence that would not end before the next item is not started: short words fill the gap.
    if (sentence === 0 && 50 - (position % 50) < SENTENCE.length) return ' Right.';
    const token = SENTENCE[sentence] ?? '';
    sentence = (sentence + 1) % SENTENCE.length;
    return token;
  });
  tokens.push(` ${LAST_TOKEN_MARKER}`);
  return tokens;
}
