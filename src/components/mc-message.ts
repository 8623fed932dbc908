import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Usage } from '../domain/generation.js';
import type { Alternatives, AttachmentSummary, ShownSource } from '../state/app-state.js';
import type { MessageRecord } from '../domain/records.js';
import { emit } from './events.js';
import { focusIsLost } from './focus.js';
import './mc-attachment-chips.js';
import { messageStyles } from './mc-message.styles.js';
import {
  alertIcon,
  copyIcon,
  nextIcon,
  pencilIcon,
  previousIcon,
  regenerateIcon,
  sparkIcon,
  trashIcon,
  undoIcon,
} from './icons.js';
import { providerPreset } from '../domain/providers.js';

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
 * it (stopped, failed, interrupted, being written in another tab), usage figures, and its actions:
 *
 * - "Copy";
 * - "Edit" on the user's messages: the text becomes a textbox "Edit message" with "Save" (Enter) and "Cancel"
 *   (Escape); saving asks for a new branch from there, the original staying as an alternative;
 * - "Regenerate" on replies: a new alternative reply;
 * - "Continue" on a reply that was stopped or interrupted;
 * - "Previous alternative" / "Next alternative" around a "2 / 3" when the message has alternatives;
 * - "Delete": an inline confirmation says how many messages go (this one and the branch below it, every branch
 *   counted: `branchSize`), with "Delete message" (or "Delete 4 messages") and "Cancel" (Escape), which has focus;
 * - "Undo last exchange" on the last message (`can-undo-exchange`).
 *
 * Edit, Regenerate, Continue, Delete and Undo last exchange change the conversation, so they are not offered while a
 * reply streams (`busy`): a reply being saved must not lose its question meanwhile (Stop first). The alternatives
 * stay in view but wait.
 *
 * A user message names the files sent with it (chips, from `attachments`); a reply given files' text offers a closed
 * "Sources (N)" (`<mc-reply-sources>`), whose excerpts arrive as `shownSources` once asked for (`mc-load-sources`).
 *
 * Every event bubbles and is composed: it leaves the transcript's shadow root for the app.
 *
 * @fires mc-copy - After "Copy" tried the clipboard. detail: `{ copied }`.
 * @fires mc-regenerate - "Regenerate" was pressed. detail: `{ messageId }`. On a user message (the last one, left
 *   without a reply) it asks for that reply.
 * @fires mc-edit-message - An edit was saved with new, non-empty text. detail: `{ messageId, text }`.
 * @fires mc-show-alternative - "Previous alternative" or "Next alternative". detail: `{ messageId, direction }`.
 * @fires mc-continue - "Continue" was pressed. detail: `{ messageId }`.
 * @fires mc-delete-message - A deletion was confirmed. detail: `{ messageId }`.
 * @fires mc-undo-exchange - "Undo last exchange" was pressed.
 */
@customElement('mc-message')
export class McMessage extends LitElement {
  static override styles = messageStyles;

  /** Whether this message already waits for <mc-markdown> to be defined. */
  #markdownAwaited = false;

  @query('article') private article!: HTMLElement;
  @query('textarea') private editor!: HTMLTextAreaElement | null;

  /** The user is editing this message's text. */
  @state() private editing = false;
  /** "Delete" was pressed: the confirmation shows in place of the actions. */
  @state() private confirmingDelete = false;

  @property({ attribute: false }) message!: MessageRecord;
  /** This message is the reply being written now. */
  @property({ type: Boolean }) streaming = false;
  /** A reply is being written (this one or another): nothing that starts one is offered. */
  @property({ type: Boolean }) busy = false;
  /**
   * Offer "Regenerate" on this user message: the last one, left without a reply (the reply failed before it was
   * saved). Replies always offer it.
   */
  @property({ type: Boolean, attribute: 'can-retry' }) canRetry = false;
  /** Where this message stands among its alternatives ("2 / 3"); undefined when it has none. */
  @property({ attribute: false }) alternatives: Alternatives | undefined = undefined;
  /** The message a search result led to: marked, and focusable so focus can be put on it. */
  @property({ type: Boolean }) focused = false;
  /** How many messages "Delete" takes away: this one and everything below it, every branch counted. */
  @property({ type: Number, attribute: 'branch-size' }) branchSize = 1;
  /** Offer "Undo last exchange" here: this is the last message shown, and the branch shown has a question. */
  @property({ type: Boolean, attribute: 'can-undo-exchange' }) canUndoExchange = false;
  /** The open conversation's stored files, by id: a user message names those of its `attachmentIds`. */
  @property({ attribute: false }) attachments: Readonly<Record<string, AttachmentSummary>> = {};
  /** A reply's sources with the text the model saw, once read ("Sources" opened); undefined until then. */
  @property({ attribute: false }) shownSources: readonly ShownSource[] | undefined = undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.message.role === 'assistant') this.#awaitMarkdown();
    // An edit ends when this element is given another message, or when a reply starts meanwhile (another tab's).
    if (changed.has('message') && changed.get('message')?.id !== this.message.id) this.editing = false;
    if (this.busy) this.editing = false;
    if (this.busy || (changed.has('message') && changed.get('message')?.id !== this.message.id)) {
      this.confirmingDelete = false;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('editing') && this.editing) {
      const editor = this.editor;
      editor?.focus();
      editor?.setSelectionRange(editor.value.length, editor.value.length);
    }
    // The least destructive choice has focus; Undo is offered after, too.
    if (changed.has('confirmingDelete') && this.confirmingDelete) {
      this.renderRoot.querySelector<HTMLButtonElement>('.confirm-delete .cancel')?.focus();
    }
  }

  async #cancelDelete(): Promise<void> {
    this.confirmingDelete = false;
    await this.updateComplete;
    if (focusIsLost()) this.renderRoot.querySelector<HTMLButtonElement>('button.delete')?.focus();
  }

  #onConfirmKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    // Escape here cancels the deletion; it is not the app's "stop the reply" or "close the drawer".
    event.preventDefault();
    event.stopPropagation();
    void this.#cancelDelete();
  }

  #renderDeleteConfirm() {
    const count = this.branchSize;
    const question =
      count <= 1
        ? 'Delete this message?'
        : `Delete this message and the ${count - 1} below it? ${count} messages go, other branches included.`;
    return html`<div
      class="confirm-delete"
      role="group"
      aria-labelledby="delete-question"
      @keydown=${this.#onConfirmKeydown}
    >
      <p id="delete-question">${question}</p>
      <div class="buttons">
        <button class="button cancel" @click=${() => void this.#cancelDelete()}>Cancel</button>
        <button
          class="button danger"
          @click=${() => emit(this, 'mc-delete-message', { messageId: this.message.id }, { leaveShadowRoot: true })}
        >
          ${count <= 1 ? 'Delete message' : `Delete ${count} messages`}
        </button>
      </div>
    </div>`;
  }

  /** A reply shows as plain text until <mc-markdown> is defined, then renders again through it. */
  #awaitMarkdown(): void {
    if (this.#markdownAwaited || customElements.get('mc-markdown')) return;
    this.#markdownAwaited = true;
    // Should the chunk fail to load (offline, before the service worker had it), the reply stays plain text.
    loadMarkdown().then(
      () => this.requestUpdate(),
      () => undefined,
    );
  }

  async #copy(): Promise<void> {
    let copied = true;
    try {
      await navigator.clipboard.writeText(this.message.content);
    } catch {
      copied = false;
    }
    emit(this, 'mc-copy', { copied }, { leaveShadowRoot: true });
  }

  async #finishEditing(save: boolean): Promise<void> {
    const text = this.editor?.value.trim() ?? '';
    this.editing = false;
    if (save && text !== '' && text !== this.message.content.trim()) {
      emit(this, 'mc-edit-message', { messageId: this.message.id, text }, { leaveShadowRoot: true });
      return;
    }
    await this.updateComplete;
    if (focusIsLost()) this.renderRoot.querySelector<HTMLButtonElement>('button.edit')?.focus();
  }

  #onEditorKeydown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void this.#finishEditing(true);
    } else if (event.key === 'Escape') {
      // Escape here cancels the edit; it is not the app's "stop the reply" or "close the drawer".
      event.preventDefault();
      event.stopPropagation();
      void this.#finishEditing(false);
    }
  }

  #showAlternative(direction: 'previous' | 'next'): void {
    emit(this, 'mc-show-alternative', { messageId: this.message.id, direction }, { leaveShadowRoot: true });
  }

  /** Puts focus on the message itself (it must be `focused`), e.g. when a search result led to it. */
  focusMessage(): void {
    this.article?.focus({ preventScroll: true });
  }

  /**
   * The model's words are hostile input: they go through <mc-markdown>, whose one sanitizer policy decides what
   * becomes markup. The user's own words are shown as typed, as plain text.
   */
  renderBody() {
    if (this.editing) return this.#renderEditor();
    if (this.message.role === 'assistant' && customElements.get('mc-markdown')) {
      return html`<mc-markdown class="body" .text=${this.message.content} ?streaming=${this.streaming}></mc-markdown>`;
    }
    return html`<div class="body">${this.message.content}</div>`;
  }

  #renderEditor() {
    return html`<div class="editor">
      <textarea
        class="field"
        aria-label="Edit message"
        .value=${this.message.content}
        @keydown=${this.#onEditorKeydown}
      ></textarea>
      <div class="buttons">
        <button class="button" @click=${() => this.#finishEditing(false)}>Cancel</button>
        <button class="button primary" @click=${() => this.#finishEditing(true)}>Save</button>
      </div>
    </div>`;
  }

  /** The files sent with a user message, by name; one not (yet) among the conversation's stored files is left out. */
  #renderAttachments() {
    const files = (this.message.attachmentIds ?? []).flatMap((id) => this.attachments[id] ?? []);
    if (files.length === 0) return nothing;
    return html`<mc-attachment-chips class="attachments" .attachments=${files}></mc-attachment-chips>`;
  }

  #renderSources() {
    const { sources, id } = this.message;
    if (!sources || sources.length === 0 || this.streaming) return nothing;
    // The element upgrades when its chunk arrives, keeping the properties set meanwhile. Should the chunk fail to
    // load (offline, before the service worker had it), the reply shows without its sources.
    loadReplySources().catch(() => undefined);
    return html`<mc-reply-sources
      class="sources"
      .messageId=${id}
      .sources=${sources}
      .shownSources=${this.shownSources}
    ></mc-reply-sources>`;
  }

  #renderOutcome() {
    switch (this.message.status) {
      case 'streaming':
        // Not this tab's reply: another tab of the app is writing it, and it updates here as that tab saves it.
        return this.streaming ? nothing : html`<p class="badge">Being written in another tab…</p>`;
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

  #renderAlternatives() {
    const alternatives = this.alternatives;
    if (!alternatives) return nothing;
    const { position, count, previousId, nextId } = alternatives;
    return html`<div class="alternatives" role="group" aria-label="Alternatives">
      <button
        class="icon-button ghost"
        aria-label="Previous alternative"
        title="Previous alternative"
        ?disabled=${previousId === null || this.busy}
        @click=${() => this.#showAlternative('previous')}
      >
        ${previousIcon}
      </button>
      <span aria-hidden="true">${position} / ${count}</span>
      <span class="visually-hidden">Alternative ${position} of ${count}</span>
      <button
        class="icon-button ghost"
        aria-label="Next alternative"
        title="Next alternative"
        ?disabled=${nextId === null || this.busy}
        @click=${() => this.#showAlternative('next')}
      >
        ${nextIcon}
      </button>
    </div>`;
  }

  #renderFooter() {
    const { content, usage, role, status } = this.message;
    if (this.streaming || this.editing) return nothing;
    if (this.confirmingDelete) return this.#renderDeleteConfirm();
    // A reply still being written in another tab: starting anything from it would race that tab.
    const idle = !this.busy && status !== 'streaming';
    const canRegenerate = idle && (role === 'assistant' || this.canRetry);
    const canContinue = idle && role === 'assistant' && (status === 'stopped' || status === 'interrupted');
    return html`<div class="footer">
      ${this.#renderAlternatives()}
      <div class="actions">
        ${
          content === ''
            ? nothing
            : html`<button class="icon-button ghost" aria-label="Copy" title="Copy" @click=${this.#copy}>
                ${copyIcon}
              </button>`
        }
        ${
          role === 'user' && idle
            ? html`<button
                class="icon-button ghost edit"
                aria-label="Edit"
                title="Edit"
                @click=${() => (this.editing = true)}
              >
                ${pencilIcon}
              </button>`
            : nothing
        }
        ${
          canRegenerate
            ? html`<button
                class="icon-button ghost"
                aria-label="Regenerate"
                title=${role === 'user' ? 'Get a reply' : 'Regenerate'}
                @click=${() => emit(this, 'mc-regenerate', { messageId: this.message.id }, { leaveShadowRoot: true })}
              >
                ${regenerateIcon}
              </button>`
            : nothing
        }
        ${
          idle
            ? html`<button
                class="icon-button ghost delete"
                aria-label="Delete"
                title="Delete"
                @click=${() => (this.confirmingDelete = true)}
              >
                ${trashIcon}
              </button>`
            : nothing
        }
        ${
          idle && this.canUndoExchange
            ? html`<button
                class="icon-button ghost"
                aria-label="Undo last exchange"
                title="Undo last exchange: the question goes back in the message box"
                @click=${() => emit(this, 'mc-undo-exchange', undefined, { leaveShadowRoot: true })}
              >
                ${undoIcon}
              </button>`
            : nothing
        }
      </div>
      ${
        canContinue
          ? html`<button
              class="button continue"
              @click=${() => emit(this, 'mc-continue', { messageId: this.message.id }, { leaveShadowRoot: true })}
            >
              Continue
            </button>`
          : nothing
      }
      ${usage ? html`<p class="usage">${describeUsage(usage)}</p>` : nothing}
    </div>`;
  }

  override render() {
    const { role, engine, model, provider, content } = this.message;
    if (role === 'user') {
      return html`<article
        class="user ${this.focused ? 'focused' : ''}"
        aria-label="You"
        tabindex=${this.focused ? '-1' : nothing}
      >
        <div class="content">${this.#renderAttachments()} ${this.renderBody()} ${this.#renderFooter()}</div>
      </article>`;
    }
    const label = engine ? `Assistant, ${ENGINE_NAMES[engine]}` : 'Assistant';
    const waiting = this.streaming && content === '';
    return html`<article
      class="assistant ${this.focused ? 'focused' : ''}"
      aria-label=${label}
      aria-busy=${this.streaming ? 'true' : 'false'}
      tabindex=${this.focused ? '-1' : nothing}
    >
      <div class="avatar">${sparkIcon}</div>
      <div class="content">
        ${model ? html`<p class="model">${model}${provider && provider !== 'huggingface' ? ` · ${providerPreset(provider).label}` : ''}</p>` : nothing}
        ${
          waiting
            ? html`<div class="typing" aria-hidden="true"><span></span><span></span><span></span></div>`
            : this.renderBody()
        }
        ${this.#renderSources()} ${this.#renderOutcome()} ${this.#renderFooter()}
      </div>
    </article>`;
  }
}

let markdownLoading: Promise<unknown> | undefined;

/**
 * Loads <mc-markdown> (the Markdown parser and sanitizer, a chunk of its own) once, for the first reply that needs it.
 */
function loadMarkdown(): Promise<unknown> {
  markdownLoading ??= import('./mc-markdown.js');
  return markdownLoading;
}

let replySourcesLoading: Promise<unknown> | undefined;

/** Loads <mc-reply-sources> once, for the first reply given files: most conversations never need it. */
function loadReplySources(): Promise<unknown> {
  replySourcesLoading ??= import('./mc-reply-sources.js');
  return replySourcesLoading;
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-message': McMessage;
  }
  interface HTMLElementEventMap {
    'mc-copy': CustomEvent<{ copied: boolean }>;
    'mc-regenerate': CustomEvent<{ messageId: string }>;
    'mc-edit-message': CustomEvent<{ messageId: string; text: string }>;
    'mc-show-alternative': CustomEvent<{ messageId: string; direction: 'previous' | 'next' }>;
    'mc-continue': CustomEvent<{ messageId: string }>;
    'mc-delete-message': CustomEvent<{ messageId: string }>;
    'mc-undo-exchange': CustomEvent<void>;
  }
}
