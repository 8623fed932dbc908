import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Draft } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { sendIcon, stopIcon } from './icons.js';

/**
 * The message box. Enter sends, Shift+Enter starts a new line, and nothing is sent while an input method is still
 * composing or when the text is blank. While a reply streams, "Stop" replaces "Send" (Escape in the box stops too).
 *
 * @fires mc-send - The user sent a message; the box is cleared. detail: `{ text }`.
 * @fires mc-draft - The text in the box changed. detail: `{ text }`.
 * @fires mc-stop - The user asked to stop the reply being written.
 */
@customElement('mc-composer')
export class McComposer extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: block;
      }
      .box {
        display: flex;
        align-items: flex-end;
        gap: var(--mc-space-2);
        padding: var(--mc-space-2) var(--mc-space-2) var(--mc-space-2) var(--mc-space-4);
        border: 1px solid var(--mc-color-border-strong);
        border-radius: var(--mc-radius-xl);
        background: var(--mc-color-surface-raised);
        box-shadow: var(--mc-shadow-sm);
        transition: border-color var(--mc-duration-fast) var(--mc-easing);
      }
      .box:focus-within {
        border-color: var(--mc-color-focus);
        outline: 1px solid var(--mc-color-focus);
      }
      textarea {
        flex: 1;
        box-sizing: border-box;
        min-height: 2.5rem;
        max-height: 40vh;
        padding: var(--mc-space-2) 0;
        border: 0;
        background: transparent;
        color: var(--mc-color-text);
        font: inherit;
        line-height: 1.5;
        resize: none;
      }
      textarea::placeholder {
        color: var(--mc-color-text-muted);
        opacity: 1;
      }
      /* The box's border shows focus; a second ring inside it would be noise. */
      textarea:focus-visible {
        outline: none;
      }
      .icon-button {
        width: 2.5rem;
        height: 2.5rem;
        border-radius: var(--mc-radius-pill);
      }
      .send {
        border-color: var(--mc-color-accent);
        background: var(--mc-color-accent);
        color: var(--mc-color-on-accent);
      }
      .send:hover:not(:disabled) {
        border-color: var(--mc-color-accent-hover);
        background: var(--mc-color-accent-hover);
      }
      .stop {
        border-color: var(--mc-color-text);
        background: var(--mc-color-text);
        color: var(--mc-color-bg);
      }
      .stop:hover:not(:disabled) {
        background: var(--mc-color-text-muted);
      }
      .hint {
        margin: var(--mc-space-2) 0 0;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
        text-align: center;
      }
    `,
  ];

  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  @query('textarea') private textarea!: HTMLTextAreaElement;

  @state() private text = '';

  /** A reply is being written: show "Stop" instead of "Send". */
  @property({ type: Boolean }) streaming = false;
  /**
   * Unsent text to put in the box: set when another conversation opens (its own unsent text, or none). Each new
   * object replaces what the box holds; typing does not change it, but raises `mc-draft`.
   */
  @property({ attribute: false }) draft: Draft | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draft') && this.draft) this.text = this.draft.text;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // An empty box never grown has its natural height already: measuring it would force a layout in the first render.
    const grown = this.text !== '' || this.textarea.style.height !== '';
    if (changed.has('draft') && grown) this.#fitHeight();
  }

  #onInput(): void {
    this.text = this.textarea.value;
    this.#fitHeight();
    emit(this, 'mc-draft', { text: this.text });
  }

  /** Grows the box with its text, up to the CSS max-height, then it scrolls. */
  #fitHeight(): void {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${this.textarea.scrollHeight}px`;
  }

  #onKeydown(event: KeyboardEvent): void {
    // 229: the key that commits an IME composition, reported by some browsers with isComposing already false.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (!this.streaming) this.#send();
    } else if (event.key === 'Escape' && this.streaming) {
      event.preventDefault();
      emit(this, 'mc-stop', undefined);
    }
  }

  #send(): void {
    const text = this.text.trim();
    if (text === '') return;
    emit(this, 'mc-send', { text });
    this.text = '';
    this.textarea.value = '';
    this.#fitHeight();
    this.textarea.focus();
  }

  #stop(): void {
    emit(this, 'mc-stop', undefined);
    this.textarea.focus();
  }

  override render() {
    return html`<div class="box">
        <textarea
          aria-label="Message"
          placeholder="Message Mistral…"
          rows="1"
          .value=${this.text}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        ${
          this.streaming
            ? html`<button class="icon-button stop" aria-label="Stop" title="Stop (Esc)" @click=${this.#stop}>
                ${stopIcon}
              </button>`
            : html`<button
                class="icon-button send"
                aria-label="Send"
                title="Send (Enter)"
                ?disabled=${this.text.trim() === ''}
                @click=${this.#send}
              >
                ${sendIcon}
              </button>`
        }
      </div>
      <p class="hint">Enter to send · Shift+Enter for a new line</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-composer': McComposer;
  }
  interface HTMLElementEventMap {
    'mc-send': CustomEvent<{ text: string }>;
    /** The box's text changed (typed, pasted, cut): what to keep as the conversation's draft. */
    'mc-draft': CustomEvent<{ text: string }>;
    'mc-stop': CustomEvent<void>;
  }
}
