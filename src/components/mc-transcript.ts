import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Alternatives, AttachmentSummary, ShownSource } from '../state/app-state.js';
import type { MessageRecord } from '../domain/records.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { arrowDownIcon, sparkIcon } from './icons.js';
import './mc-message.js';
import type { McMessage } from './mc-message.js';
import { IntersectionController, ResizeController } from './controllers/observer-controllers.js';

/** How close to the bottom (px) still counts as "at the bottom", so sub-pixel rounding does not unstick. */
const BOTTOM_SLACK = 48;

/**
 * Up to this many messages, every one is in the document: the browser's find in page and a screen reader's browse
 * mode reach them all.
 */
export const FULL_RENDER_LIMIT = 300;
/** A longer conversation opens on its last messages only: a 5,000-message one opens as fast as a short one. */
export const INITIAL_TAIL = 40;
/** How many more messages "Show earlier messages" (or scrolling near the top) brings in. */
export const PAGE_SIZE = 100;
/**
 * The most messages a long conversation has in the document at once: bringing in a page at one end lets one go at
 * the other, so reading back through thousands costs no more than reading the last few.
 */
export const MAX_SHOWN = 3 * PAGE_SIZE;

/** A range of the messages shown: `start` included; `end` excluded, or null for "to the newest, and follow it". */
interface ShownRange {
  start: number;
  end: number | null;
}

/**
 * The open conversation: a `log` named "Conversation" holding one `mc-message` per message. It keeps the newest text
 * in view while a reply streams, unless the reader scrolled up, in which case it offers "Jump to latest". A message a
 * search result led to (`focusedMessageId`) is scrolled to, marked, and given focus.
 *
 * Long conversations (over {@link FULL_RENDER_LIMIT} messages) are windowed: they open on their last
 * {@link INITIAL_TAIL} messages, or around the message a search result led to, with "Show earlier messages" (and
 * "Show later messages") buttons that bring {@link PAGE_SIZE} more, as does scrolling near either end. What is shown
 * is ordinary document flow: stick-to-bottom works as in a short conversation, and the reading position stays put
 * while earlier messages come in above. The log's own live region is off for them, or each page brought in would be
 * read out.
 *
 * Screen readers hear "Assistant is replying…" and "Reply finished" from a separate polite live region, not every
 * token: the streaming article is aria-busy. (That region has no `status` role: the app keeps one `status`, the
 * engine's, so `getByRole('status')` stays unambiguous.)
 *
 * The last message offers "Undo last exchange" when the branch shown has a question and no reply streams.
 *
 * It fills the height it is given and scrolls within it; its messages never change its size (see `.scroller`), so
 * give it one (the app's layout does).
 *
 * Events from the messages (mc-copy, mc-regenerate, mc-edit-message, mc-show-alternative, mc-continue,
 * mc-delete-message, mc-undo-exchange, and mc-load-sources from a reply's "Sources") pass through.
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
        /*
         * Its size comes from the layout around it, never from the messages: so a streamed token's layout, pre-paint
         * and paint stop at this box instead of walking the whole app every frame.
         */
        contain: strict;
        scroll-padding-bottom: var(--mc-space-6);
      }
      /* The browser keeps the messages read in place as text above them grows; never this button. */
      .more,
      .earlier-loading {
        align-self: center;
        overflow-anchor: none;
      }
      /* Where "Show earlier messages" will be, the same size, so nothing moves when it comes. */
      .earlier-loading {
        display: flex;
        align-items: center;
        box-sizing: border-box;
        min-height: 2.25rem;
        margin: 0;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-sm);
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
  /** Where our own last auto-scroll put the view: its scroll event (a frame later) is then known to need no work. */
  #ownScrollTop: number | null = null;
  /** The first message of the window, by id: indexes shift as the branch shown changes or messages are added. */
  #windowFirstId: string | null = null;
  /** The message after the window's last, by id; null: the window reaches the newest message. */
  #windowEndId: string | null = null;
  /** A page of messages is coming in: a click and the button scrolling into view ask once between them. */
  #movingWindow = false;

  @query('.scroller') private scroller!: HTMLElement;
  @query('[role="log"]') private log!: HTMLElement;

  @state() private awayFromBottom = false;
  @state() private replyAnnouncement = '';

  /** Oldest first. */
  @property({ attribute: false }) messages: readonly MessageRecord[] = [];
  /** The assistant message being streamed now, if any. */
  @property({ attribute: false }) streamingMessageId: string | null = null;
  /** "2 / 3" and where Previous/Next lead, for the messages that have alternatives, by message id. */
  @property({ attribute: false }) alternatives: Readonly<Record<string, Alternatives>> = {};
  /** How many messages each one's Delete takes away, by message id (`AppState.branchSizes`). */
  @property({ attribute: false }) branchSizes: Readonly<Record<string, number>> = {};
  /** The open conversation's stored files, by id (`AppState.attachments`): user messages name theirs. */
  @property({ attribute: false }) attachments: Readonly<Record<string, AttachmentSummary>> = {};
  /** The sources read so far of replies whose "Sources" was opened, by message id. */
  @property({ attribute: false }) shownSources: Readonly<Record<string, readonly ShownSource[]>> = {};
  /** The message a search result led to: scrolled to, marked and focused once, when it is set. */
  @property({ attribute: false }) focusedMessageId: string | null = null;
  /** Shown in the empty state while the app is still reading storage. */
  @property({ type: Boolean }) loading = false;
  /** `messages` are the newest of a long conversation; its earlier ones are still being read. */
  @property({ type: Boolean, attribute: 'earlier-loading' }) earlierLoading = false;

  constructor() {
    super();
    // Messages render (and later grow) in their own update cycles, so follow the log's size rather than our updates.
    new ResizeController(
      this,
      () => this.log,
      () => {
        if (this.#stickToBottom) this.scrollToLatest();
      },
    );
    // Brings in more messages as "Show earlier/later messages" scrolls into view, as it would with a click.
    new IntersectionController(this, {
      targets: () => this.renderRoot.querySelectorAll<HTMLElement>('.more'),
      rootMargin: '200px 0px',
      callback: (entries) => {
        for (const entry of entries) {
          void this.#showMore((entry.target as HTMLElement).dataset['direction'] as 'earlier' | 'later');
        }
      },
    });
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
      // Another conversation (or none), or a message the user just sent, always brings the view to the bottom.
      const switched = previous?.at(-1)?.conversationId !== last?.conversationId;
      const userJustSent = last?.role === 'user' && previous?.at(-1)?.id !== last.id;
      if (switched) this.#showNewest();
      else if (previous?.[0]?.id !== this.messages[0]?.id) this.#keepFirstShown(previous?.[0]?.id);
      if (userJustSent) this.#setWindow(this.#shownRange().start, null);
      if (switched || userJustSent) this.#stickToBottom = true;
    }
    if (changed.has('focusedMessageId') && this.focusedMessageId !== null) {
      this.#showAround(this.focusedMessageId);
      // The reader is taken to the match, not to the newest message.
      this.#stickToBottom = false;
      void this.#reveal(this.focusedMessageId);
    }
  }

  /** The window's bounds as indexes into `messages` now. */
  #shownRange(): ShownRange {
    const { messages } = this;
    if (messages.length <= FULL_RENDER_LIMIT) return { start: 0, end: null };
    const indexOf = (id: string | null) => (id === null ? -1 : messages.findIndex((message) => message.id === id));
    // No first message set: the window began with the conversation (it was short, or empty, when it opened).
    const start = this.#windowFirstId === null ? 0 : indexOf(this.#windowFirstId);
    if (start === -1) return { start: Math.max(0, messages.length - INITIAL_TAIL), end: null };
    const end = indexOf(this.#windowEndId);
    return { start, end: end === -1 || end <= start ? null : end };
  }

  #setWindow(start: number, end: number | null): void {
    const { messages } = this;
    this.#windowFirstId = start <= 0 ? null : (messages[start]?.id ?? null);
    this.#windowEndId = end === null || end >= messages.length ? null : (messages[end]?.id ?? null);
    this.requestUpdate();
  }

  /**
   * The window moves to the newest messages: all of a short conversation, the last few of a long one. A conversation
   * that grows while it is open keeps what it shows and adds the new messages.
   */
  #showNewest(): void {
    const { length } = this.messages;
    this.#setWindow(length > FULL_RENDER_LIMIT ? length - INITIAL_TAIL : 0, null);
  }

  /**
   * The path shown starts elsewhere now: earlier messages arrived above (a long conversation read its newest first),
   * or another branch begins at the root. A window that began at the first message keeps beginning at the one it
   * showed first, so nothing on screen moves; without it, the window moves to the newest messages.
   */
  #keepFirstShown(previousFirstId: string | undefined): void {
    if (this.#windowFirstId !== null) return;
    const index = previousFirstId === undefined ? -1 : this.messages.findIndex(({ id }) => id === previousFirstId);
    if (index > 0) this.#setWindow(index, null);
    else this.#showNewest();
  }

  /** The window moves to show the message, unless it already does. */
  #showAround(id: string): void {
    const index = this.messages.findIndex((message) => message.id === id);
    const { start, end } = this.#shownRange();
    if (index === -1 || (index >= start && (end === null || index < end))) return;
    const from = Math.max(0, index - PAGE_SIZE / 2);
    this.#setWindow(from, from + PAGE_SIZE);
  }

  async #showMore(direction: 'earlier' | 'later'): Promise<void> {
    const { start, end } = this.#shownRange();
    const { length } = this.messages;
    if (this.#movingWindow || (direction === 'earlier' ? start === 0 : end === null)) return;
    this.#movingWindow = true;
    // The messages read now stay where they are on screen while a page comes in at one end and (past MAX_SHOWN) one
    // goes at the other. The browser's own scroll anchoring does nothing at the very top, which is where the reader
    // is when earlier ones come, so measure once they have rendered (the messages render in their own updates,
    // before the next frame) and scroll by the shift; when the browser did keep the place, the shift is zero.
    const messages = this.renderRoot.querySelectorAll('mc-message');
    const anchor = direction === 'earlier' ? messages[0] : messages[messages.length - 1];
    const before = anchor?.getBoundingClientRect().top ?? 0;
    if (direction === 'earlier') {
      const from = Math.max(0, start - PAGE_SIZE);
      this.#setWindow(from, Math.min(end ?? length, from + MAX_SHOWN));
    } else {
      const to = Math.min(length, (end ?? length) + PAGE_SIZE);
      this.#setWindow(Math.max(start, to - MAX_SHOWN), to);
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    if (anchor?.isConnected) this.scroller.scrollTop += anchor.getBoundingClientRect().top - before;
    this.#movingWindow = false;
  }

  #messageElement(id: string): McMessage | undefined {
    return [...this.renderRoot.querySelectorAll('mc-message')].find((element) => element.message.id === id);
  }

  /** Scrolls the message into the middle of the view and puts focus on it. */
  async #reveal(id: string): Promise<void> {
    await this.updateComplete;
    const element = this.#messageElement(id);
    if (!element || this.focusedMessageId !== id) return;
    await element.updateComplete;
    element.scrollIntoView({ block: 'center' });
    element.focusMessage();
  }

  #onScroll(): void {
    // Our own follow-the-reply scroll (writes in one frame share one event): it left the view at the bottom and
    // stuck, as it was, so nothing is read or changed (no layout, no state, no render) in the frame that only
    // carries its event. Any other position means something else scrolled since, which is looked at as usual.
    const own = this.#ownScrollTop;
    this.#ownScrollTop = null;
    if (own !== null && this.scroller.scrollTop === own) return;
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
    if (this.#shownRange().end !== null) {
      // The window ends before the newest message (a search result led here): it moves there first.
      this.#showNewest();
      void this.updateComplete.then(() => this.scrollToLatest());
      return;
    }
    const { scroller } = this;
    const bottom = scroller.scrollHeight - scroller.clientHeight;
    // Already there (the reply grew by less than a line's overflow, or not at all): no write, so no scroll event and
    // no frame for it.
    if (Math.abs(scroller.scrollTop - bottom) >= 1) {
      scroller.scrollTop = bottom;
      // Read back: the browser rounds to what it can show, and the scroll event will report that.
      this.#ownScrollTop = scroller.scrollTop;
      this.#lastScrollTop = this.#ownScrollTop;
    }
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

  #renderMessage() {
    const busy = this.streamingMessageId !== null;
    const last = this.messages.at(-1);
    // A last message of the user's has no reply (it failed before one was saved): it offers one.
    const retryId = !busy && last?.role === 'user' ? last.id : undefined;
    const undoId = !busy && this.messages.some(({ role }) => role === 'user') ? last?.id : undefined;
    return (message: MessageRecord) =>
      html`<mc-message
        .message=${message}
        ?streaming=${message.id === this.streamingMessageId}
        ?busy=${busy}
        ?can-retry=${message.id === retryId}
        ?can-undo-exchange=${message.id === undoId}
        branch-size=${this.branchSizes[message.id] ?? 1}
        ?focused=${message.id === this.focusedMessageId}
        .alternatives=${this.alternatives[message.id]}
        .attachments=${this.attachments}
        .shownSources=${this.shownSources[message.id]}
      ></mc-message>`;
  }

  #renderMore(direction: 'earlier' | 'later', count: number) {
    return html`<button class="button more" data-direction=${direction} @click=${() => void this.#showMore(direction)}>
      Show ${direction} messages (${count.toLocaleString('en')} more)
    </button>`;
  }

  #renderMessages() {
    const { start, end } = this.#shownRange();
    const shown = start === 0 && end === null ? this.messages : this.messages.slice(start, end ?? undefined);
    const later = end === null ? 0 : this.messages.length - end;
    const earlier =
      start > 0
        ? this.#renderMore('earlier', start)
        : this.earlierLoading
          ? html`<p class="earlier-loading">Loading earlier messages…</p>`
          : nothing;
    return html`${earlier} ${repeat(shown, (message) => message.id, this.#renderMessage())}
    ${later > 0 ? this.#renderMore('later', later) : nothing}`;
  }

  override render() {
    const windowed = this.messages.length > FULL_RENDER_LIMIT;
    return html`<div class="scroller" @scroll=${this.#onScroll}>
        <div role="log" aria-label="Conversation" aria-live=${windowed ? 'off' : 'polite'}>
          ${this.messages.length === 0 ? this.#renderEmpty() : this.#renderMessages()}
        </div>
      </div>
      <div class="visually-hidden" aria-live="polite">${this.replyAnnouncement}</div>
      ${
        this.awayFromBottom || this.#shownRange().end !== null
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
