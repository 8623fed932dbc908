import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { buttons, dialogs, focusRing, visuallyHidden } from '../styles/shared.js';
import { ReturnFocus } from './focus.js';
import { closeIcon } from './icons.js';

/** One key as shown: `text` on screen, `name` for screen readers when the text is a symbol (⌘ → "Command"). */
export interface KeyLabel {
  text: string;
  name?: string;
}

export interface ShortcutDescription {
  label: string;
  keys: KeyLabel[];
}

/**
 * The "Keyboard shortcuts" dialog: a native modal `<dialog>` listing each shortcut with its keys as this platform
 * writes them (⌘ or Ctrl). Escape or "Close" closes it, and focus returns to whatever had it before.
 */
@customElement('mc-help-dialog')
export class McHelpDialog extends LitElement {
  static override styles = [
    buttons,
    dialogs,
    focusRing,
    visuallyHidden,
    css`
      dialog {
        width: min(30rem, calc(100vw - 2rem));
      }
      dl {
        display: flex;
        flex-direction: column;
        margin: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--mc-space-2) var(--mc-space-4);
        padding: var(--mc-space-2) 0;
        border-bottom: 1px solid var(--mc-color-border);
      }
      .row:last-child {
        border-bottom: 0;
      }
      dt {
        font-size: var(--mc-font-size-sm);
      }
      dd {
        display: flex;
        align-items: center;
        gap: var(--mc-space-1);
        margin: 0;
        color: var(--mc-color-text-muted);
      }
      kbd {
        display: inline-grid;
        place-items: center;
        box-sizing: border-box;
        min-width: 1.75rem;
        height: 1.75rem;
        padding: 0 var(--mc-space-2);
        border: 1px solid var(--mc-color-border-strong);
        border-bottom-width: 2px;
        border-radius: var(--mc-radius-sm);
        background: var(--mc-color-surface);
        color: var(--mc-color-text);
        font-family: var(--mc-font-sans);
        font-size: var(--mc-font-size-xs);
        font-weight: var(--mc-font-weight-medium);
      }
      .note {
        margin: var(--mc-space-4) 0 0;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
      }
    `,
  ];

  readonly #returnFocus = new ReturnFocus();

  @query('dialog') private dialog!: HTMLDialogElement;

  /** In the order shown. */
  @property({ attribute: false }) shortcuts: readonly ShortcutDescription[] = [];

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  #onClose(): void {
    this.#returnFocus.restore(this.dialog);
  }

  /** Opens the dialog as a modal; focus returns to whatever had it when the dialog closes. */
  show(): void {
    if (this.dialog.open) return;
    this.#returnFocus.remember();
    this.dialog.showModal();
  }

  close(): void {
    this.dialog.close();
  }

  #renderKey(key: KeyLabel) {
    if (key.name === undefined) return html`<kbd>${key.text}</kbd>`;
    return html`<kbd><span aria-hidden="true">${key.text}</span><span class="visually-hidden">${key.name}</span></kbd>`;
  }

  override render() {
    return html`<dialog aria-labelledby="help-title" @close=${this.#onClose}>
      <div class="header">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <button class="icon-button ghost" aria-label="Close" title="Close" @click=${() => this.close()}>
          ${closeIcon}
        </button>
      </div>
      <div class="content">
        <dl>
          ${this.shortcuts.map(
            (shortcut) =>
              html`<div class="row">
                <dt>${shortcut.label}</dt>
                <dd>
                  ${shortcut.keys.map(
                    (key, index) =>
                      html`${index > 0 ? html`<span aria-hidden="true">+</span>` : nothing}${this.#renderKey(key)}`,
                  )}
                </dd>
              </div>`,
          )}
        </dl>
        <p class="note">One-key shortcuts work when the cursor is not in a text field.</p>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-help-dialog': McHelpDialog;
  }
}
