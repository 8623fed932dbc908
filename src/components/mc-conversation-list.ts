import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { SearchResult, SearchState } from '../state/app-state.js';
import type { ConversationRecord } from '../domain/records.js';
import { buttons, fields, focusRing, rowActions, visuallyHidden } from '../styles/shared.js';
import { emit } from './events.js';
import { focusIsLost } from './focus.js';
import { highlighted } from './highlight.js';
import { pencilIcon, plusIcon, searchIcon, trashIcon } from './icons.js';
import { IntersectionController } from './controllers/observer-controllers.js';
import { ThrottleController } from './controllers/throttle-controller.js';
import { conversationListStyles } from './mc-conversation-list.styles.js';

/**
 * While typing, at most one search per this many ms. The first keystroke after a pause (or a paste) is searched at
 * once and the last one at the latest this long after it, so results keep up without a search per key.
 */
export const SEARCH_INTERVAL_MS = 150;

/**
 * A long list shows this many conversations at first, and this many more each time the reader scrolls near its end
 * (or presses "Show more conversations"): a thousand conversations cost the page no more than a hundred.
 */
export const LIST_STEP = 100;

const NO_SEARCH: SearchState = { query: '', results: [], pending: false };

/** A conversation listed, and when the list shows search results, what the search found in it. */
type Row = [conversation: ConversationRecord, result: SearchResult | undefined];

/** The search opens a conversation at its first matching message, unless its title is what matched. */
function messageToOpen(result: SearchResult | undefined): string | undefined {
  if (!result || result.matches.some((match) => match.messageId === undefined)) return undefined;
  return result.matches.find((match) => match.messageId !== undefined)?.messageId;
}

function describeFound(count: number): string {
  return count === 1 ? '1 conversation found' : `${count.toLocaleString('en')} conversations found`;
}

/**
 * The conversation list: a navigation landmark named "Conversations" with a "New chat" button, a search box
 * "Search conversations", and one button per conversation named exactly by its title, each with "Rename" and
 * "Delete".
 *
 * Typing in the search box asks for a search of titles and message text (`mc-search`); while there is text, the list
 * shows the conversations found (`search`), best first, the matched words in `<mark>`: in the title, and in a line
 * of text around each matching message, which is the title button's description. Opening one from there opens it at
 * its first matching message. A polite line under the box says how many were found. ArrowDown moves from the box to
 * the first conversation found, Enter opens it.
 *
 * @fires mc-new-conversation - "New chat" was pressed.
 * @fires mc-open-conversation - A conversation was chosen. detail: `{ id, messageId? }`: with `messageId`, a search
 *   result that leads to that message.
 * @fires mc-rename-conversation - A new, non-empty title was saved. detail: `{ id, title }`.
 * @fires mc-delete-conversation - "Delete" was pressed. detail: `{ id }`.
 * @fires mc-search - Search for this text (see SEARCH_INTERVAL_MS); '' when the box was emptied. detail: `{ query }`.
 */
@customElement('mc-conversation-list')
export class McConversationList extends LitElement {
  static override styles = [buttons, rowActions, fields, focusRing, visuallyHidden, conversationListStyles];

  /** `focus()` lands on "New chat", so the app can move focus into the drawer when it opens. */
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** A deleted conversation's place in the list: once it is gone, focus goes to the one that took its place. */
  #focusAfterDelete: { id: string; index: number } | null = null;
  /** Searches as the user types, at most once per SEARCH_INTERVAL_MS. */
  readonly #search = new ThrottleController(this, SEARCH_INTERVAL_MS, () =>
    emit(this, 'mc-search', { query: this.query }),
  );

  @state() private query = '';
  @state() private editingId: string | null = null;
  /** How many conversations (or conversations found) the list shows (see LIST_STEP). */
  @state() private shownCount = LIST_STEP;

  /** Newest first; shown in the order given. */
  @property({ attribute: false }) conversations: readonly ConversationRecord[] = [];
  /** The open conversation, marked aria-current="page". */
  @property({ attribute: false }) activeId: string | null = null;
  /** What the search found for the text typed (it may still answer an earlier text while `pending`). */
  @property({ attribute: false }) search: SearchState = NO_SEARCH;

  constructor() {
    super();
    // Brings more conversations as "Show more conversations" scrolls into view, as a click would. Observed within
    // the list's own scroller, so "near its end" means near the end of what the list shows.
    new IntersectionController(this, {
      root: () => this.renderRoot.querySelector('.entries'),
      targets: () => this.renderRoot.querySelectorAll('.more'),
      rootMargin: '0px 0px 200px 0px',
      callback: () => (this.shownCount += LIST_STEP),
    });
  }

  protected override updated(changed: PropertyValues): void {
    const deleted = this.#focusAfterDelete;
    if (changed.has('conversations') && deleted && !this.conversations.some(({ id }) => id === deleted.id)) {
      this.#focusAfterDelete = null;
      // Only when focus went down with the deleted entry; a user who has moved on keeps their place.
      if (!focusIsLost()) return;
      const entries = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.open')];
      const next = entries[deleted.index] ?? entries.at(-1) ?? this.renderRoot.querySelector('.new-chat');
      next?.focus();
    }
  }

  /** Focus goes to the first of the conversations it brought. */
  async #showMore(): Promise<void> {
    const firstNew = this.shownCount;
    this.shownCount += LIST_STEP;
    await this.updateComplete;
    this.renderRoot.querySelectorAll<HTMLButtonElement>('button.open')[firstNew]?.focus();
  }

  async #startRename(id: string): Promise<void> {
    this.editingId = id;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>('.title-field');
    input?.focus();
    input?.select();
  }

  #onSearchInput(event: Event): void {
    this.shownCount = LIST_STEP;
    this.query = (event.target as HTMLInputElement).value;
    if (this.query.trim() === '') {
      // Emptied: the whole list comes back at once, and a search still to come would only bring results back.
      this.#search.cancel();
      emit(this, 'mc-search', { query: '' });
      return;
    }
    this.#search.request();
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.isComposing || this.query.trim() === '') return;
    const first = this.renderRoot.querySelector<HTMLButtonElement>('button.open');
    if (!first || (event.key !== 'ArrowDown' && event.key !== 'Enter')) return;
    event.preventDefault();
    if (event.key === 'ArrowDown') first.focus();
    else first.click();
  }

  #open(id: string, result: SearchResult | undefined): void {
    const messageId = messageToOpen(result);
    emit(this, 'mc-open-conversation', messageId === undefined ? { id } : { id, messageId });
  }

  async #finishRename(id: string, input: HTMLInputElement, save: boolean): Promise<void> {
    // Enter removes the textbox, which may also blur it: only the first of the two may act.
    if (this.editingId !== id) return;
    this.editingId = null;
    const title = input.value.trim();
    const current = this.conversations.find((conversation) => conversation.id === id);
    if (save && title !== '' && title !== current?.title) {
      emit(this, 'mc-rename-conversation', { id, title });
    }
    await this.updateComplete;
    // Back to that conversation's Rename button rather than to the page.
    this.renderRoot.querySelector<HTMLButtonElement>(`button[data-rename="${CSS.escape(id)}"]`)?.focus();
  }

  #delete(id: string): void {
    const index = [...this.renderRoot.querySelectorAll('button.open')].findIndex(
      (button) => button.id === `title-${id}`,
    );
    this.#focusAfterDelete = { id, index };
    emit(this, 'mc-delete-conversation', { id });
  }

  #onTitleKeydown(id: string, event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void this.#finishRename(id, event.target as HTMLInputElement, true);
    } else if (event.key === 'Escape') {
      // Escape here means "cancel the rename", not "close the drawer/dialog around me".
      event.preventDefault();
      event.stopPropagation();
      void this.#finishRename(id, event.target as HTMLInputElement, false);
    }
  }

  /** Puts the cursor in the search box, its text selected so typing replaces it. */
  focusSearch(): void {
    const search = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    search?.focus();
    search?.select();
  }

  /**
   * Puts focus on the conversation's entry in the list (e.g. one just brought back by Undo), showing more of the list
   * if it is further down; false if it is not in the list.
   */
  async focusConversation(id: string): Promise<boolean> {
    const index = this.conversations.findIndex((conversation) => conversation.id === id);
    if (index >= this.shownCount && this.query.trim() === '') {
      this.shownCount = Math.ceil((index + 1) / LIST_STEP) * LIST_STEP;
      await this.updateComplete;
    }
    const entry = this.renderRoot.querySelector<HTMLButtonElement>(`button.open[id="title-${CSS.escape(id)}"]`);
    entry?.focus();
    return entry !== null;
  }

  /** While searching: the conversations found that still exist, best first. */
  #searchRows(): Row[] {
    const byId = new Map(this.conversations.map((conversation) => [conversation.id, conversation]));
    return this.search.results.flatMap((result): Row[] => {
      const conversation = byId.get(result.conversationId);
      return conversation ? [[conversation, result]] : [];
    });
  }

  #summary(rows: readonly Row[]): string {
    if (rows.length > 0) return describeFound(rows.length);
    if (this.search.pending || this.search.query !== this.query) return 'Searching…';
    return `No conversation matches “${this.query.trim()}”.`;
  }

  #renderTitle(title: string, result: SearchResult | undefined) {
    // Highlights only while they fit the title shown (a rename makes them stale until the search runs again).
    const match = result?.matches.find((candidate) => candidate.messageId === undefined);
    return match && match.snippet === title ? highlighted(match.snippet, match.ranges) : title || 'Untitled';
  }

  #renderMatches(id: string, result: SearchResult) {
    const lines = result.matches.filter((match) => match.messageId !== undefined);
    const more = result.matchCount - result.matches.length;
    if (lines.length === 0 && more <= 0) return nothing;
    return html`<p class="matches" id="matches-${id}">
      ${lines.map((match) => html`<span>${highlighted(match.snippet, match.ranges)}</span>`)}
      ${more > 0 ? html`<span>and ${more === 1 ? '1 more match' : `${more} more matches`}</span>` : nothing}
    </p>`;
  }

  #renderConversation([conversation, result]: Row) {
    const { id, title } = conversation;
    const current = id === this.activeId;
    const titleId = `title-${id}`;
    const matches = result ? this.#renderMatches(id, result) : nothing;
    if (this.editingId === id) {
      return html`<li class=${current ? 'current' : ''}>
        <input
          class="field title-field"
          aria-label="Title"
          .value=${title}
          @keydown=${(event: KeyboardEvent) => this.#onTitleKeydown(id, event)}
          @blur=${(event: FocusEvent) => void this.#finishRename(id, event.target as HTMLInputElement, true)}
        />
      </li>`;
    }
    return html`<li class="${current ? 'current' : ''} ${result ? 'found' : ''}">
      <button
        class="open"
        id=${titleId}
        aria-current=${current ? 'page' : nothing}
        aria-describedby=${matches === nothing ? nothing : `matches-${id}`}
        @click=${() => this.#open(id, result)}
      >
        ${this.#renderTitle(title, result)}
      </button>
      <span class="actions">
        <button
          class="icon-button ghost"
          data-rename=${id}
          aria-label="Rename"
          aria-describedby=${titleId}
          title="Rename"
          @click=${() => void this.#startRename(id)}
        >
          ${pencilIcon}
        </button>
        <button
          class="icon-button ghost"
          aria-label="Delete"
          aria-describedby=${titleId}
          title="Delete"
          @click=${() => this.#delete(id)}
        >
          ${trashIcon}
        </button>
      </span>
      ${matches}
    </li>`;
  }

  #renderList(rows: readonly Row[], searching: boolean) {
    if (rows.length === 0) return searching ? nothing : html`<p class="empty">No conversations yet.</p>`;
    const shown = rows.length > this.shownCount ? rows.slice(0, this.shownCount) : rows;
    const more = rows.length - shown.length;
    return html`<ul aria-label=${searching ? 'Search results' : nothing}>
        ${repeat(
          shown,
          ([conversation]) => conversation.id,
          (row) => this.#renderConversation(row),
        )}
      </ul>
      ${
        more > 0
          ? html`<button class="button ghost more" @click=${this.#showMore}>
              Show more conversations (${more.toLocaleString('en')} more)
            </button>`
          : nothing
      }`;
  }

  override render() {
    const searching = this.query.trim() !== '';
    const rows = searching
      ? this.#searchRows()
      : this.conversations.map((conversation): Row => [conversation, undefined]);
    return html`<nav aria-label="Conversations">
      <button class="button new-chat" @click=${() => emit(this, 'mc-new-conversation', undefined)}>
        ${plusIcon} New chat
      </button>
      <div class="search">
        <div class="box">
          ${searchIcon}
          <input
            class="field"
            type="search"
            aria-label="Search conversations"
            placeholder="Search"
            autocomplete="off"
            .value=${this.query}
            @input=${this.#onSearchInput}
            @keydown=${this.#onSearchKeydown}
          />
        </div>
        <p class="summary" aria-live="polite">${searching ? html`<span>${this.#summary(rows)}</span>` : nothing}</p>
      </div>
      <div class="entries">${this.#renderList(rows, searching)}</div>
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-conversation-list': McConversationList;
  }
  interface HTMLElementEventMap {
    'mc-new-conversation': CustomEvent<void>;
    'mc-open-conversation': CustomEvent<{ id: string; messageId?: string }>;
    'mc-rename-conversation': CustomEvent<{ id: string; title: string }>;
    'mc-delete-conversation': CustomEvent<{ id: string }>;
    'mc-search': CustomEvent<{ query: string }>;
  }
}
