/**
 * The last block of a streaming reply, rendered at a cost that does not grow with the block. A growing list renders,
 * sanitizes and replaces only the items that changed (normally the last); a growing fenced code block stays plain
 * text, and only the new text is added to the page, until the block closes and is highlighted once. Each piece goes
 * through the one sanitizer policy; the HTML said to be the block's is those sanitized pieces joined, which the
 * streaming tests hold equal to a full render of the same text.
 *
 * Anything these paths do not cover (a list item holding code, a block cut short by a limit, a changed context)
 * returns `undefined`, and the caller renders the whole block as before.
 */
import type { Token, Tokens } from 'marked';
import type { TrustedHTML } from 'trusted-types/lib';
import { LIMITS, renderBlock, type BlockRenderSettings, type DirtyBlock } from './block-renderer.js';
import { sanitizeHtml } from './sanitize-policy.js';

/** How to bring a block's DOM, as shown at revision `fromRevision`, up to date without building it again. */
export type BlockPatch =
  | {
      readonly kind: 'list-items';
      readonly fromRevision: number;
      /** The list's items before this index stay as they are; the rest are replaced by `items`. */
      readonly keep: number;
      /** Each a sanitized one-item list of the same kind, whose item is moved into the shown list. */
      readonly items: readonly (TrustedHTML | string)[];
    }
  | { readonly kind: 'code-text'; readonly fromRevision: number; readonly append: string };

let lastRevision = 0;

/** A number no other rendered block has: what a shown block's DOM is known by. */
export function nextRevision(): number {
  return ++lastRevision;
}

/** What the pieces were rendered against: when any of it changes, the block is rendered whole. */
interface Stamp {
  highlighter: unknown;
  images: unknown;
  expanded: boolean;
  references: string;
}

interface ItemRendering {
  raw: string;
  loose: boolean;
  html: string;
  trusted: TrustedHTML | string;
  dirty: DirtyBlock;
  hidden: boolean;
}

export type Growth =
  | { kind: 'list'; stamp: Stamp; open: string; close: string; items: ItemRendering[] }
  | { kind: 'code'; stamp: Stamp; language: string; before: string; after: string; text: string; dirty: DirtyBlock };

/** A grown block: its HTML, how to patch the DOM it grew from, and the flags a full render would report. */
export interface GrownBlock {
  growth: Growth;
  html: string;
  /** As `RenderedBlock.codes`. */
  codes: string[];
  /** Sanitizes `html` with the one policy, for a view that has no DOM to patch. */
  trusted: () => TrustedHTML | string;
  patch: BlockPatch | undefined;
  hidden: boolean;
  flags: Pick<DirtyBlock, 'limited' | 'wantsHighlighter' | 'highlightDeferred' | 'imageSources'>;
}

export interface Previous {
  growth: Growth | undefined;
  revision: number | undefined;
}

const FENCE_START = /^ {0,3}(?:`{3,}|~{3,})/;
const SANITIZED_LIST = /^(<[ou]l(?: start="\d+")?>\n)(<li>[\s\S]*<\/li>\n)(<\/[ou]l>\n)$/;
const CODE_END = '</code></pre>';

function sameStamp(a: Stamp, b: Stamp): boolean {
  return (
    a.highlighter === b.highlighter &&
    a.images === b.images &&
    a.expanded === b.expanded &&
    a.references === b.references
  );
}

/** Text as the HTML serializer writes it inside an element: what the sanitizer's output holds for the code text. */
function serializeText(text: string): string {
  return text.replace(/[&<>\u00A0]/g, (character) =>
    character === '&' ? '&amp;' : character === '<' ? '&lt;' : character === '>' ? '&gt;' : '&nbsp;',
  );
}

/** Renders the growing last block in pieces when it is a list or a fenced code block; `undefined` otherwise. */
export function growBlock(
  token: Token,
  settings: BlockRenderSettings,
  stamp: Stamp,
  previous: Previous,
): GrownBlock | undefined {
  const prior = previous.growth && sameStamp(previous.growth.stamp, stamp) ? previous.growth : undefined;
  if (token.type === 'list') return growList(token as Tokens.List, settings, stamp, prior, previous.revision);
  if (token.type === 'code' && FENCE_START.test(token.raw))
    return growCode(token as Tokens.Code, settings, stamp, prior, previous.revision);
  return undefined;
}

function renderItem(list: Tokens.List, item: Tokens.ListItem, settings: BlockRenderSettings) {
  const dirty = renderBlock([{ ...list, raw: item.raw, items: [item] }], settings);
  // A code block's Copy code button is numbered within its whole block, which one item alone cannot know.
  if (dirty.codes.length > 0) return undefined;
  const sanitized = sanitizeHtml(dirty.html, { images: settings.images });
  const parts = SANITIZED_LIST.exec(sanitized.html);
  if (!parts) return undefined;
  const [, open = '', html = '', close = ''] = parts;
  const rendering: ItemRendering = {
    raw: item.raw,
    loose: item.loose,
    html,
    trusted: sanitized.trusted,
    dirty,
    hidden: sanitized.hiddenCharactersRemoved,
  };
  return { open, close, rendering };
}

const TRAILING_LINE_BREAKS = /\n+$/;

/**
 * Whether an item rendered before renders the same now. The item before the growing one gains a line break when the
 * next item starts; in a list that stays tight that changes nothing it shows (a list turning loose changes `loose`).
 */
function sameItem(cached: ItemRendering, item: Tokens.ListItem): boolean {
  if (cached.loose !== item.loose) return false;
  return (
    cached.raw === item.raw ||
    cached.raw.replace(TRAILING_LINE_BREAKS, '') === item.raw.replace(TRAILING_LINE_BREAKS, '')
  );
}

function growList(
  token: Tokens.List,
  settings: BlockRenderSettings,
  stamp: Stamp,
  prior: Growth | undefined,
  revision: number | undefined,
): GrownBlock | undefined {
  if (token.items.length === 0 || token.items.length > LIMITS.listItems) return undefined;
  const before = prior?.kind === 'list' ? prior : undefined;
  let open = before?.open;
  let close = before?.close;
  const items: ItemRendering[] = [];
  for (const [index, item] of token.items.entries()) {
    const cached = before?.items[index];
    if (cached && sameItem(cached, item)) {
      items.push(cached);
      continue;
    }
    const rendered = renderItem(token, item, settings);
    if (!rendered || (open !== undefined && (rendered.open !== open || rendered.close !== close))) return undefined;
    open = rendered.open;
    close = rendered.close;
    items.push(rendered.rendering);
  }
  let keep = 0;
  while (keep < items.length && before?.items[keep]?.html === items[keep]?.html) keep++;
  const html = `${open ?? ''}${items.map((item) => item.html).join('')}${close ?? ''}`;
  const canPatch = before !== undefined && revision !== undefined && before.open === open;
  const imageSources = items.flatMap((item) => item.dirty.imageSources);
  return {
    growth: { kind: 'list', stamp, open: open ?? '', close: close ?? '', items },
    html,
    codes: [],
    trusted: () => sanitizeHtml(html, { images: settings.images }).trusted,
    patch: canPatch
      ? { kind: 'list-items', fromRevision: revision, keep, items: items.slice(keep).map((item) => item.trusted) }
      : undefined,
    hidden: items.some((item) => item.hidden),
    flags: {
      limited: items.some((item) => item.dirty.limited),
      wantsHighlighter: items.some((item) => item.dirty.wantsHighlighter),
      highlightDeferred: items.some((item) => item.dirty.highlightDeferred),
      imageSources,
    },
  };
}

function growCode(
  token: Tokens.Code,
  settings: BlockRenderSettings,
  stamp: Stamp,
  prior: Growth | undefined,
  revision: number | undefined,
): GrownBlock | undefined {
  // Past these the code is cut short or never highlighted, which the whole-block render handles.
  if (token.text.length > LIMITS.codeCharacters || token.text.length > LIMITS.highlightCharacters) return undefined;
  const language = token.lang ?? '';
  const before = prior?.kind === 'code' && prior.language === language ? prior : undefined;
  let shell = before;
  if (!shell) {
    // The block with no code in it: its sanitized HTML is what surrounds the code text. Keyed on the language.
    const dirty = renderBlock([{ ...token, text: '' }], settings);
    const sanitized = sanitizeHtml(dirty.html, { images: settings.images }).html;
    const end = sanitized.indexOf(CODE_END);
    if (end < 0 || sanitized.indexOf(CODE_END, end + 1) >= 0) return undefined;
    shell = {
      kind: 'code',
      stamp,
      language,
      before: sanitized.slice(0, end),
      after: sanitized.slice(end),
      text: '',
      dirty,
    };
  }
  const html = `${shell.before}${serializeText(token.text)}${shell.after}`;
  const canPatch = before !== undefined && shell === before && revision !== undefined;
  const appended = canPatch && token.text.startsWith(before.text);
  return {
    growth: { ...shell, text: token.text },
    html,
    codes: [token.text],
    trusted: () => sanitizeHtml(html, { images: settings.images }).trusted,
    patch: appended
      ? { kind: 'code-text', fromRevision: revision, append: token.text.slice(before.text.length) }
      : undefined,
    hidden: false,
    flags: {
      limited: false,
      wantsHighlighter: shell.dirty.wantsHighlighter,
      highlightDeferred: shell.dirty.highlightDeferred,
      imageSources: [],
    },
  };
}

/**
 * Shows `block` in `element`: by its patch when the element shows the revision the patch starts from, else whole.
 */
export function showBlock(
  element: HTMLElement,
  block: { readonly trusted: TrustedHTML | string; readonly patch?: BlockPatch | undefined },
  shownRevision: number | undefined,
): void {
  const patch = block.patch;
  if (patch && patch.fromRevision === shownRevision && applyPatch(element, patch)) return;
  element.innerHTML = block.trusted as string;
}

function applyPatch(element: HTMLElement, patch: BlockPatch): boolean {
  if (patch.kind === 'code-text') {
    const code = element.querySelector('pre > code');
    if (!code || code.childElementCount > 0) return false;
    // One text node, as a full render makes, so the DOM stays equal to it.
    if (code.lastChild instanceof Text) code.lastChild.appendData(patch.append);
    else code.append(patch.append);
    return true;
  }
  const list = element.firstElementChild;
  if (!list || (list.tagName !== 'UL' && list.tagName !== 'OL') || list.nextElementSibling) return false;
  const items = list.children;
  if (items.length < patch.keep) return false;
  const firstReplaced = items[patch.keep];
  if (firstReplaced) {
    while (firstReplaced.nextSibling) firstReplaced.nextSibling.remove();
    firstReplaced.remove();
  }
  const parsing = document.createElement('template');
  for (const item of patch.items) {
    parsing.innerHTML = item as string;
    const parsed = parsing.content.firstElementChild;
    const first = parsed?.firstElementChild;
    if (!first) return false;
    // The item and the line break after it, as in the whole list; the list's own leading line break stays.
    const nodes: Node[] = [];
    for (let node: Node | null = first; node; node = node.nextSibling) nodes.push(node);
    list.append(...nodes);
  }
  return true;
}
