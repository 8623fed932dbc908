import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { StorageState } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { formatBytes } from './format-size.js';

/** What became of the last Export or Import started here, told where the user pressed the button. */
export interface BackupReport {
  /** `working`: still running (the buttons wait); `done`: it worked; `failed`: it did not (shown as an alert). */
  kind: 'working' | 'done' | 'failed';
  message: string;
}

const ACCEPTED_FILES = 'application/json,.json';

/** The requests go to the app, outside the Settings dialog's shadow root this panel sits in. */
const LEAVES = { leaveShadowRoot: true };

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/**
 * Backup and storage, for the Settings dialog: "Export" saves every conversation as one JSON file (never the
 * settings, so never the token); "Import" opens a file chooser for such a file; "Download this conversation as
 * Markdown" saves the branch shown of the open one. Below, what the conversations take and what downloaded models
 * take, apart, what the browser allows, and whether it promised to keep the data.
 *
 * The outcome of the last action (`report`) shows right here, under the buttons: an alert when it failed, polite
 * text otherwise. In a modal dialog, the app's own alerts behind it are out of reach of the eye and of screen readers.
 *
 * Its events bubble and are composed, but for mc-settings-change.
 *
 * @fires mc-export-all - "Export" was pressed.
 * @fires mc-import-backup - A file was chosen after "Import". detail: `{ file }`.
 * @fires mc-export-conversation - "Download this conversation as Markdown" was pressed. detail: `{ id }`.
 * @fires mc-settings-change - "Keep original files" was toggled. detail: `{ keepAttachmentOriginals }`. It does not
 * bubble: the dialog passes it on.
 */
@customElement('mc-backup-panel')
export class McBackupPanel extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-4);
      }
      p {
        margin: 0;
      }
      .about,
      .muted {
        color: var(--mc-color-text-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
      }
      .outcome {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
      }
      .keep {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-1);
      }
      .report {
        color: var(--mc-color-text);
      }
      [role='alert'] {
        padding: var(--mc-space-3) var(--mc-space-4);
        border: 1px solid color-mix(in srgb, var(--mc-color-danger) 35%, transparent);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-danger-soft);
        color: var(--mc-color-text);
      }
      h4 {
        margin: 0;
        font-size: var(--mc-font-size-sm);
        font-weight: var(--mc-font-weight-bold);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--mc-space-2) var(--mc-space-4);
        margin: 0;
      }
      dt {
        color: var(--mc-color-text-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      @media (max-width: 32rem) {
        dl {
          grid-template-columns: 1fr;
          gap: 0;
        }
        dd + dt {
          margin-top: var(--mc-space-2);
        }
      }
    `,
  ];

  @query('input[type="file"]') private fileInput!: HTMLInputElement;

  @property({ attribute: false }) storage: StorageState = { usage: null, persisted: null, measuring: false };
  /** The open conversation, for the Markdown download; null hides that button. */
  @property({ attribute: false }) conversationId: string | null = null;
  @property({ attribute: false }) report: BackupReport | null = null;
  /** Settings' `keepAttachmentOriginals`: the "Keep original files" checkbox. */
  @property({ type: Boolean }) keepOriginals = false;

  #onFileChosen(): void {
    const file = this.fileInput.files?.[0];
    // Cleared, so choosing the same file again (after fixing it) is a change too.
    this.fileInput.value = '';
    if (file) emit(this, 'mc-import-backup', { file }, LEAVES);
  }

  #renderUsage() {
    const { usage, persisted, measuring } = this.storage;
    if (usage === null) {
      return html`<p class="muted">${measuring ? 'Measuring…' : 'Not measured yet.'}</p>`;
    }
    const conversations = `${plural(usage.conversationCount, 'conversation', 'conversations')}, ${plural(
      usage.messageCount,
      'message',
      'messages',
    )} · about ${formatBytes(usage.conversationsBytes)}`;
    return html`<dl aria-busy=${measuring ? 'true' : 'false'}>
      <dt>Conversations</dt>
      <dd>${conversations}</dd>
      <dt>Downloaded models</dt>
      <dd>${usage.modelsBytes === null ? 'This browser does not say.' : formatBytes(usage.modelsBytes)}</dd>
      <dt>All site data</dt>
      <dd>
        ${
          usage.totalUsage === null
            ? 'This browser does not say.'
            : usage.quota === null
              ? formatBytes(usage.totalUsage)
              : `${formatBytes(usage.totalUsage)} of ${formatBytes(usage.quota)} allowed`
        }
      </dd>
      <dt>Kept when space runs low</dt>
      <dd>
        ${
          persisted === true
            ? 'Yes: the browser will not clear it to make room.'
            : persisted === false
              ? 'No: the browser may clear it when the disk is nearly full. Export a backup to be safe.'
              : 'This browser does not say.'
        }
      </dd>
    </dl>`;
  }

  override render() {
    const { report, conversationId } = this;
    const working = report?.kind === 'working';
    return html`<p class="about">
        Export saves every conversation, with all its edits and alternatives, in one file. Settings and your token are
        never in it. Import adds the conversations of such a file to those here.
      </p>
      <div class="outcome">
        <div class="actions">
          <button class="button" ?disabled=${working} @click=${() => emit(this, 'mc-export-all', undefined, LEAVES)}>
            Export
          </button>
          <button class="button" ?disabled=${working} @click=${() => this.fileInput.click()}>Import</button>
          <input type="file" accept=${ACCEPTED_FILES} hidden @change=${this.#onFileChosen} />
          ${
            conversationId === null
              ? nothing
              : html`<button
                  class="button"
                  ?disabled=${working}
                  @click=${() => emit(this, 'mc-export-conversation', { id: conversationId }, LEAVES)}
                >
                  Download this conversation as Markdown
                </button>`
          }
        </div>
        ${report?.kind === 'failed' ? html`<div role="alert">${report.message}</div>` : nothing}
        <p class="report" aria-live="polite">${report && report.kind !== 'failed' ? report.message : ''}</p>
      </div>
      <div class="keep">
        <label
          ><input
            type="checkbox"
            aria-describedby="keep-originals-about"
            .checked=${this.keepOriginals}
            @change=${(event: Event) =>
              emit(this, 'mc-settings-change', {
                keepAttachmentOriginals: (event.target as HTMLInputElement).checked,
              })}
          />
          Keep original files</label
        >
        <p class="muted" id="keep-originals-about">
          Keeps each file you attach as it was, beside its text, so you can download it again. It takes more space.
        </p>
      </div>
      <h4>Storage</h4>
      ${this.#renderUsage()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-backup-panel': McBackupPanel;
  }
  interface HTMLElementEventMap {
    'mc-export-all': CustomEvent<void>;
    'mc-import-backup': CustomEvent<{ file: File }>;
    'mc-export-conversation': CustomEvent<{ id: string }>;
  }
}
