import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Draft, PendingAttachment } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { focusIsLost } from './focus.js';
import { paperclipIcon, sendIcon, stopIcon } from './icons.js';
import './mc-attachment-chips.js';
import type { McAttachmentChips } from './mc-attachment-chips.js';

/**
 * What the file chooser offers: text, Markdown, CSV, JSON, HTML, PDF and common code. Only a hint to the chooser (a
 * dropped or pasted file of another name is tried as text, and the reader checks every file's bytes anyway).
 */
export const ACCEPTED_FILES = [
  'text/*',
  ...['.txt', '.md', '.markdown', '.csv', '.tsv', '.json', '.jsonl', '.html', '.htm', '.pdf', '.log', '.xml'],
  ...['.yaml', '.yml', '.toml', '.ini', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.py', '.rb', '.php', '.java', '.kt'],
  ...['.swift', '.go', '.rs', '.c', '.h', '.cpp', '.hpp', '.cs', '.sh', '.sql', '.css', '.scss', '.vue', '.svelte'],
].join(',');

/**
 * Files from the clipboard to attach. A copied file comes with its name as text on some systems, so files win; but
 * an image beside text is a picture of that text (a spreadsheet's cells, a formatted page): then the text is pasted.
 */
function pastedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = [...data.files];
  if (data.getData('text/plain') === '') return files;
  return files.filter((file) => !file.type.startsWith('image/'));
}

/**
 * The message box. Enter sends, Shift+Enter starts a new line, and nothing is sent while an input method is still
 * composing or when the text is blank. While a reply streams, "Stop" replaces "Send" (Escape in the box stops too).
 *
 * @fires mc-send - The user sent a message; the box is cleared. detail: `{ text }`.
 * @fires mc-draft - The text in the box changed. detail: `{ text }`.
 * @fires mc-stop - The user asked to stop the reply being written.
 * @fires mc-attach - Files were chosen with "Attach file", dropped on the box or pasted into it. detail: `{ files }`.
 * @fires mc-remove-attachment - A waiting file's "Remove" was pressed. detail: `{ id }`.
 *
 * The files waiting to go with the next message (`attachments`) show as chips above the text. Text is still needed
 * to send, and Send waits while any file is still being read. "Attach file" is described by `attachNotice` (where
 * the file's text goes), shown under the box.
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
        width: 100%;
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
      .box.dropping {
        border-color: var(--mc-color-accent);
        outline: 2px dashed var(--mc-color-accent);
      }
      .box-main {
        display: flex;
        flex: 1;
        flex-direction: column;
        gap: var(--mc-space-2);
        min-width: 0;
      }
      mc-attachment-chips:not([hidden]) {
        padding-top: var(--mc-space-2);
      }
      .attach {
        margin-left: calc(-1 * var(--mc-space-2));
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
  @query('input[type="file"]') private fileInput!: HTMLInputElement;
  @query('mc-attachment-chips') private chips!: McAttachmentChips;

  @state() private text = '';
  /** Files are being dragged over the box. */
  @state() private dropping = false;

  /** A reply is being written: show "Stop" instead of "Send". */
  @property({ type: Boolean }) streaming = false;
  /**
   * Unsent text to put in the box: set when another conversation opens (its own unsent text, or none). Each new
   * object replaces what the box holds; typing does not change it, but raises `mc-draft`.
   */
  @property({ attribute: false }) draft: Draft | null = null;
  /** The files waiting to go with the next message, in the order attached. */
  @property({ attribute: false }) attachments: readonly PendingAttachment[] = [];
  /** Where an attached file's text goes ("Files stay on this device."): the Attach button's description. */
  @property() attachNotice = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draft') && this.draft) this.text = this.draft.text;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // An empty box never grown has its natural height already: measuring it would force a layout in the first render.
    const grown = this.text !== '' || this.textarea.style.height !== '';
    if (changed.has('draft') && grown) this.#fitHeight();
    if (changed.has('attachments') && this.attachments.length === 0) void this.#focusBoxWhenChipsGo();
  }

  /** The last chip's Remove went with it (once the chips have rendered their empty list): writing is what is left. */
  async #focusBoxWhenChipsGo(): Promise<void> {
    await this.chips.updateComplete;
    if (focusIsLost()) this.textarea.focus();
  }

  /** Focus goes to the text, not to "Attach file" before it (the first focusable element, which delegation picks). */
  override focus(options?: FocusOptions): void {
    // Before the first render there is no text box yet: delegation will find it once there is.
    if (this.hasUpdated) this.textarea.focus(options);
    else super.focus(options);
  }

  get #reading(): boolean {
    return this.attachments.some((attachment) => attachment.status === 'reading');
  }

  #attach(files: File[]): void {
    if (files.length > 0) emit(this, 'mc-attach', { files });
  }

  #onFilesChosen(): void {
    this.#attach([...(this.fileInput.files ?? [])]);
    // Choosing the same file again (after removing it) must raise a change again.
    this.fileInput.value = '';
  }

  #onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    // Without this the browser would open the file in place of the app.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  }

  #onDragLeave(event: DragEvent): void {
    // Leaving the box for one of its own children is not leaving it.
    const to = event.relatedTarget;
    if (!(to instanceof Node) || !this.renderRoot.contains(to)) this.dropping = false;
  }

  #onDrop(event: DragEvent): void {
    this.dropping = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.#attach(files);
    this.textarea.focus();
  }

  #onPaste(event: ClipboardEvent): void {
    const files = pastedFiles(event.clipboardData);
    if (files.length === 0) return;
    event.preventDefault();
    this.#attach(files);
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
      if (!this.streaming && !this.#reading) this.#send();
    } else if (event.key === 'Escape' && this.streaming) {
      event.preventDefault();
      emit(this, 'mc-stop', undefined);
    }
  }

  #send(): void {
    const text = this.text.trim();
    if (text === '' || this.#reading) return;
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
    const notice = this.attachNotice;
    return html`<div
        class="box ${this.dropping ? 'dropping' : ''}"
        @dragover=${this.#onDragOver}
        @dragleave=${this.#onDragLeave}
        @drop=${this.#onDrop}
      >
        <button
          class="icon-button ghost attach"
          aria-label="Attach file"
          aria-describedby=${notice === '' ? nothing : 'attach-notice'}
          title="Attach file"
          @click=${() => this.fileInput.click()}
        >
          ${paperclipIcon}
        </button>
        <input type="file" multiple hidden tabindex="-1" accept=${ACCEPTED_FILES} @change=${this.#onFilesChosen} />
        <div class="box-main">
          <mc-attachment-chips
            removable
            ?hidden=${this.attachments.length === 0}
            .attachments=${this.attachments}
            @mc-remove-attachment=${(event: HTMLElementEventMap['mc-remove-attachment']) =>
              emit(this, 'mc-remove-attachment', event.detail)}
          ></mc-attachment-chips>
          <textarea
            aria-label="Message"
            placeholder="Message Mistral…"
            rows="1"
            .value=${this.text}
            @input=${this.#onInput}
            @keydown=${this.#onKeydown}
            @paste=${this.#onPaste}
          ></textarea>
        </div>
        ${
          this.streaming
            ? html`<button class="icon-button stop" aria-label="Stop" title="Stop (Esc)" @click=${this.#stop}>
                ${stopIcon}
              </button>`
            : html`<button
                class="icon-button send"
                aria-label="Send"
                title=${this.#reading ? 'Send (when the files are read)' : 'Send (Enter)'}
                ?disabled=${this.text.trim() === '' || this.#reading}
                @click=${this.#send}
              >
                ${sendIcon}
              </button>`
        }
      </div>
      <p class="hint">
        ${notice === '' ? nothing : html`<span id="attach-notice">${notice}</span> ·`} Enter to send · Shift+Enter for a
        new line
      </p>`;
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
    /** Files to read into the message box's tray, to go with the next message. */
    'mc-attach': CustomEvent<{ files: File[] }>;
  }
}
