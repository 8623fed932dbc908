/**
 * Markdown to sanitized HTML, block by block, fast while a reply streams in.
 *
 * A reply is split into top-level blocks with marked's lexer. Once a block is final (see `findCompletePrefix`) it is
 * parsed and sanitized once and kept; each new token only re-lexes and re-renders the growing tail, so the work per
 * token stays flat however long the reply grows. Every render, intermediate or not, is sanitized: half-written
 * markup never reaches the page live.
 */
import type { Links, Token } from 'marked';
import type { TrustedHTML } from 'trusted-types/lib';
import {
  copyLinks,
  definitionsIn,
  findCompletePrefix,
  lexBlocks,
  normalizeLineEnds,
  referenceLabels,
  referenceSignature,
} from './block-lexer.js';
import { LIMITS, renderBlock } from './block-renderer.js';
import { growBlock, nextRevision, type BlockPatch, type Growth } from './growing-block.js';
import type { Highlighter } from './highlight.js';
import { stripInvisible } from './invisible-unicode.js';
import type { RemoteImageState } from './remote-image.js';
import { sanitizeHtml } from './sanitize-policy.js';

export interface RenderOptions {
  /** The text is complete (not streaming): its last block is final too. */
  final?: boolean;
  /** Images the user chose to load, by normalized URL, and what became of each (see `SanitizeOptions.images`). */
  images?: ReadonlyMap<string, RemoteImageState>;
  /** Keys of blocks the user asked to see in full ("Show all"). */
  expandedBlocks?: ReadonlySet<string>;
  /** Highlights code once loaded (see `loadHighlighter`); without it code is shown plain. */
  highlighter?: Highlighter;
}

export interface RenderedBlock {
  /** Stable for the life of the text: the n-th top-level block keeps its key as the text grows. */
  readonly key: string;
  /** Sanitized HTML. */
  readonly html: string;
  /** The same HTML as TrustedHTML where the browser has Trusted Types. */
  readonly trusted: TrustedHTML | string;
  /** The full text of each code block in this block, in order, for its Copy code button (`data-mc-index`). */
  readonly codes: readonly string[];
  /** Unique to this rendering: a view knows which rendering its DOM shows by it. */
  readonly revision: number;
  /** How to turn the DOM of an earlier rendering of this block into this one's, when the block only grew. */
  readonly patch?: BlockPatch | undefined;
}

export interface RenderResult {
  readonly blocks: readonly RenderedBlock[];
  /** Invisible characters were removed somewhere in the text. */
  readonly hiddenCharactersRemoved: boolean;
  /** Some code would be highlighted if the highlighter were loaded. */
  readonly needsHighlighter: boolean;
  /** How many blocks this call parsed and sanitized; the others came from the cache. */
  readonly renderedBlocks: number;
}

export interface MarkdownDocument extends RenderResult {
  /** All blocks' HTML, joined. */
  readonly html: string;
}

export interface StreamingRenderer {
  /**
   * Renders `text`. When `text` extends the text of the previous call, the blocks that were final then are reused
   * as they are; any other text starts over.
   */
  render(text: string, options?: RenderOptions): RenderResult;
}

/**
 * Tails longer than this are lexed again only when they have grown by an eighth, or may have ended their block. An
 * open code block is cheap to redo (one regular expression, escaping) and shows every line, so it is redone on every
 * token until the part shown is full; a list or table this long already shows all it will before "Show all".
 */
const LARGE_TAIL = 32_000;
const LARGE_CODE_TAIL = LIMITS.codeCharacters;
const FENCE_LINE = /(?:^|\n) {0,3}(?:`{3,}|~{3,})/;
const EMPTY_SET: ReadonlySet<string> = new Set();
const NO_IMAGES: ReadonlyMap<string, RemoteImageState> = new Map();

/** What a render depends on besides the block's own text. */
interface Context {
  links: Links;
  images: ReadonlyMap<string, RemoteImageState>;
  expandedBlocks: ReadonlySet<string>;
  highlighter: Highlighter | undefined;
}

/** One top-level block, rendered, with what its HTML depended on, to know when it must be rendered again. */
interface Entry {
  key: string;
  raw: string;
  tokens: Token[];
  block: RenderedBlock | null;
  hidden: boolean;
  labels: readonly string[];
  references: string;
  imageSources: readonly string[];
  /** The state of each of its images when it was rendered (see `imageStates`). */
  imageStates: string;
  wantsHighlighter: boolean;
  highlightDeferred: boolean;
  limited: boolean;
  expanded: boolean;
  /** The pieces of a growing list or code block, to render only what changed on the next token. */
  growth?: Growth | undefined;
}

/** The lexed tail: everything after the final blocks. */
interface Tail {
  raw: string;
  /** `raw` with line ends normalized and invisible characters removed: what was lexed. */
  source: string;
  tokens: Token[];
  links: Links;
  hidden: boolean;
}

function blockKey(index: number): string {
  return `b${index}`;
}

function imageStates(sources: readonly string[], images: ReadonlyMap<string, RemoteImageState>): string {
  if (sources.length === 0) return '';
  return sources
    .map((source) => {
      const state = images.get(source);
      if (state?.status === 'loaded') return state.objectUrl;
      return state?.status === 'blocked' ? `blocked ${state.reason}` : (state?.status ?? '');
    })
    .join('\n');
}

function contentTokens(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => token.type !== 'space');
}

function isStale(entry: Entry, context: Context, growing: boolean): boolean {
  return (
    (entry.highlightDeferred && !growing) ||
    (entry.wantsHighlighter && context.highlighter !== undefined) ||
    (entry.labels.length > 0 && referenceSignature(entry.labels, context.links) !== entry.references) ||
    (entry.imageSources.length > 0 && imageStates(entry.imageSources, context.images) !== entry.imageStates) ||
    ((entry.limited || entry.expanded) && context.expandedBlocks.has(entry.key) !== entry.expanded)
  );
}

/**
 * Renders one block and records what the result depended on. When the HTML comes out as it was, the previous block
 * object is returned, so a view keyed on it has nothing to redo.
 */
function renderEntry(
  key: string,
  raw: string,
  tokens: Token[],
  growing: boolean,
  context: Context,
  previous: RenderedBlock | null,
): Entry {
  const expanded = context.expandedBlocks.has(key);
  const dirty = renderBlock(tokens, { highlighter: context.highlighter, expanded, growing, images: context.images });
  const imageSources = dirty.imageSources;
  let block: RenderedBlock | null = null;
  let hidden = false;
  if (dirty.html !== '') {
    const sanitized = sanitizeHtml(dirty.html, { images: context.images });
    hidden = sanitized.hiddenCharactersRemoved;
    const unchanged = previous?.html === sanitized.html && sameCodes(previous.codes, dirty.codes);
    block = unchanged
      ? previous
      : { key, html: sanitized.html, trusted: sanitized.trusted, codes: dirty.codes, revision: nextRevision() };
  }
  const labels = referenceLabels(raw);
  return {
    key,
    raw,
    tokens,
    block,
    hidden,
    labels,
    references: referenceSignature(labels, context.links),
    imageSources,
    imageStates: imageStates(imageSources, context.images),
    wantsHighlighter: dirty.wantsHighlighter,
    highlightDeferred: dirty.highlightDeferred,
    limited: dirty.limited,
    expanded,
  };
}

/**
 * Renders a block by the pieces that changed since `cached` (see growing-block.ts): the growing last block, or a list
 * that has just stopped growing (`growing` false). `undefined` when it is not a block that can be rendered that way
 * and must be rendered whole.
 */
function growEntry(
  key: string,
  token: Token,
  growing: boolean,
  context: Context,
  cached: Entry | undefined,
): Entry | undefined {
  const expanded = context.expandedBlocks.has(key);
  const labels = referenceLabels(token.raw);
  const references = referenceSignature(labels, context.links);
  const stamp = { highlighter: context.highlighter, images: context.images, expanded, references };
  const settings = { highlighter: context.highlighter, expanded, growing, images: context.images };
  const previous = cached?.block;
  const grown = growBlock(token, settings, stamp, { growth: cached?.growth, revision: previous?.revision });
  if (!grown) return undefined;
  let trusted: TrustedHTML | string | undefined;
  const block: RenderedBlock =
    previous?.html === grown.html && sameCodes(previous.codes, grown.codes)
      ? previous
      : {
          key,
          html: grown.html,
          // Made only for a view with no earlier DOM of this block to patch.
          get trusted() {
            return (trusted ??= grown.trusted());
          },
          codes: grown.codes,
          revision: nextRevision(),
          patch: grown.patch,
        };
  return {
    key,
    raw: token.raw,
    tokens: [token],
    block,
    hidden: grown.hidden,
    labels,
    references,
    imageSources: grown.flags.imageSources,
    imageStates: imageStates(grown.flags.imageSources, context.images),
    wantsHighlighter: grown.flags.wantsHighlighter,
    highlightDeferred: grown.flags.highlightDeferred,
    limited: grown.flags.limited,
    expanded,
    growth: grown.growth,
  };
}

/**
 * Renders a tail block again: by its changed pieces while it grows, and also once it stopped growing when it was a
 * growing list (its last items are patched in rather than the whole list rebuilt); otherwise whole.
 */
function updateEntry(key: string, token: Token, growing: boolean, context: Context, cached: Entry | undefined): Entry {
  const grown =
    growing || cached?.growth?.kind === 'list' ? growEntry(key, token, growing, context, cached) : undefined;
  return grown ?? renderEntry(key, token.raw, [token], growing, context, cached?.block ?? null);
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code, index) => code === b[index]);
}

function contextFrom(options: RenderOptions, links: Links): Context {
  return {
    links,
    images: options.images ?? NO_IMAGES,
    expandedBlocks: options.expandedBlocks ?? EMPTY_SET,
    highlighter: options.highlighter,
  };
}

function resultOf(entries: readonly Entry[], renderedBlocks: number, sourceHidden: boolean): RenderResult {
  const blocks: RenderedBlock[] = [];
  let hiddenCharactersRemoved = sourceHidden;
  let needsHighlighter = false;
  for (const entry of entries) {
    if (entry.block) blocks.push(entry.block);
    hiddenCharactersRemoved ||= entry.hidden;
    needsHighlighter ||= entry.wantsHighlighter;
  }
  return { blocks, hiddenCharactersRemoved, needsHighlighter, renderedBlocks };
}

/** Renders a complete text in one pass: what a stored message needs. */
export function renderMarkdown(text: string, options: RenderOptions = {}): MarkdownDocument {
  const stripped = stripInvisible(normalizeLineEnds(text));
  const lexed = lexBlocks(stripped.text);
  const context = contextFrom(options, lexed.links);
  const entries = contentTokens(lexed.tokens).map((token, index) =>
    renderEntry(blockKey(index), token.raw, [token], false, context, null),
  );
  const result = resultOf(entries, entries.length, stripped.removed > 0);
  return { ...result, html: result.blocks.map((block) => block.html).join('') };
}

/** The offset in `raw` just after its `count`-th line break ("\r\n", "\r" or "\n"). */
function offsetAfterLineBreaks(raw: string, count: number): number {
  let seen = 0;
  for (let index = 0; index < raw.length; index++) {
    const character = raw[index];
    if (character !== '\r' && character !== '\n') continue;
    if (character === '\r' && raw[index + 1] === '\n') index++;
    seen++;
    if (seen === count) return index + 1;
  }
  return raw.length;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Whether the last block is a fenced code block still waiting for its closing fence (looking at its ends only). */
function isOpenFence(tokens: readonly Token[]): boolean {
  const last = tokens.at(-1);
  if (last?.type !== 'code' || !/^ {0,3}(?:`{3,}|~{3,})/.test(last.raw)) return false;
  return !/\n {0,3}(?:`{3,}|~{3,})[ \t]*\n*$/.test(last.raw.slice(-256));
}

/**
 * Whether a large tail must be lexed again now, or its last lexing may stand a little longer: it grew by an eighth
 * since, or the new text may have ended its block (a fence line for an open code block, a blank line otherwise).
 */
function tailNeedsLexing(raw: string, tail: Tail): boolean {
  const openFence = isOpenFence(tail.tokens);
  if (raw.length <= (openFence ? LARGE_CODE_TAIL : LARGE_TAIL) || !raw.startsWith(tail.raw)) return true;
  if (raw.length - tail.raw.length >= tail.raw.length / 8) return true;
  const added = raw.slice(Math.max(0, tail.raw.length - 1));
  return openFence ? FENCE_LINE.test(added) : added.includes('\n\n');
}

class IncrementalRenderer implements StreamingRenderer {
  /** The part of the text covered by final blocks. */
  private stableLength = 0;
  private stableText = '';
  private stableEntries: Entry[] = [];
  /** Definitions made by the final blocks. */
  private stableLinks: Links = copyLinks();
  private stableHidden = false;
  private tail: Tail | undefined;
  private tailEntries: Entry[] = [];
  /** What the final blocks were last checked against; while it holds, none of them can be stale. */
  private checkedContext: { links: string; images: unknown; expandedBlocks: unknown; highlighter: unknown } = {
    links: '',
    images: undefined,
    expandedBlocks: undefined,
    highlighter: undefined,
  };

  render(text: string, options: RenderOptions = {}): RenderResult {
    if (!text.startsWith(this.stableText)) this.reset();
    const final = options.final ?? false;
    let rendered = 0;

    const rawTail = text.slice(this.stableLength);
    let tail = this.tail;
    if (!tail || (tail.raw !== rawTail && (final || tailNeedsLexing(rawTail, tail)))) {
      tail = this.lexTail(rawTail);
      if (!final) {
        const prefix = findCompletePrefix(tail.source, tail.tokens, this.stableLinks);
        if (prefix.count > 0) {
          rendered += this.promote(text, tail, prefix.count, prefix.length, options);
          tail = this.lexTail(text.slice(this.stableLength));
        }
      }
      this.tail = tail;
    }

    const context = contextFrom(options, tail.links);
    if (this.contextChanged(context)) {
      for (let index = 0; index < this.stableEntries.length; index++) {
        const entry = this.stableEntries[index];
        if (entry && isStale(entry, context, false)) {
          this.stableEntries[index] = this.renderAgain(entry, context);
          rendered++;
        }
      }
    }

    const previous = new Map(this.tailEntries.map((entry) => [entry.key, entry]));
    const tokens = contentTokens(tail.tokens);
    this.tailEntries = tokens.map((token, offset) => {
      const key = blockKey(this.stableEntries.length + offset);
      const growing = !final && offset === tokens.length - 1;
      const cached = previous.get(key);
      if (cached && cached.raw === token.raw && !isStale(cached, context, growing)) return cached;
      rendered++;
      return updateEntry(key, token, growing, context, cached);
    });

    return resultOf([...this.stableEntries, ...this.tailEntries], rendered, this.stableHidden || tail.hidden);
  }

  /** Whether anything a final block may depend on differs from the last check (and remembers it for the next). */
  private contextChanged(context: Context): boolean {
    const links =
      referenceSignature(Object.keys(context.links), context.links) + Object.keys(context.links).join('\u0001');
    const checked = this.checkedContext;
    const changed =
      checked.links !== links ||
      checked.images !== context.images ||
      checked.expandedBlocks !== context.expandedBlocks ||
      checked.highlighter !== context.highlighter;
    this.checkedContext = {
      links,
      images: context.images,
      expandedBlocks: context.expandedBlocks,
      highlighter: context.highlighter,
    };
    return changed;
  }

  private reset(): void {
    this.stableLength = 0;
    this.stableText = '';
    this.stableEntries = [];
    this.stableLinks = copyLinks();
    this.stableHidden = false;
    this.tail = undefined;
    this.tailEntries = [];
  }

  private lexTail(raw: string): Tail {
    const stripped = stripInvisible(normalizeLineEnds(raw));
    const lexed = lexBlocks(stripped.text, this.stableLinks);
    return { raw, source: stripped.text, tokens: lexed.tokens, links: lexed.links, hidden: stripped.removed > 0 };
  }

  /**
   * Makes the first `count` tokens of `tail` final; they cover `length` characters of its source. Blocks already
   * rendered as part of the tail keep their rendering. Returns how many blocks had to be rendered.
   */
  private promote(text: string, tail: Tail, count: number, length: number, options: RenderOptions): number {
    const promoted = tail.tokens.slice(0, count);
    const rawLength = offsetAfterLineBreaks(tail.raw, countLineBreaks(tail.source.slice(0, length)));
    const context = contextFrom(options, tail.links);
    const previous = new Map(this.tailEntries.map((entry) => [entry.key, entry]));
    let rendered = 0;
    for (const token of contentTokens(promoted)) {
      const key = blockKey(this.stableEntries.length);
      const cached = previous.get(key);
      if (cached && cached.raw === token.raw && !isStale(cached, context, false)) {
        // A final block grows no more: its pieces are not needed again.
        this.stableEntries.push({ ...cached, growth: undefined });
      } else {
        this.stableEntries.push({ ...updateEntry(key, token, false, context, cached), growth: undefined });
        rendered++;
      }
    }
    definitionsIn(promoted, this.stableLinks);
    this.stableHidden ||= stripInvisible(normalizeLineEnds(tail.raw.slice(0, rawLength))).removed > 0;
    this.stableLength += rawLength;
    this.stableText = text.slice(0, this.stableLength);
    return rendered;
  }

  /** Renders a final block again because something it depended on changed (a definition, a loaded image…). */
  private renderAgain(entry: Entry, context: Context): Entry {
    const definitionsChanged =
      entry.labels.length > 0 && referenceSignature(entry.labels, context.links) !== entry.references;
    const tokens = definitionsChanged ? contentTokens(lexBlocks(entry.raw, context.links).tokens) : entry.tokens;
    const rendered = renderEntry(entry.key, entry.raw, tokens, false, context, entry.block);
    return { ...rendered, hidden: rendered.hidden || entry.hidden };
  }
}

export function createStreamingRenderer(): StreamingRenderer {
  return new IncrementalRenderer();
}
