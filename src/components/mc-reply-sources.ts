import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReplySource } from '../domain/attachments.js';
import type { ShownSource } from '../state/app-state.js';
import { focusRing, visuallyHidden } from '../styles/shared.js';
import { emit } from './events.js';
import { fileIcon } from './icons.js';

function describeSource(source: ReplySource): string {
  if (source.whole) return 'whole file';
  const count = source.passages.length;
  return count === 1 ? '1 passage' : `${count.toLocaleString('en')} passages`;
}

/**
 * What of which file a reply's model saw: a closed disclosure "Sources (N)" listing each file's name and "whole
 * file" or "3 passages". Opening it the first time asks for the text (`mc-load-sources`); the owner hands it in as
 * `shownSources`, and each excerpt shows under its file. Names and excerpts are the user's files: shown as text only,
 * never as markup.
 *
 * @fires mc-load-sources - The disclosure opened and the excerpts are not here yet. detail: `{ messageId }`. Bubbles
 *   out of the shadow roots, for the app.
 */
@customElement('mc-reply-sources')
export class McReplySources extends LitElement {
  static override styles = [
    focusRing,
    visuallyHidden,
    css`
      :host {
        display: block;
        font-size: var(--mc-font-size-sm);
      }
      summary {
        width: fit-content;
        border-radius: var(--mc-radius-sm);
        color: var(--mc-color-text-muted);
        cursor: pointer;
        font-weight: var(--mc-font-weight-medium);
      }
      summary:hover {
        color: var(--mc-color-text);
      }
      ul {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-3);
        margin: var(--mc-space-2) 0 0;
        padding: 0;
        list-style: none;
      }
      .file {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        margin: 0;
      }
      .name {
        overflow-wrap: anywhere;
        font-weight: var(--mc-font-weight-medium);
      }
      .detail,
      .loading {
        color: var(--mc-color-text-muted);
      }
      .excerpts {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
        margin: var(--mc-space-2) 0 0;
        padding: 0;
        list-style: none;
      }
      /* An excerpt keeps its lines; a long one scrolls rather than burying the reply below it. */
      .excerpt {
        overflow: auto;
        max-height: 12rem;
        margin: 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        border-left: 3px solid var(--mc-color-border-strong);
        background: var(--mc-color-surface-muted);
        font-size: var(--mc-font-size-xs);
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      svg {
        flex: none;
        width: 1rem;
        height: 1rem;
      }
    `,
  ];

  /** The reply whose sources these are. */
  @property({ attribute: false }) messageId = '';
  /** The reply's `sources`, as saved with it. */
  @property({ attribute: false }) sources: readonly ReplySource[] = [];
  /** The sources with their excerpts' text, once the owner has read them; undefined until then. */
  @property({ attribute: false }) shownSources: readonly ShownSource[] | undefined = undefined;

  /** `mc-load-sources` was sent for this reply: once is enough, the text arrives as `shownSources`. */
  @state() private asked = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messageId')) this.asked = false;
  }

  #onToggle(event: Event): void {
    const open = (event.currentTarget as HTMLDetailsElement).open;
    if (!open || this.shownSources !== undefined || this.asked) return;
    this.asked = true;
    emit(this, 'mc-load-sources', { messageId: this.messageId }, { leaveShadowRoot: true });
  }

  #renderExcerpts(source: ReplySource) {
    if (this.shownSources === undefined) return nothing;
    const shown = this.shownSources.find((candidate) => candidate.attachmentId === source.attachmentId);
    if (!shown || shown.excerpts.length === 0) return nothing;
    return html`<ol class="excerpts" aria-label=${source.whole ? 'Text sent' : 'Passages sent'}>
      ${shown.excerpts.map(
        // Focusable, so a keyboard can scroll a long excerpt too.
        (excerpt) => html`<li><p class="excerpt" tabindex="0">${excerpt}</p></li>`,
      )}
    </ol>`;
  }

  override render() {
    if (this.sources.length === 0) return nothing;
    const loading = this.asked && this.shownSources === undefined;
    return html`<details @toggle=${this.#onToggle}>
      <summary>Sources (${this.sources.length.toLocaleString('en')})</summary>
      <ul aria-busy=${loading ? 'true' : nothing}>
        ${this.sources.map(
          (source) =>
            html`<li>
              <p class="file">
                ${fileIcon}<span class="name">${source.name}</span>
                <span class="detail">· ${describeSource(source)}</span>
              </p>
              ${this.#renderExcerpts(source)}
            </li>`,
        )}
      </ul>
      ${loading ? html`<p class="loading">Loading the text the model saw…</p>` : nothing}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-reply-sources': McReplySources;
  }
  interface HTMLElementEventMap {
    /** A reply's "Sources" was opened: read the text of what its model saw. */
    'mc-load-sources': CustomEvent<{ messageId: string }>;
  }
}
