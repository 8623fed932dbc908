import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AttachmentSummary, PendingAttachment } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { focusIsLost } from './focus.js';
import { formatBytes } from './format-size.js';
import { closeIcon, fileIcon } from './icons.js';

/** A chip shows a file waiting in the message box, or one sent with a message. */
export type AttachmentChip = PendingAttachment | AttachmentSummary;

function isPending(chip: AttachmentChip): chip is PendingAttachment {
  return 'status' in chip;
}

/** "Reading…", or "Reading… 12 / 300 pages" for a PDF being read. */
function describeReading({ progress }: PendingAttachment): string {
  if (!progress) return 'Reading…';
  const count = (value: number) => value.toLocaleString('en');
  return `Reading… ${count(progress.pagesRead)} / ${count(progress.pages)} pages`;
}

/**
 * Files as a `list` named "Attachments" of chips, each with the file's name (hostile: only ever text), its size, and
 * while it is read "Reading… 12 / 300 pages". With `removable`, each has a `button` "Remove", described by the chip's
 * file name so a screen reader says which file goes. When a removed chip goes, focus moves to the Remove of the chip
 * now in its place (or the last one); with none left, the owner decides (the message box takes it).
 *
 * A sent file whose original was kept (`kept`) offers a link "Download <name>"; the bytes are read only on click.
 *
 * @fires mc-download-attachment - "Download <name>" was pressed. detail: `{ id, name }`. Bubbles and is composed.
 * @fires mc-remove-attachment - "Remove" was pressed. detail: `{ id }`. It does not bubble: listen on this element.
 */
@customElement('mc-attachment-chips')
export class McAttachmentChips extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: var(--mc-space-2);
        max-width: 100%;
        min-height: 2rem;
        box-sizing: border-box;
        padding: 0 var(--mc-space-1) 0 var(--mc-space-3);
        border: 1px solid var(--mc-color-border);
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-surface);
        font-size: var(--mc-font-size-xs);
      }
      li:not(:has(button)) {
        padding-right: var(--mc-space-3);
      }
      .name {
        overflow: hidden;
        min-width: 0;
        max-width: 16rem;
        font-weight: var(--mc-font-weight-medium);
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .detail {
        color: var(--mc-color-text-muted);
        white-space: nowrap;
      }
      .icon-button {
        width: 1.75rem;
        height: 1.75rem;
        border-radius: var(--mc-radius-pill);
      }
      svg {
        width: 1rem;
        height: 1rem;
      }
    `,
  ];

  /** The files, in the order they were attached. */
  @property({ attribute: false }) attachments: readonly AttachmentChip[] = [];
  /** Offer "Remove" on each chip: the files are still in the message box, not sent. */
  @property({ type: Boolean }) removable = false;

  /** Where the chip whose Remove was pressed stood, until the list without it arrives. */
  #removedIndex: number | null = null;

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('attachments') || this.#removedIndex === null) return;
    const index = this.#removedIndex;
    this.#removedIndex = null;
    const removeButtons = this.renderRoot.querySelectorAll<HTMLButtonElement>('button.remove');
    if (focusIsLost()) removeButtons[Math.min(index, removeButtons.length - 1)]?.focus();
  }

  #remove(id: string, index: number): void {
    this.#removedIndex = index;
    emit(this, 'mc-remove-attachment', { id });
  }

  #renderChip(chip: AttachmentChip, index: number) {
    const nameId = `attachment-name-${index}`;
    const reading = isPending(chip) && chip.status === 'reading';
    const detail = reading ? describeReading(chip) : formatBytes(chip.size);
    return html`<li aria-busy=${reading ? 'true' : nothing}>
      ${fileIcon}
      <span class="name" id=${nameId} title=${chip.name}>${chip.name}</span>
      <span class="detail">${detail}</span>
      ${
        !isPending(chip) && chip.kept
          ? html`<a
              href="#"
              download=${chip.name}
              @click=${(event: Event) => {
                event.preventDefault();
                emit(this, 'mc-download-attachment', { id: chip.id, name: chip.name }, { leaveShadowRoot: true });
              }}
              >Download ${chip.name}</a
            >`
          : nothing
      }
      ${
        this.removable
          ? html`<button
              class="icon-button ghost remove"
              aria-label="Remove"
              aria-describedby=${nameId}
              title="Remove"
              @click=${() => this.#remove(chip.id, index)}
            >
              ${closeIcon}
            </button>`
          : nothing
      }
    </li>`;
  }

  override render() {
    if (this.attachments.length === 0) return nothing;
    return html`<ul aria-label="Attachments">
      ${this.attachments.map((chip, index) => this.#renderChip(chip, index))}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-attachment-chips': McAttachmentChips;
  }
  interface HTMLElementEventMap {
    /** A file waiting in the message box is to be taken out before sending. */
    'mc-remove-attachment': CustomEvent<{ id: string }>;
    /** A sent file's kept original is asked for ("Download <name>"). Bubbles out of shadow roots to the app. */
    'mc-download-attachment': CustomEvent<{ id: string; name: string }>;
  }
}
