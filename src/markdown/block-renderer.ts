/**
 * Turns one top-level markdown token into HTML that is not yet sanitized. Raw HTML in the markdown is shown as text,
 * never parsed; links and images are written as links-and-images.ts says; code blocks get a Copy code button and,
 * once loaded, highlighting; very long code blocks, lists and tables are cut short with a "Show all" button so a
 * hostile or runaway reply cannot freeze the page.
 */
import { Marked, Renderer, type Parser, type Token, type Tokens } from 'marked';
import { LEXER_OPTIONS } from './block-lexer.js';
import type { Highlighter } from './highlight.js';
import { escapeHtml, escapeText } from './html-escape.js';
import { renderImage, renderLink, type LinkImageState } from './links-and-images.js';
import type { RemoteImageState } from './remote-image.js';
import { ACTION_ATTRIBUTE, CODE_INDEX_ATTRIBUTE } from './content-actions.js';

export const LIMITS = {
  /** Characters of one code block shown before "Show all". */
  codeCharacters: 200_000,
  /** Items of one list shown before "Show all". */
  listItems: 2_000,
  /** Body rows of one table shown before "Show all". */
  tableRows: 2_000,
  /** Longest code block highlighted; longer ones are shown plain. */
  highlightCharacters: 100_000,
} as const;

export interface BlockRenderSettings {
  highlighter: Highlighter | undefined;
  /** The user asked to see this block in full. */
  expanded: boolean;
  /** The block may still grow (the reply is streaming and this is its last block). */
  growing: boolean;
  /** Images the user chose to load, by normalized URL, and what became of each. */
  images: ReadonlyMap<string, RemoteImageState>;
}

export interface DirtyBlock {
  /** Marked's output for the block: still to be sanitized. */
  html: string;
  /** The full text of each code block, in order: what Copy code copies, even when the block is cut short. */
  codes: string[];
  /** A limit cut something short (and `expanded` was false). */
  limited: boolean;
  /** A code block names a language but the highlighter is not loaded yet. */
  wantsHighlighter: boolean;
  /** A code block was left plain only because it is still being written: it is highlighted once, when it closes. */
  highlightDeferred: boolean;
  /** Normalized URLs of every image in the block, stand-in or shown. */
  imageSources: string[];
}

const numberFormat = new Intl.NumberFormat('en');

function showAllButton(label: string): string {
  return `<p class="mc-show-all"><button type="button" ${ACTION_ATTRIBUTE}="show-all">${escapeHtml(label)}</button></p>\n`;
}

/** The state of the block being rendered; marked's renderer methods cannot take extra arguments. */
interface RenderState extends DirtyBlock {
  settings: BlockRenderSettings;
  /** The text of the task list item whose checkbox comes next. */
  taskLabel: string;
  links: LinkImageState;
}

const MAX_TASK_LABEL = 200;

const BLOCK_TOKENS: ReadonlySet<string> = new Set([
  'blockquote',
  'code',
  'heading',
  'hr',
  'html',
  'list',
  'paragraph',
  'space',
  'table',
]);

/**
 * A task item's own text, before any nested block, as plain text: the name of its checkbox. A tight item holds the
 * checkbox and inline tokens directly; a loose one holds them in its first paragraph.
 */
function taskLabel(parser: Parser, item: Tokens.ListItem): string {
  const first = item.tokens[0];
  const container =
    first && first.type !== 'checkbox' && 'tokens' in first && first.tokens ? first.tokens : item.tokens;
  const inline: Token[] = [];
  for (const token of container) {
    if (BLOCK_TOKENS.has(token.type) && !(token.type === 'html' && !token.block)) break;
    if (token.type === 'checkbox') continue;
    // A tight item wraps its inline content in a block-level "text" token.
    if (token.type === 'text' && 'tokens' in token && token.tokens) inline.push(...token.tokens);
    else inline.push(token);
  }
  return parser.parseInline(inline, parser.textRenderer).replace(/\s+/g, ' ').trim().slice(0, MAX_TASK_LABEL);
}

let state: RenderState | undefined;

function currentState(): RenderState {
  if (!state) throw new Error('markdown renderer called outside renderBlock');
  return state;
}

function codeBlock(token: Tokens.Code): string {
  const current = currentState();
  const { settings } = current;
  const language = /^\S*/.exec(token.lang ?? '')?.[0] ?? '';
  const index = current.codes.push(token.text) - 1;
  const cut = !settings.expanded && token.text.length > LIMITS.codeCharacters;
  const shown = cut ? token.text.slice(0, LIMITS.codeCharacters) : token.text;
  let body: string | undefined;
  if (language && !cut && shown.length <= LIMITS.highlightCharacters) {
    if (!settings.highlighter) current.wantsHighlighter = true;
    // Highlighting again on every token would cost as much as the block is long; the reader gets colours at the end.
    else if (settings.growing) current.highlightDeferred = true;
    else body = settings.highlighter(shown, language);
  }
  if (cut) current.limited = true;
  const languageClass = language ? ` class="language-${escapeHtml(language)}"` : '';
  const label = language ? `<span class="mc-code-language">${escapeHtml(language)}</span>` : '';
  return (
    `<div class="mc-code"><div class="mc-code-bar">${label}` +
    `<button type="button" class="mc-copy" ${ACTION_ATTRIBUTE}="copy-code" ${CODE_INDEX_ATTRIBUTE}="${index}">Copy code</button>` +
    // Focusable, as a long line makes it a region that scrolls sideways, which keyboard users must reach (as GitHub's).
    `</div><pre tabindex="0"><code${languageClass}>${body ?? escapeHtml(shown)}</code></pre>` +
    (cut ? showAllButton(`Show all ${numberFormat.format(token.text.length)} characters`) : '') +
    `</div>\n`
  );
}

function createMarked(): Marked {
  const marked = new Marked({ ...LEXER_OPTIONS });
  marked.use({
    renderer: {
      code: codeBlock,
      link(token) {
        return renderLink(this.parser, token, currentState().links);
      },
      image(token) {
        return renderImage(this.parser, token, currentState().links);
      },
      html({ text, block }) {
        // Raw HTML from the model is shown, never interpreted.
        return block ? `<p class="mc-raw-html">${escapeHtml(text.replace(/\n+$/, ''))}</p>\n` : escapeHtml(text);
      },
      text(token) {
        // Marked leaves text after an inline <pre> or <script> unescaped, expecting the tag to be live; it is not.
        if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
        return escapeText(token.text);
      },
      listitem(item) {
        if (item.task) currentState().taskLabel = taskLabel(this.parser, item);
        return false;
      },
      checkbox({ checked }) {
        // Not an <input>: nothing in a reply is a form control. The item's text names it, as a label would.
        const label = escapeText(currentState().taskLabel);
        return `<span class="mc-task" role="checkbox" aria-checked="${checked ? 'true' : 'false'}" aria-disabled="true" aria-label="${label}"></span> `;
      },
      list(token) {
        const current = currentState();
        if (current.settings.expanded || token.items.length <= LIMITS.listItems) return false;
        current.limited = true;
        const shown = Renderer.prototype.list.call(this, { ...token, items: token.items.slice(0, LIMITS.listItems) });
        return shown + showAllButton(`Show all ${numberFormat.format(token.items.length)} items`);
      },
      table(token) {
        const current = currentState();
        if (current.settings.expanded || token.rows.length <= LIMITS.tableRows) return false;
        current.limited = true;
        const shown = Renderer.prototype.table.call(this, { ...token, rows: token.rows.slice(0, LIMITS.tableRows) });
        return shown + showAllButton(`Show all ${numberFormat.format(token.rows.length)} rows`);
      },
    },
  });
  return marked;
}

const marked = createMarked();

/** Renders top-level tokens (normally one) to HTML that still has to go through the sanitizer. */
export function renderBlock(tokens: Token[], settings: BlockRenderSettings): DirtyBlock {
  const imageSources: string[] = [];
  const current: RenderState = {
    settings,
    html: '',
    codes: [],
    limited: false,
    wantsHighlighter: false,
    highlightDeferred: false,
    imageSources,
    taskLabel: '',
    links: { images: settings.images, imageSources, standInsAfterLink: undefined },
  };
  state = current;
  try {
    current.html = marked.parser(tokens);
  } catch {
    current.html = `<p class="mc-plain">${escapeHtml(tokens.map((token) => token.raw).join(''))}</p>\n`;
  } finally {
    state = undefined;
  }
  const { html, codes, limited, wantsHighlighter, highlightDeferred } = current;
  return { html, codes, limited, wantsHighlighter, highlightDeferred, imageSources };
}
