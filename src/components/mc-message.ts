import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Usage } from '../engines/types.js';
import type { MessageRecord } from '../state/types.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { emit } from './events.js';
import { alertIcon, copyIcon, regenerateIcon, sparkIcon } from './icons.js';

const ENGINE_NAMES = { local: 'This device', hosted: 'Hugging Face API' } as const;

function describeUsage(usage: Usage): string {
  const parts = [`${usage.completionTokens} tokens`];
  if (usage.decodeTokensPerSecond !== undefined) parts.push(`${usage.decodeTokensPerSecond.toFixed(1)} tokens/s`);
  if (usage.timeToFirstTokenMs !== undefined) {
    parts.push(`first token in ${(usage.timeToFirstTokenMs / 1000).toFixed(2)} s`);
  }
  return parts.join(' · ');
}

/**
 * One message as an `article` named "You" or "Assistant, <engine>": its text, the model that wrote it, what became of
 * it (stopped, failed, interrupted), usage figures, and the Copy / Regenerate actions.
 *
 * @fires mc-copy - After "Copy" tried the clipboard. detail: `{ copied }`. Bubbles and is composed (leaves the
 *   transcript's shadow root) so the app can show a toast.
 * @fires mc-regenerate - "Regenerate" was pressed. Bubbles and is composed, like mc-copy.
 */
@customElement('mc-message')
export class McMessage extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    visuallyHidden,
    css`
      :host {
        display: block;
      }
      article {
        display: flex;
        gap: var(--mc-space-4);
        line-height: var(--mc-line-height);
      }
      article.user {
        justify-content: flex-end;
      }
      .avatar {
        display: grid;
        flex: none;
        place-items: center;
        width: 2rem;
        height: 2rem;
        border: 1px solid var(--mc-color-border);
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-accent-soft);
        color: var(--mc-color-accent);
      }
      .content {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
        min-width: 0;
      }
      .assistant .content {
        flex: 1;
      }
      .user .content {
        align-items: flex-end;
        max-width: min(85%, 36rem);
      }
      .model {
        margin: 0;
        padding-top: 0.3rem;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
        font-weight: var(--mc-font-weight-medium);
      }
      .body {
        overflow-wrap: anywhere;
      }
      /* Plain text keeps its line breaks; a rendered-Markdown body lays out its own blocks. */
      div.body {
        white-space: pre-wrap;
      }
      .user .body {
        padding: var(--mc-space-3) var(--mc-space-4);
        border-radius: var(--mc-radius-xl);
        background: var(--mc-color-user-bubble);
      }
      .typing {
        display: inline-flex;
        gap: 4px;
        padding: var(--mc-space-2) 0;
      }
      .typing span {
        width: 6px;
        height: 6px;
        border-radius: 50%;
        background: var(--mc-color-text-muted);
        animation: pulse 1.2s ease-in-out infinite;
      }
      .typing span:nth-child(2) {
        animation-delay: 0.15s;
      }
      .typing span:nth-child(3) {
        animation-delay: 0.3s;
      }
      @keyframes pulse {
        0%,
        80%,
        100% {
          opacity: 0.25;
        }
        40% {
          opacity: 1;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .typing span {
          animation: none;
          opacity: 0.6;
        }
      }
      .badge {
        display: inline-flex;
        align-self: flex-start;
        align-items: center;
        gap: var(--mc-space-1);
        margin: 0;
        padding: 2px var(--mc-space-2);
        border-radius: var(--mc-radius-sm);
        background: var(--mc-color-surface);
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
        font-weight: var(--mc-font-weight-medium);
      }
      .badge.error {
        padding: var(--mc-space-2) var(--mc-space-3);
        background: var(--mc-color-danger-soft);
        color: var(--mc-color-danger);
        font-size: var(--mc-font-size-sm);
        font-weight: var(--mc-font-weight-normal);
      }
      .badge svg {
        width: 1rem;
        height: 1rem;
      }
      .footer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-1) var(--mc-space-3);
        min-height: 2rem;
      }
      .actions {
        display: flex;
        gap: 2px;
      }
      .actions .icon-button {
        width: 2rem;
        height: 2rem;
        color: var(--mc-color-text-muted);
      }
      .actions .icon-button:hover {
        color: var(--mc-color-text);
      }
      .actions svg {
        width: 1rem;
        height: 1rem;
      }
      .usage {
        margin: 0;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) message!: MessageRecord;
  /** This message is the reply being written now. */
  @property({ type: Boolean }) streaming = false;
  /** Offer "Regenerate" (the last assistant reply, when nothing streams). */
  @property({ type: Boolean, attribute: 'can-regenerate' }) canRegenerate = false;

  async #copy(): Promise<void> {
    let copied = true;
    try {
      await navigator.clipboard.writeText(this.message.content);
    } catch {
      copied = false;
    }
    emit(this, 'mc-copy', { copied }, { leaveShadowRoot: true });
  }

  /**
   * The model's words are hostile input: they go through <mc-markdown>, whose one sanitizer policy decides what
   * becomes markup. The user's own words are shown as typed, as plain text.
   */
  renderBody() {
    if (this.message.role === 'assistant' && markdownReady(this)) {
      return html`<mc-markdown class="body" .text=${this.message.content} ?streaming=${this.streaming}></mc-markdown>`;
    }
    return html`<div class="body">${this.message.content}</div>`;
  }

  #renderOutcome() {
    switch (this.message.status) {
      case 'stopped':
        return html`<p class="badge">Stopped</p>`;
      case 'interrupted':
        return html`<p class="badge">Interrupted</p>`;
      case 'error':
        return html`<p class="badge error">${alertIcon}${this.message.error ?? 'Something went wrong.'}</p>`;
      default:
        return nothing;
    }
  }

  #renderFooter() {
    const { content, usage } = this.message;
    if (this.streaming) return nothing;
    return html`<div class="footer">
      <div class="actions">
        ${
          content === ''
            ? nothing
            : html`<button class="icon-button ghost" aria-label="Copy" title="Copy" @click=${this.#copy}>
                ${copyIcon}
              </button>`
        }
        ${
          this.canRegenerate
            ? html`<button
                class="icon-button ghost"
                aria-label="Regenerate"
                title="Regenerate"
                @click=${() => emit(this, 'mc-regenerate', undefined, { leaveShadowRoot: true })}
              >
                ${regenerateIcon}
              </button>`
            : nothing
        }
      </div>
      ${usage ? html`<p class="usage">${describeUsage(usage)}</p>` : nothing}
    </div>`;
  }

  override render() {
    const { role, engine, model, content } = this.message;
    if (role === 'user') {
      return html`<article class="user" aria-label="You">
        <div class="content">${this.renderBody()} ${this.#renderFooter()}</div>
      </article>`;
    }
    const label = engine ? `Assistant, ${ENGINE_NAMES[engine]}` : 'Assistant';
    const waiting = this.streaming && content === '';
    return html`<article class="assistant" aria-label=${label} aria-busy=${this.streaming ? 'true' : 'false'}>
      <div class="avatar">${sparkIcon}</div>
      <div class="content">
        ${model ? html`<p class="model">${model}</p>` : nothing}
        ${
          waiting
            ? html`<div class="typing" aria-hidden="true"><span></span><span></span><span></span></div>`
            : this.renderBody()
        }
        ${this.#renderOutcome()} ${this.#renderFooter()}
      </div>
    </article>`;
  }
}

let markdownLoading: Promise<unknown> | undefined;

/**
 * Whether <mc-markdown> (the Markdown parser and sanitizer, a chunk of its own) is defined. The first reply to need
 * it starts the import and shows plain text meanwhile; it re-renders once the element is defined.
 */
function markdownReady(message: McMessage): boolean {
  if (customElements.get('mc-markdown')) return true;
  markdownLoading ??= import('./mc-markdown.js');
  void markdownLoading.then(() => message.requestUpdate());
  return false;
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-message': McMessage;
  }
  interface HTMLElementEventMap {
    'mc-copy': CustomEvent<{ copied: boolean }>;
    'mc-regenerate': CustomEvent<void>;
  }
}
