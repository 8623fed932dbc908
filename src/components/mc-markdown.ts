import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
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
} from '../markdown/index.js';
import type {
  Highlighter,
  RemoteImageLoader,
  RemoteImageOutcome,
  RemoteImageState,
  RenderResult,
} from '../markdown/index.js';

const NO_BLOCKS: RenderResult = {
  blocks: [],
  hiddenCharactersRemoved: false,
  needsHighlighter: false,
  renderedBlocks: 0,
};
const COPIED_FEEDBACK_MS = 2000;

/**
 * Renders markdown (a model reply, or any other text) as sanitized HTML. Each top-level block is its own part, keyed
 * and cached, so while a reply streams only its last block's DOM is rebuilt. Code blocks have a "Copy code" button;
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
  static override styles = css`
    :host {
      --_muted: var(--mc-color-text-muted, color-mix(in srgb, currentColor 68%, transparent));
      --_border: var(--mc-color-border, color-mix(in srgb, currentColor 22%, transparent));
      --_surface: var(--mc-color-surface-muted, color-mix(in srgb, currentColor 7%, transparent));
      --_mono: var(--mc-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace);
      display: block;
      color: var(--mc-color-text, inherit);
      line-height: var(--mc-line-height, 1.55);
      overflow-wrap: anywhere;
    }
    .block > :first-child {
      margin-top: 0;
    }
    .block:last-child > :last-child {
      margin-bottom: 0;
    }
    .block:focus {
      outline: none;
    }
    p,
    ul,
    ol,
    dl,
    blockquote,
    table,
    .mc-code {
      margin: 0 0 0.8em;
    }
    h1,
    h2,
    h3,
    h4,
    h5,
    h6 {
      margin: 1.1em 0 0.5em;
      line-height: var(--mc-line-height-tight, 1.25);
      font-weight: var(--mc-font-weight-bold, 650);
    }
    h1 {
      font-size: 1.5em;
    }
    h2 {
      font-size: 1.3em;
    }
    h3 {
      font-size: 1.15em;
    }
    h4,
    h5,
    h6 {
      font-size: 1em;
    }
    ul,
    ol {
      padding-inline-start: 1.6em;
    }
    li + li,
    li > ul,
    li > ol {
      margin-top: 0.25em;
    }
    li > p {
      margin-bottom: 0.4em;
    }
    li:has(> .mc-task) {
      list-style: none;
    }
    .mc-task::before {
      content: '☐';
      display: inline-block;
      width: 1.1em;
      margin-inline-start: -1.2em;
    }
    .mc-task[aria-checked='true']::before {
      content: '☑';
    }
    hr {
      border: none;
      border-top: 1px solid var(--_border);
      margin: 1.2em 0;
    }
    a {
      color: var(--mc-color-link, LinkText);
      text-underline-offset: 0.15em;
    }
    .mc-link-host {
      color: var(--_muted);
      font-size: 0.85em;
    }
    blockquote {
      margin-inline: 0;
      padding-inline-start: 0.9em;
      border-inline-start: 3px solid var(--_border);
      color: var(--_muted);
    }
    code,
    kbd,
    samp,
    .mc-raw-html {
      font-family: var(--_mono);
      font-size: 0.9em;
    }
    :not(pre) > code {
      padding: 0.1em 0.35em;
      border-radius: var(--mc-radius-sm, 6px);
      background: var(--_surface);
    }
    .mc-raw-html {
      white-space: pre-wrap;
    }
    .mc-code {
      border: 1px solid var(--_border);
      border-radius: var(--mc-radius-md, 10px);
      background: var(--_surface);
      overflow: hidden;
    }
    .mc-code-bar {
      display: flex;
      align-items: center;
      gap: 0.5em;
      padding: 0.2em 0.35em 0.2em 0.8em;
      border-bottom: 1px solid var(--_border);
      font-size: 0.8em;
      color: var(--_muted);
    }
    .mc-code-language {
      font-family: var(--_mono);
    }
    .mc-copy {
      margin-inline-start: auto;
    }
    .mc-copy[data-copied]::after {
      content: ' ✓';
    }
    .mc-code pre:focus-visible {
      outline: 2px solid var(--mc-color-focus, Highlight);
      outline-offset: -2px;
    }
    .mc-code pre {
      margin: 0;
      padding: 0.75em 0.9em;
      overflow-x: auto;
      line-height: 1.45;
    }
    .mc-code .mc-show-all {
      margin: 0;
      padding: 0 0.9em 0.75em;
    }
    button {
      font: inherit;
      font-size: 0.9em;
      color: inherit;
      padding: 0.25em 0.6em;
      border: 1px solid var(--_border);
      border-radius: var(--mc-radius-sm, 6px);
      background: var(--mc-color-surface, Canvas);
      cursor: pointer;
    }
    button:hover {
      background: var(--_surface);
    }
    button:focus-visible {
      outline: 2px solid var(--mc-color-focus, Highlight);
      outline-offset: 2px;
    }
    table {
      display: block;
      max-width: 100%;
      overflow-x: auto;
      border-collapse: collapse;
    }
    th,
    td {
      padding: 0.35em 0.7em;
      border: 1px solid var(--_border);
      text-align: start;
      vertical-align: top;
    }
    th {
      background: var(--_surface);
      font-weight: 600;
    }
    th[align='center'],
    td[align='center'] {
      text-align: center;
    }
    th[align='right'],
    td[align='right'] {
      text-align: end;
    }
    .mc-image-note {
      color: var(--_muted);
      font-size: 0.9em;
    }
    img {
      max-width: 100%;
      height: auto;
      border-radius: var(--mc-radius-sm, 6px);
    }
    .mc-image-alt {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .notice {
      margin: 0.8em 0 0;
      padding: 0.35em 0.7em;
      border-inline-start: 3px solid var(--mc-color-warning, #b26b00);
      font-size: 0.85em;
      color: var(--_muted);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .hljs-comment,
    .hljs-quote {
      color: var(--mc-color-code-comment, light-dark(#57606a, #8b949e));
      font-style: italic;
    }
    .hljs-keyword,
    .hljs-selector-tag,
    .hljs-literal,
    .hljs-doctag,
    .hljs-meta .hljs-keyword {
      color: var(--mc-color-code-keyword, light-dark(#cf222e, #ff7b72));
    }
    .hljs-string,
    .hljs-regexp,
    .hljs-meta .hljs-string {
      color: var(--mc-color-code-string, light-dark(#0a3069, #a5d6ff));
    }
    .hljs-number,
    .hljs-symbol,
    .hljs-bullet,
    .hljs-variable,
    .hljs-template-variable,
    .hljs-attr,
    .hljs-attribute {
      color: var(--mc-color-code-number, light-dark(#0550ae, #79c0ff));
    }
    .hljs-title,
    .hljs-section,
    .hljs-name,
    .hljs-selector-id,
    .hljs-selector-class {
      color: var(--mc-color-code-title, light-dark(#8250df, #d2a8ff));
    }
    .hljs-built_in,
    .hljs-type,
    .hljs-title.class_,
    .hljs-meta {
      color: var(--mc-color-code-type, light-dark(#953800, #ffa657));
    }
    .hljs-addition {
      color: light-dark(#116329, #aff5b4);
      background: light-dark(#dafbe1, #033a16);
    }
    .hljs-deletion {
      color: light-dark(#82071e, #ffdcd7);
      background: light-dark(#ffebe9, #67060c);
    }
    .hljs-emphasis {
      font-style: italic;
    }
    .hljs-strong {
      font-weight: 600;
    }
  `;

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
  }

  override updated(): void {
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
          blocks,
          (block) => block.key,
          // TrustedHTML is an object, which Lit would assign again on every render: the guard keeps a block's DOM
          // untouched until the renderer hands over a different block.
          (block) =>
            html`<div
              class="block"
              tabindex="-1"
              data-block=${block.key}
              .innerHTML=${guard([block], () => block.trusted)}
            ></div>`,
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
