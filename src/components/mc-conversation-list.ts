import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationRecord } from '../state/types.js';
import { buttons, fields, focusRing, visuallyHidden } from '../styles/shared.js';
import { emit } from './events.js';
import { focusIsLost } from './focus.js';
import { pencilIcon, plusIcon, searchIcon, trashIcon } from './icons.js';

/** Case- and accent-insensitive form of a text, for matching "resume" against "Résumé". */
function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();
}

/**
 * The conversation list: a navigation landmark named "Conversations" with a "New chat" button, a search box that
 * filters by title, and one button per conversation named exactly by its title, each with "Rename" and "Delete".
 *
 * @fires mc-new-conversation - "New chat" was pressed.
 * @fires mc-open-conversation - A conversation was chosen. detail: `{ id }`.
 * @fires mc-rename-conversation - A new, non-empty title was saved. detail: `{ id, title }`.
 * @fires mc-delete-conversation - "Delete" was pressed. detail: `{ id }`.
 * @fires mc-search - The search text changed. detail: `{ query }`. Bubbles and is composed, so whoever owns message
 *   search can hear it from outside the app's shadow root.
 */
@customElement('mc-conversation-list')
export class McConversationList extends LitElement {
  static override styles = [
    buttons,
    fields,
    focusRing,
    visuallyHidden,
    css`
      :host {
        display: block;
        height: 100%;
        min-height: 0;
      }
      nav {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-3);
        height: 100%;
        box-sizing: border-box;
        padding: var(--mc-space-3);
      }
      .new-chat {
        justify-content: flex-start;
        width: 100%;
        min-height: 2.5rem;
      }
      .search {
        position: relative;
      }
      .search svg {
        position: absolute;
        top: 50%;
        left: var(--mc-space-3);
        transform: translateY(-50%);
        color: var(--mc-color-text-muted);
        pointer-events: none;
      }
      .search input {
        padding-left: var(--mc-space-10);
      }
      ul {
        flex: 1;
        min-height: 0;
        margin: 0;
        padding: 0;
        overflow-y: auto;
        list-style: none;
      }
      li {
        display: flex;
        align-items: center;
        gap: var(--mc-space-1);
        margin-bottom: 2px;
        padding-right: var(--mc-space-1);
        border-radius: var(--mc-radius-md);
      }
      li:hover,
      li:focus-within {
        background: var(--mc-color-hover);
      }
      li.current {
        background: var(--mc-color-selected);
      }
      .open {
        flex: 1;
        min-width: 0;
        min-height: 2.5rem;
        padding: 0 var(--mc-space-3);
        border: 0;
        border-radius: var(--mc-radius-md);
        background: transparent;
        font-size: var(--mc-font-size-sm);
        text-align: left;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .current .open {
        font-weight: var(--mc-font-weight-medium);
      }
      .actions {
        display: flex;
        opacity: 0;
        transition: opacity var(--mc-duration-fast) var(--mc-easing);
      }
      li:hover .actions,
      li:focus-within .actions,
      li.current .actions {
        opacity: 1;
      }
      @media (hover: none) {
        .actions {
          opacity: 1;
        }
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
      .title-field {
        flex: 1;
        min-height: 2.25rem;
        margin: 2px 0;
      }
      .empty {
        margin: var(--mc-space-2) var(--mc-space-3);
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-sm);
      }
    `,
  ];

  /** `focus()` lands on "New chat", so the app can move focus into the drawer when it opens. */
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** After a rename ends, focus goes back to that conversation's Rename button rather than to the page. */
  #focusAfterEdit: string | null = null;
  /** A deleted conversation's place in the list: once it is gone, focus goes to the one that took its place. */
  #focusAfterDelete: { id: string; index: number } | null = null;

  @state() private query = '';
  @state() private editingId: string | null = null;

  /** Newest first; shown in the order given. */
  @property({ attribute: false }) conversations: readonly ConversationRecord[] = [];
  /** The open conversation, marked aria-current="page". */
  @property({ attribute: false }) activeId: string | null = null;

  protected override updated(changed: PropertyValues): void {
    if (changed.has('editingId')) {
      if (this.editingId !== null) {
        const input = this.renderRoot.querySelector<HTMLInputElement>('.title-field');
        input?.focus();
        input?.select();
      } else if (this.#focusAfterEdit !== null) {
        const selector = `button[data-rename="${CSS.escape(this.#focusAfterEdit)}"]`;
        this.renderRoot.querySelector<HTMLButtonElement>(selector)?.focus();
        this.#focusAfterEdit = null;
      }
    }
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

  #onSearchInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    emit(this, 'mc-search', { query: this.query }, { leaveShadowRoot: true });
  }

  #finishRename(id: string, input: HTMLInputElement, save: boolean): void {
    // Enter removes the textbox, which may also blur it: only the first of the two may act.
    if (this.editingId !== id) return;
    this.#focusAfterEdit = id;
    this.editingId = null;
    const title = input.value.trim();
    const current = this.conversations.find((conversation) => conversation.id === id);
    if (save && title !== '' && title !== current?.title) {
      emit(this, 'mc-rename-conversation', { id, title });
    }
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
      this.#finishRename(id, event.target as HTMLInputElement, true);
    } else if (event.key === 'Escape') {
      // Escape here means "cancel the rename", not "close the drawer/dialog around me".
      event.preventDefault();
      event.stopPropagation();
      this.#finishRename(id, event.target as HTMLInputElement, false);
    }
  }

  /** Puts the cursor in the search box, its text selected so typing replaces it. */
  focusSearch(): void {
    const search = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    search?.focus();
    search?.select();
  }

  #renderConversation(conversation: ConversationRecord) {
    const { id, title } = conversation;
    const current = id === this.activeId;
    const titleId = `title-${id}`;
    if (this.editingId === id) {
      return html`<li class=${current ? 'current' : ''}>
        <input
          class="field title-field"
          aria-label="Title"
          .value=${title}
          @keydown=${(event: KeyboardEvent) => this.#onTitleKeydown(id, event)}
          @blur=${(event: FocusEvent) => this.#finishRename(id, event.target as HTMLInputElement, true)}
        />
      </li>`;
    }
    return html`<li class=${current ? 'current' : ''}>
      <button
        class="open"
        id=${titleId}
        aria-current=${current ? 'page' : nothing}
        @click=${() => emit(this, 'mc-open-conversation', { id })}
      >
        ${title || 'Untitled'}
      </button>
      <span class="actions">
        <button
          class="icon-button ghost"
          data-rename=${id}
          aria-label="Rename"
          aria-describedby=${titleId}
          title="Rename"
          @click=${() => (this.editingId = id)}
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
    </li>`;
  }

  override render() {
    const folded = foldForSearch(this.query.trim());
    const shown =
      folded === ''
        ? this.conversations
        : this.conversations.filter((conversation) => foldForSearch(conversation.title).includes(folded));
    const emptyText = folded === '' ? 'No conversations yet.' : 'No conversation title matches.';
    return html`<nav aria-label="Conversations">
      <button class="button new-chat" @click=${() => emit(this, 'mc-new-conversation', undefined)}>
        ${plusIcon} New chat
      </button>
      <div class="search">
        ${searchIcon}
        <input
          class="field"
          type="search"
          aria-label="Search conversations"
          placeholder="Search"
          autocomplete="off"
          .value=${this.query}
          @input=${this.#onSearchInput}
        />
      </div>
      ${
        shown.length === 0
          ? html`<p class="empty">${emptyText}</p>`
          : html`<ul>
              ${repeat(
                shown,
                (conversation) => conversation.id,
                (conversation) => this.#renderConversation(conversation),
              )}
            </ul>`
      }
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-conversation-list': McConversationList;
  }
  interface HTMLElementEventMap {
    'mc-new-conversation': CustomEvent<void>;
    'mc-open-conversation': CustomEvent<{ id: string }>;
    'mc-rename-conversation': CustomEvent<{ id: string; title: string }>;
    'mc-delete-conversation': CustomEvent<{ id: string }>;
    'mc-search': CustomEvent<{ query: string }>;
  }
}
