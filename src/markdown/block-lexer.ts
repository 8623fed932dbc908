/**
 * Splits markdown into top-level blocks with marked's lexer, and decides which blocks of a growing text are final.
 * Pure (marked needs no DOM), so the streaming rules are unit-tested in Node.
 */
import { Lexer, walkTokens } from 'marked';
import type { Links, Token } from 'marked';

/** GitHub-flavoured: tables, task lists, strikethrough, autolinks. Errors throw, to be caught here. */
export const LEXER_OPTIONS = { gfm: true, breaks: false, pedantic: false, silent: false };

export interface LexedBlocks {
  tokens: Token[];
  /** Every link reference definition known after lexing: the ones passed in first, then new ones in order. */
  links: Links;
}

/** Marked's lexer works on "\n" line ends; so does everything that counts lines here. */
export function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** A definitions map without a prototype, so a label such as "constructor" finds nothing it should not. */
export function copyLinks(links: Links = {}): Links {
  return Object.assign(Object.create(null) as Links, links);
}

/**
 * Lexes `source` into top-level tokens. `links` are reference definitions from earlier blocks, so `[text][ref]` here
 * resolves against a definition above it; a definition here never overrides one already known (first one wins, as in
 * a single pass over the whole text). A text the lexer cannot handle becomes one paragraph of plain text.
 */
export function lexBlocks(source: string, links: Links = {}): LexedBlocks {
  const lexer = new Lexer({ ...LEXER_OPTIONS });
  lexer.tokens.links = copyLinks(links);
  try {
    const tokens = lexer.lex(source);
    return { tokens: [...tokens], links: tokens.links };
  } catch {
    return { tokens: [plainTextToken(source)], links: copyLinks(links) };
  }
}

function plainTextToken(source: string): Token {
  return { type: 'paragraph', raw: source, text: source, tokens: [{ type: 'text', raw: source, text: source }] };
}

/** How marked matches a reference label to its definition. */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}

/**
 * Labels a block might use as references (`[text][label]`, `[label][]`, `[label]`): the text of every innermost
 * pair of brackets, as a label can hold no unescaped bracket.
 */
export function referenceLabels(raw: string): string[] {
  if (!raw.includes(']')) return [];
  const labels = new Set<string>();
  for (const match of raw.matchAll(/\[([^[\]]{1,999})\]/g)) labels.add(normalizeLabel(match[1] ?? ''));
  return [...labels];
}

/** What the definitions of `labels` currently are: when this changes, a block using them must render again. */
export function referenceSignature(labels: readonly string[], links: Links): string {
  let signature = '';
  for (const label of labels) {
    const definition = Object.hasOwn(links, label) ? links[label] : undefined;
    signature += definition ? `${definition.href}\u0000${definition.title ?? ''}\u0001` : '\u0001';
  }
  return signature;
}

/** Reference definitions made by `tokens`, including ones nested in quotes and lists. */
export function definitionsIn(tokens: Token[], into: Links): void {
  walkTokens(tokens, (token) => {
    if (token.type === 'def' && !Object.hasOwn(into, token.tag))
      into[token.tag] = { href: token.href, title: token.title };
  });
}

export interface CompletePrefix {
  /** How many of the leading tokens are final. */
  count: number;
  /** The length of source those tokens cover; the next block starts at a line start just after it. */
  length: number;
}

const NONE: CompletePrefix = { count: 0, length: 0 };

/**
 * Which leading tokens of a growing `source` can never change however the text continues. A block is final once a
 * later block has begun, judged on complete lines only: a half-written last line can still change what came before it
 * ("para\n#" is a heading until "#x" turns it back into the same paragraph; "|a|\n|-" starts a table until "|-x" makes
 * it text again). A link definition also needs a blank line after it, as its title may continue on the next line.
 * `tokens` is the lexing of the whole `source`; only the part they share with the complete-line lexing is final.
 */
export function findCompletePrefix(source: string, tokens: Token[], links: Links): CompletePrefix {
  const contentTokens = tokens.filter((token) => token.type !== 'space');
  if (contentTokens.length < 2) return NONE;
  const lastLineEnd = source.lastIndexOf('\n');
  if (lastLineEnd < 0) return NONE;
  const settled = lexBlocks(source.slice(0, lastLineEnd + 1), links).tokens;
  const lastContent = settled.findLastIndex((token) => token.type !== 'space');
  let count = 0;
  let length = 0;
  for (let index = 0; index < lastContent; index++) {
    const token = settled[index];
    const same = tokens[index];
    if (!token || !same || token.raw !== same.raw) break;
    if (token.type === 'def' && settled[index + 1]?.type !== 'space') break;
    count = index + 1;
    length += token.raw.length;
  }
  if (count === 0 || source[length - 1] !== '\n') return NONE;
  return { count, length };
}
