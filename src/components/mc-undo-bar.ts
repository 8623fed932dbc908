import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { UndoOffer } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { closeIcon } from './icons.js';

/**
 * The Undo offered after a deletion: "Conversation deleted: “…”.", "Last exchange taken back (2 messages)." or
 * "3 messages deleted.", with an "Undo" button and a "Close" one. The words are in a polite live region that is
 * always there (a region created together with its text is often not read), so a screen reader says them once
 * without moving focus. The offer lapses on the session's clock; this element only shows it.
 *
 * @csspart bar - The bar, present only while there is something to undo (place margins on it, not on the host).
 *
 * @fires mc-undo - "Undo" was pressed.
 * @fires mc-dismiss-undo - "Close" was pressed, or Escape within the bar.
 */
@customElement('mc-undo-bar')
export class McUndoBar extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        padding: var(--mc-space-2) var(--mc-space-2) var(--mc-space-2) var(--mc-space-4);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-text);
        color: var(--mc-color-bg);
        box-shadow: var(--mc-shadow-lg);
        font-size: var(--mc-font-size-sm);
      }
      p {
        flex: 1;
        min-width: 0;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .bar .button,
      .bar .icon-button {
        border-color: transparent;
        background: transparent;
        color: inherit;
      }
      .bar .button {
        font-weight: var(--mc-font-weight-bold);
        text-decoration: underline;
        text-underline-offset: 3px;
      }
      .bar .button:hover,
      .bar .icon-button:hover {
        background: color-mix(in srgb, var(--mc-color-bg) 20%, transparent);
      }
      .icon-button {
        width: 2rem;
        height: 2rem;
      }
      .icon-button svg {
        width: 1rem;
        height: 1rem;
      }
      /* The bar is dark on light (and light on dark): the usual ring would vanish against it. */
      .bar :focus-visible {
        outline-color: var(--mc-color-bg);
      }
    `,
  ];

  /** The deletion that can be undone now; null hides the bar. */
  @property({ attribute: false }) offer: UndoOffer | null = null;

  #describe(offer: UndoOffer): string {
    const messages = (count: number) => (count === 1 ? '1 message' : `${count} messages`);
    switch (offer.kind) {
      case 'delete-conversation':
        return `Conversation deleted: “${offer.title || 'Untitled'}”.`;
      case 'undo-exchange':
        return `Last exchange taken back (${messages(offer.count)}).`;
      case 'delete-messages':
        return offer.count === 1 ? 'Message deleted.' : `${offer.count} messages deleted.`;
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    // Escape closes the bar, not the drawer or dialog around it.
    event.stopPropagation();
    emit(this, 'mc-dismiss-undo', undefined);
  }

  /** Puts focus on "Undo", if the bar is shown; returns whether it was. */
  focusUndo(): boolean {
    const undo = this.renderRoot.querySelector<HTMLButtonElement>('.button');
    undo?.focus();
    return undo !== null;
  }

  override render() {
    const { offer } = this;
    return html`<div aria-live="polite" aria-atomic="true">
      ${
        offer
          ? html`<div class="bar" part="bar" @keydown=${this.#onKeydown}>
              <p id="undo-text">${this.#describe(offer)}</p>
              <button class="button" aria-describedby="undo-text" @click=${() => emit(this, 'mc-undo', undefined)}>
                Undo
              </button>
              <button
                class="icon-button"
                aria-label="Close"
                title="Close"
                @click=${() => emit(this, 'mc-dismiss-undo', undefined)}
              >
                ${closeIcon}
              </button>
            </div>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-undo-bar': McUndoBar;
  }
  interface HTMLElementEventMap {
    'mc-undo': CustomEvent<void>;
    'mc-dismiss-undo': CustomEvent<void>;
  }
}
