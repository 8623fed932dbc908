import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MessageRecord } from '../state/types.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { arrowDownIcon, sparkIcon } from './icons.js';
import './mc-message.js';

/** How close to the bottom (px) still counts as "at the bottom", so sub-pixel rounding does not unstick. */
const BOTTOM_SLACK = 48;

/**
 * The open conversation: a `log` named "Conversation" holding one `mc-message` per message. It keeps the newest text
 * in view while a reply streams, unless the reader scrolled up, in which case it offers "Jump to latest".
 *
 * Screen readers hear "Assistant is replying…" and "Reply finished" from a separate polite live region, not every
 * token: the streaming article is aria-busy. (That region has no `status` role: the app keeps one `status`, the
 * engine's, so `getByRole('status')` stays unambiguous.)
 *
 * Events from the messages (mc-copy, mc-regenerate) pass through.
 */
@customElement('mc-transcript')
export class McTranscript extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    visuallyHidden,
    css`
      :host {
        position: relative;
        display: block;
        min-height: 0;
      }
      .scroller {
        box-sizing: border-box;
        height: 100%;
        overflow-y: auto;
        overscroll-behavior: contain;
        scroll-padding-bottom: var(--mc-space-6);
      }
      [role='log'] {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-8);
        box-sizing: border-box;
        max-width: var(--mc-content-width);
        min-height: 100%;
        margin: 0 auto;
        padding: var(--mc-space-8) var(--mc-space-4);
      }
      .empty {
        display: flex;
        flex: 1;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: var(--mc-space-3);
        color: var(--mc-color-text-muted);
        text-align: center;
      }
      .empty .mark {
        display: grid;
        place-items: center;
        width: 3rem;
        height: 3rem;
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-accent-soft);
        color: var(--mc-color-accent);
      }
      .empty .mark svg {
        width: 1.5rem;
        height: 1.5rem;
      }
      .empty h2 {
        margin: 0;
        color: var(--mc-color-text);
        font-size: var(--mc-font-size-xl);
        font-weight: var(--mc-font-weight-bold);
      }
      .empty p {
        max-width: 28rem;
        margin: 0;
        line-height: var(--mc-line-height);
      }
      .jump {
        position: absolute;
        bottom: var(--mc-space-4);
        left: 50%;
        transform: translateX(-50%);
        border-radius: var(--mc-radius-pill);
        box-shadow: var(--mc-shadow-sm);
      }
    `,
  ];

  /** Whether to follow new text to the bottom; false once the reader scrolls up. */
  #stickToBottom = true;
  #lastScrollTop = 0;
  /** Messages render (and later grow) in their own update cycles, so follow the log's size rather than our updates. */
  readonly #resizeObserver = new ResizeObserver(() => {
    if (this.#stickToBottom) this.scrollToLatest();
  });

  @query('.scroller') private scroller!: HTMLElement;
  @query('[role="log"]') private log!: HTMLElement;

  @state() private awayFromBottom = false;
  @state() private replyAnnouncement = '';

  /** Oldest first. */
  @property({ attribute: false }) messages: readonly MessageRecord[] = [];
  /** The assistant message being streamed now, if any. */
  @property({ attribute: false }) streamingMessageId: string | null = null;
  /** Shown in the empty state while the app is still reading storage. */
  @property({ type: Boolean }) loading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#resizeObserver.observe(this.log);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver.disconnect();
  }

  protected override firstUpdated(): void {
    this.#resizeObserver.observe(this.log);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('streamingMessageId')) {
      const before = changed.get('streamingMessageId');
      if (this.streamingMessageId !== null) {
        this.replyAnnouncement = 'Assistant is replying…';
      } else if (before) {
        const reply = this.messages.find((message) => message.id === before);
        this.replyAnnouncement = reply?.status === 'stopped' ? 'Reply stopped' : 'Reply finished';
      }
    }
    if (changed.has('messages')) {
      const previous = changed.get('messages');
      const last = this.messages.at(-1);
      // A new conversation, or a message the user just sent, always brings the view to the bottom.
      const switched = previous?.[0]?.id !== this.messages[0]?.id;
      const userJustSent = last?.role === 'user' && previous?.at(-1)?.id !== last.id;
      if (switched || userJustSent) this.#stickToBottom = true;
    }
  }

  #onScroll(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    const away = scrollHeight - scrollTop - clientHeight > BOTTOM_SLACK;
    // Only the reader scrolling up unsticks; growing text below must not count as leaving the bottom.
    if (!away) this.#stickToBottom = true;
    else if (scrollTop < this.#lastScrollTop) this.#stickToBottom = false;
    this.#lastScrollTop = scrollTop;
    this.awayFromBottom = away;
  }

  /** Scrolls to the newest message and follows new text again. */
  scrollToLatest(): void {
    this.#stickToBottom = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.awayFromBottom = false;
  }

  #renderEmpty() {
    if (this.loading) return html`<div class="empty"><p>Loading your conversations…</p></div>`;
    return html`<div class="empty">
      <div class="mark">${sparkIcon}</div>
      <h2>How can I help?</h2>
      <p>Ask anything. Replies come from Mistral 7B on this device or through the Hugging Face API — see Settings.</p>
    </div>`;
  }

  override render() {
    const lastAssistant = this.messages.findLast((message) => message.role === 'assistant');
    const canRegenerate = this.streamingMessageId === null ? lastAssistant?.id : undefined;
    return html`<div class="scroller" @scroll=${this.#onScroll}>
        <div role="log" aria-label="Conversation" aria-live="polite">
          ${
            this.messages.length === 0
              ? this.#renderEmpty()
              : repeat(
                  this.messages,
                  (message) => message.id,
                  (message) =>
                    html`<mc-message
                      .message=${message}
                      ?streaming=${message.id === this.streamingMessageId}
                      ?can-regenerate=${message.id === canRegenerate}
                    ></mc-message>`,
                )
          }
        </div>
      </div>
      <div class="visually-hidden" aria-live="polite">${this.replyAnnouncement}</div>
      ${
        this.awayFromBottom
          ? html`<button class="button jump" @click=${() => this.scrollToLatest()}>
              ${arrowDownIcon} Jump to latest
            </button>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-transcript': McTranscript;
  }
}
