import { LitElement, html, noChange, nothing, type ElementPart } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Directive, directive, PartType, type PartInfo } from 'lit/directive.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  ACTION_ATTRIBUTE,
  CODE_INDEX_ATTRIBUTE,
  IMAGE_SOURCE_ATTRIBUTE,
  createStreamingRenderer,
  fetchRemoteImage,
  getLoadedHighlighter,
  loadHighlighter,
  parseSafeImageUrl,
  type Highlighter,
  type RemoteImageLoader,
  type RemoteImageOutcome,
  type RemoteImageState,
  type RenderedBlock,
  type RenderResult,
  showBlock,
} from '../markdown/index.js';
import { markdownStyles } from './markdown-styles.js';

const NO_BLOCKS: RenderResult = {
  blocks: [],
  hiddenCharactersRemoved: false,
  needsHighlighter: false,
  renderedBlocks: 0,
};
const COPIED_FEEDBACK_MS = 2000;
/**
 * Blocks are shown in groups of this many. While the reply streams, every group but the last is skipped by the
 * browser's layout and paint while it is off screen (`content-visibility: auto`): a frame of a long streaming reply
 * then paints about what is on screen, not all that the scroller keeps painted around it (thousands of pixels of
 * finished blocks, repainted on every scroll). Groups that did not change are not even compared block by block.
 */
export const BLOCKS_PER_GROUP = 16;

interface BlockGroup {
  readonly key: string;
  /** Mutable only as `guard` takes its dependencies. */
  readonly blocks: RenderedBlock[];
}

function groupBlocks(blocks: readonly RenderedBlock[]): BlockGroup[] {
  const groups: BlockGroup[] = [];
  for (let start = 0; start < blocks.length; start += BLOCKS_PER_GROUP) {
    // Keyed by its first block's key, which stays that block's for the life of the text.
    const group = blocks.slice(start, start + BLOCKS_PER_GROUP);
    groups.push({ key: group[0]?.key ?? '', blocks: group });
  }
  return groups;
}

/**
 * Keeps a block element's DOM in step with its rendering. A new rendering that only grew the last one (a list item,
 * code text) is patched in; any other replaces the element's content. The same rendering again changes nothing.
 */
class BlockContentDirective extends Directive {
  private shownRevision: number | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('blockContent() belongs on an element');
  }

  render(block: RenderedBlock) {
    return block.revision;
  }

  override update(part: ElementPart, [block]: [RenderedBlock]) {
    if (block.revision !== this.shownRevision) {
      showBlock(part.element as HTMLElement, block, this.shownRevision);
      this.shownRevision = block.revision;
    }
    return noChange;
  }
}

const blockContent = directive(BlockContentDirective);

/**
 * Renders markdown (a model reply, or any other text) as sanitized HTML. Each top-level block is its own part, keyed
 * and cached, so while a reply streams only its last block's DOM changes: a growing list or code block is patched
 * (its new item or text only), any other block is rebuilt. Code blocks have a "Copy code" button;
 * very long blocks have "Show all".
 *
 * Images are never fetched until the user presses "Load image from host". Then the image is fetched as data (the
 * page's CSP lets `<img>` load nothing from other hosts) and shown from a `blob:` URL, revoked when this element is
 * removed; a host that does not allow that (no CORS), or that sends no image, gets a link "Open image from host"
 * instead.
 *
 * No events: everything the content offers (load an image, copy code, show all) is handled here.
 *
 * @csspart content - the rendered blocks
 * @csspart notice - "Hidden characters were removed from this reply."
 *
 * @cssprop --mc-color-text - body text
 * @cssprop --mc-color-text-muted - link hosts, quotes, code labels
 * @cssprop --mc-color-link - links
 * @cssprop --mc-color-border - rules, table and code borders
 * @cssprop --mc-color-surface-muted - code and table header backgrounds
 * @cssprop --mc-color-warning - the hidden-characters notice
 * @cssprop --mc-color-code-comment, --mc-color-code-keyword, --mc-color-code-string, --mc-color-code-number,
 *   --mc-color-code-title, --mc-color-code-type - highlighted code
 * @cssprop --mc-font-mono - code
 * @cssprop --mc-radius-sm, --mc-radius-md, --mc-line-height, --mc-line-height-tight, --mc-font-weight-bold - shape and type
 */
@customElement('mc-markdown')
export class McMarkdown extends LitElement {
  static override styles = markdownStyles;

  private readonly renderer = createStreamingRenderer();
  private result: RenderResult = NO_BLOCKS;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;
  /** The `blob:` URLs made for loaded images, revoked when this element leaves the page. */
  private readonly objectUrls = new Set<string>();
  /** Image fetches under way, by normalized URL. */
  private readonly imageFetches = new Map<string, AbortController>();

  /** Images the user chose to load, by normalized URL, and what became of each. */
  @state() private images: ReadonlyMap<string, RemoteImageState> = new Map();
  /** Keys of blocks the user asked to see in full. */
  @state() private expandedBlocks: ReadonlySet<string> = new Set();
  @state() private highlighter: Highlighter | undefined = getLoadedHighlighter();
  /** Said politely to assistive technology after Copy code. */
  @state() private announcement = '';

  /** The markdown to show. */
  @property() text = '';
  /** True while `text` is still growing; its last block is then not final. */
  @property({ type: Boolean, reflect: true }) streaming = false;
  /** Fetches an image the user asked for; the default fetches it with CORS, without cookies or Referer. */
  @property({ attribute: false }) imageLoader: RemoteImageLoader = fetchRemoteImage;

  constructor() {
    super();
    // Clicks inside the rendered HTML are handled by delegation: the content is markup, not templates.
    this.addEventListener('click', this.handleClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.copiedTimer);
    for (const fetching of this.imageFetches.values()) fetching.abort();
    this.imageFetches.clear();
    for (const objectUrl of this.objectUrls) URL.revokeObjectURL(objectUrl);
    this.objectUrls.clear();
    // Shown again, the images it had loaded are buttons again: their data is gone.
    const blocked = [...this.images].filter(([, image]) => image.status === 'blocked');
    if (blocked.length !== this.images.size) this.images = new Map(blocked);
  }

  override willUpdate(): void {
    this.result = this.renderer.render(this.text, {
      final: !this.streaming,
      images: this.images,
      expandedBlocks: this.expandedBlocks,
      highlighter: this.highlighter,
    });
    // A code block needs the highlighter: its module loads now (once), and its arrival is the next update.
    if (this.result.needsHighlighter && !this.highlighter) void this.requestHighlighter();
  }

  private async requestHighlighter(): Promise<void> {
    try {
      this.highlighter = await loadHighlighter();
    } catch {
      // Highlighting is a nicety: the code stays readable as plain text, and the next render may try again.
    }
  }

  private readonly handleClick = (event: MouseEvent): void => {
    const button = event
      .composedPath()
      .find(
        (target): target is HTMLButtonElement =>
          target instanceof HTMLButtonElement && target.hasAttribute(ACTION_ATTRIBUTE),
      );
    if (!button || !this.renderRoot.contains(button)) return;
    // A placeholder can sit inside a link; the click is for the button only.
    event.preventDefault();
    const block = button.closest<HTMLElement>('[data-block]');
    const blockKey = block?.dataset['block'];
    if (!block || !blockKey) return;
    switch (button.getAttribute(ACTION_ATTRIBUTE)) {
      case 'load-image':
        void this.loadImage(button, block);
        break;
      case 'copy-code':
        void this.copyCode(button, blockKey);
        break;
      case 'show-all':
        this.expandedBlocks = new Set([...this.expandedBlocks, blockKey]);
        void this.keepFocusIn(block);
        break;
    }
  };

  private async loadImage(button: HTMLButtonElement, block: HTMLElement): Promise<void> {
    const url = parseSafeImageUrl(button.getAttribute(IMAGE_SOURCE_ATTRIBUTE) ?? '');
    if (!url || this.images.has(url.href)) return;
    const fetching = new AbortController();
    this.imageFetches.set(url.href, fetching);
    this.setImage(url.href, { status: 'loading' });
    await this.keepFocusIn(block);
    let outcome: RemoteImageOutcome;
    try {
      outcome = await this.imageLoader(url, fetching.signal);
    } catch {
      outcome = { ok: false, reason: 'unreachable' };
    }
    if (fetching.signal.aborted) return;
    this.imageFetches.delete(url.href);
    if (outcome.ok) {
      const objectUrl = URL.createObjectURL(outcome.image);
      this.objectUrls.add(objectUrl);
      this.setImage(url.href, { status: 'loaded', objectUrl });
      this.announcement = 'Image loaded.';
    } else {
      this.setImage(url.href, { status: 'blocked', reason: outcome.reason });
      this.announcement = `The image from ${url.host} cannot be shown here. A link opens it in a new tab.`;
    }
    // Unless the reader has moved on meanwhile, focus stays where the button was.
    const focused = deepActiveElement();
    if (focused === block || focused === null || focused === document.body) await this.keepFocusIn(block);
  }

  private setImage(href: string, image: RemoteImageState): void {
    this.images = new Map([...this.images, [href, image]]);
  }

  private async copyCode(button: HTMLButtonElement, blockKey: string): Promise<void> {
    const index = Number(button.getAttribute(CODE_INDEX_ATTRIBUTE));
    const code = this.result.blocks.find((block) => block.key === blockKey)?.codes[index];
    if (code === undefined) return;
    this.announcement = '';
    try {
      await navigator.clipboard.writeText(code);
      this.announcement = 'Code copied.';
      button.toggleAttribute('data-copied', true);
      clearTimeout(this.copiedTimer);
      this.copiedTimer = setTimeout(() => button.removeAttribute('data-copied'), COPIED_FEEDBACK_MS);
    } catch {
      this.announcement = 'Could not copy the code. Select it and copy it with your keyboard instead.';
    }
  }

  /** The pressed button goes away when its block renders again; focus stays on the block rather than the page. */
  private async keepFocusIn(block: HTMLElement): Promise<void> {
    await this.updateComplete;
    if (block.isConnected) block.focus();
  }

  override render() {
    const { blocks, hiddenCharactersRemoved } = this.result;
    return html`
      <div class="content" part="content">
        ${repeat(
          groupBlocks(blocks),
          (group) => group.key,
          (group) =>
            html`<div class="group">
              ${guard(group.blocks, () =>
                repeat(
                  group.blocks,
                  (block) => block.key,
                  (block) =>
                    html`<div class="block" tabindex="-1" data-block=${block.key} ${blockContent(block)}></div>`,
                ),
              )}
            </div>`,
        )}
      </div>
      ${
        hiddenCharactersRemoved
          ? html`<p class="notice" part="notice">Hidden characters were removed from this reply.</p>`
          : nothing
      }
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }
}

/** The focused element, looking into open shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-markdown': McMarkdown;
  }
}
