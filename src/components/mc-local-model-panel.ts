import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LocalModelOption, LocalModelPhase, LocalModelState, SpeedTestState } from '../state/app-state.js';
import { buttons, fields, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import './mc-speed-test.js';

type LoadingPhase = Extract<LocalModelPhase, { kind: 'loading' }>;

/** The requests go to the app's owner, outside the Settings dialog and the app, each in its own shadow root. */
const LEAVES = { leaveShadowRoot: true };

/** Before the service hands over its first state (its state is null until Settings first opens). */
const WAITING: LocalModelState = {
  gpu: null,
  gpuSummary: null,
  catalogue: 'idle',
  options: [],
  selectedId: '',
  cached: [],
  partial: [],
  phase: { kind: 'idle' },
  storagePersisted: null,
  notice: null,
  status: '',
};

/** Disabled options cannot show a tooltip, so the reason is part of the text. */
function optionText(option: LocalModelOption, onDisk: boolean): string {
  const place = onDisk ? ', on this device' : '';
  const reason = option.disabledReason === undefined ? '' : ` — unavailable: ${option.disabledReason}`;
  return `${option.label} (${option.sizeSummary})${place}${reason}`;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The model on this device, for the Settings dialog: the GPU's verdict, the model chooser ("Local model"), the
 * download with its consent step and progress ("Download model", then a progressbar "Model download"), "Use here"
 * when another tab holds the GPU, the models on disk with "Delete model", and what an interrupted download left with
 * "Delete partial download". Presentational: the state comes from `LocalModelService` as a property, and every
 * request goes out as an event (bubbling and composed) for the service to carry out.
 *
 * One polite `role="status"` line says where the model stands, including failures: the panel usually sits inside a
 * modal dialog, where the app's own alerts are inert, so it announces its errors itself. A failed download is also
 * raised as the app's alert, which is still there once the dialog is closed.
 *
 * @fires mc-local-select - A model was chosen. detail: `{ id }` (a WebLLM model id).
 * @fires mc-local-download - "Download model": check the disk and storage, then ask for consent (or load from disk).
 * @fires mc-local-confirm - "Start download" on the consent step.
 * @fires mc-local-cancel - "Cancel" on the consent step or during the download.
 * @fires mc-local-use-here - "Use here": take the GPU from the other tab.
 * @fires mc-local-test-speed - "Test speed" (shown once the chosen model is on this device).
 * @fires mc-local-delete - "Delete model" or "Delete partial download" on a model stored on this device. detail: `{ id }`.
 */
@customElement('mc-local-model-panel')
export class McLocalModelPanel extends LitElement {
  static override styles = [
    buttons,
    fields,
    focusRing,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-4);
        color: var(--mc-color-text);
        font-size: var(--mc-font-size-sm);
        line-height: var(--mc-line-height);
      }
      p,
      ul,
      dl,
      dd {
        margin: 0;
      }
      .gpu {
        color: var(--mc-color-text-muted);
      }
      .gpu.slow,
      .gpu.unavailable {
        padding: var(--mc-space-3) var(--mc-space-4);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-warning-soft);
        color: var(--mc-color-warning);
      }
      .field-row {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-1);
      }
      label,
      .title {
        font-weight: var(--mc-font-weight-medium);
      }
      .badge {
        align-self: flex-start;
        padding: 0 var(--mc-space-2);
        border: 1px solid currentColor;
        border-radius: var(--mc-radius-pill);
        color: var(--mc-color-success);
        font-size: var(--mc-font-size-xs);
        font-weight: var(--mc-font-weight-medium);
      }
      .status.error {
        color: var(--mc-color-danger);
      }
      .status.retrying {
        color: var(--mc-color-warning);
      }
      .hint {
        color: var(--mc-color-text-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
      }
      .consent {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-3);
        padding: var(--mc-space-4);
        border: 1px solid var(--mc-color-accent);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-accent-soft);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--mc-space-1) var(--mc-space-4);
      }
      dl > div {
        display: contents;
      }
      dt {
        color: var(--mc-color-text-muted);
      }
      dd {
        font-weight: var(--mc-font-weight-medium);
        font-variant-numeric: tabular-nums;
      }
      .loading {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
      }
      progress {
        width: 100%;
        height: 0.5rem;
        accent-color: var(--mc-color-accent);
      }
      .progress-text {
        font-variant-numeric: tabular-nums;
      }
      .disk {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
        padding-top: var(--mc-space-4);
        border-top: 1px solid var(--mc-color-border);
      }
      .disk ul {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
        padding: 0;
        list-style: none;
      }
      .disk li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-3);
      }
      .disk .name {
        flex: 1;
        min-width: 12rem;
      }
      .disk .size {
        color: var(--mc-color-text-muted);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** Whether focus was inside before this render, which may remove the focused button (e.g. "Download model"). */
  #hadFocus = false;

  /** The local model service's state; null before it is first prepared. */
  @property({ attribute: false }) state: LocalModelState | null = null;
  /** The speed test's state; `null` hides it (before the app has one). */
  @property({ attribute: false }) speed: SpeedTestState | null = null;

  protected override willUpdate(): void {
    this.#hadFocus = this.shadowRoot?.activeElement != null;
  }

  protected override updated(): void {
    // Inside a modal dialog, focus lost with a removed button would fall back to the dialog's start: move it to
    // what replaced the button (Start download, Cancel, Use here) instead.
    if (this.#hadFocus && this.shadowRoot?.activeElement == null) {
      const next = this.renderRoot.querySelector<HTMLElement>('[data-next-focus]:not(:disabled)');
      (next ?? this.renderRoot.querySelector<HTMLElement>('select'))?.focus();
    }
  }

  get #state(): LocalModelState {
    return this.state ?? WAITING;
  }

  #onSelect(event: Event): void {
    emit(this, 'mc-local-select', { id: (event.target as HTMLSelectElement).value }, LEAVES);
  }

  #selected(): LocalModelOption | undefined {
    return this.#state.options.find((option) => option.id === this.#state.selectedId);
  }

  #isOnDisk(modelId: string): boolean {
    return this.#state.cached.some((entry) => entry.id === modelId);
  }

  #labelOf(modelId: string): string {
    return this.#state.options.find((option) => option.id === modelId)?.label ?? modelId;
  }

  #renderGpu() {
    const summary = this.#state.gpuSummary;
    if (!summary) {
      return this.#state.catalogue === 'idle' ? nothing : html`<p class="gpu">Checking this device’s GPU…</p>`;
    }
    return html`<p class="gpu ${summary.level}">${summary.message}</p>`;
  }

  #renderSelect() {
    const { options, catalogue, phase } = this.#state;
    const placeholder = catalogue === 'failed' ? 'The models could not be listed' : 'Loading the list of models…';
    const selected = this.#selected();
    return html`<div class="field-row">
      <label for="model">Local model</label>
      <select
        id="model"
        class="field"
        ?disabled=${options.length === 0 || phase.kind === 'loading'}
        @change=${this.#onSelect}
      >
        ${
          options.length === 0
            ? html`<option value="">${placeholder}</option>`
            : options.map(
                (option) =>
                  html`<option
                    value=${option.id}
                    ?disabled=${option.disabledReason !== undefined}
                    .selected=${live(option.id === this.#state.selectedId)}
                  >
                    ${optionText(option, this.#isOnDisk(option.id))}
                  </option>`,
              )
        }
      </select>
      ${selected && this.#isOnDisk(selected.id) ? html`<span class="badge">Ready offline</span>` : nothing}
    </div>`;
  }

  #renderStatus() {
    const { phase, status } = this.#state;
    const tone = phase.kind === 'error' ? 'error' : phase.kind === 'loading' && phase.retryText ? 'retrying' : '';
    return html`<p role="status" class="status ${tone}">${status}</p>`;
  }

  #renderDownload() {
    const selected = this.#selected();
    const usable = selected !== undefined && selected.disabledReason === undefined;
    let about = '';
    if (usable) {
      about = this.#isOnDisk(selected.id)
        ? 'Loads from this device: nothing is downloaded.'
        : `${sentence(selected.sizeSummary)}. You confirm before anything is downloaded; the model then works offline.`;
    }
    return html`<div class="actions">
        <button
          class="button primary"
          data-next-focus
          ?disabled=${!usable}
          aria-describedby="download-about"
          @click=${() => emit(this, 'mc-local-download', undefined, LEAVES)}
        >
          Download model
        </button>
      </div>
      <p id="download-about" class="hint">${about}</p>`;
  }

  #renderConsent(phase: Extract<LocalModelPhase, { kind: 'consent' }>) {
    return html`<div class="consent" role="group" aria-labelledby="consent-title">
      <p id="consent-title" class="title">Download ${this.#labelOf(phase.modelId)}?</p>
      <dl>
        <div>
          <dt>Download size</dt>
          <dd>${phase.sizeText}</dd>
        </div>
        <div>
          <dt>Free space for this site</dt>
          <dd>${phase.freeText ?? 'not reported by this browser'}</dd>
        </div>
      </dl>
      <p>
        The site will ask the browser to keep its storage persistent, so the model is not removed when disk space runs
        low. Once downloaded, the model works offline and nothing you type leaves this device.
      </p>
      <div class="actions">
        <button
          class="button primary"
          data-next-focus
          @click=${() => emit(this, 'mc-local-confirm', undefined, LEAVES)}
        >
          Start download
        </button>
        <button class="button" @click=${() => emit(this, 'mc-local-cancel', undefined, LEAVES)}>Cancel</button>
      </div>
    </div>`;
  }

  #renderLoading(phase: LoadingPhase) {
    const { progress } = phase;
    const starting = phase.fromDisk ? 'Starting to load the model…' : 'Starting the download…';
    const label = progress?.label ?? starting;
    // Indeterminate until WebLLM reports a fraction.
    const value = progress && progress.phase !== 'unknown' ? Math.floor(progress.fraction * 100) : undefined;
    return html`<div class="loading">
      <progress aria-label="Model download" max="100" value=${ifDefined(value)} aria-valuetext=${label}></progress>
      <p class="progress-text" aria-hidden="true">${label}</p>
      <div class="actions">
        <button class="button" data-next-focus @click=${() => emit(this, 'mc-local-cancel', undefined, LEAVES)}>
          Cancel
        </button>
      </div>
    </div>`;
  }

  #renderUseHere() {
    return html`<div class="actions">
        <button
          class="button primary"
          data-next-focus
          aria-describedby="use-here-about"
          @click=${() => emit(this, 'mc-local-use-here', undefined, LEAVES)}
        >
          Use here
        </button>
      </div>
      <p id="use-here-about" class="hint">The other tab stops using the model, and it loads in this one.</p>`;
  }

  #renderPhase() {
    const { phase } = this.#state;
    switch (phase.kind) {
      case 'consent':
        return this.#renderConsent(phase);
      case 'loading':
        return this.#renderLoading(phase);
      case 'in-use-elsewhere':
        return this.#renderUseHere();
      case 'ready':
        return nothing;
      default:
        return this.#renderDownload();
    }
  }

  #renderPersistence() {
    return this.#state.storagePersisted === false
      ? html`<p class="hint">
          This browser did not promise to keep the model: it may remove it when disk space runs low, and it would then
          be downloaded again.
        </p>`
      : nothing;
  }

  #renderSpeed() {
    const { selectedId, phase } = this.#state;
    if (!this.speed || !this.#isOnDisk(selectedId)) return nothing;
    return html`<mc-speed-test
      .state=${this.speed}
      ?available=${phase.kind !== 'loading' && phase.kind !== 'consent'}
      @mc-local-test-speed=${() => emit(this, 'mc-local-test-speed', undefined, LEAVES)}
    ></mc-speed-test>`;
  }

  #renderDiskEntries(
    entries: readonly { id: string; label: string; sizeText: string }[],
    kind: 'complete' | 'partial',
  ) {
    return repeat(
      entries,
      (entry) => entry.id,
      (entry, index) =>
        html`<li>
          <span class="name" id="${kind}-${index}">
            ${entry.label}${kind === 'partial' ? ' (download not finished)' : ''}
          </span>
          <span class="size">${entry.sizeText}</span>
          <button
            class="button"
            aria-describedby="${kind}-${index}"
            @click=${() => emit(this, 'mc-local-delete', { id: entry.id }, LEAVES)}
          >
            ${kind === 'partial' ? 'Delete partial download' : 'Delete model'}
          </button>
        </li>`,
    );
  }

  #renderDisk() {
    const { cached, partial, catalogue } = this.#state;
    if (catalogue !== 'ready') return nothing;
    return html`<div class="disk">
      <p id="disk-title" class="title">Downloaded models</p>
      ${
        cached.length === 0 && partial.length === 0
          ? html`<p class="hint">No model is stored on this device yet.</p>`
          : html`<ul aria-labelledby="disk-title">
              ${this.#renderDiskEntries(cached, 'complete')} ${this.#renderDiskEntries(partial, 'partial')}
            </ul>`
      }
    </div>`;
  }

  override render() {
    return html`${this.#renderGpu()} ${this.#renderSelect()} ${this.#renderStatus()} ${this.#renderPhase()}
    ${this.#renderPersistence()} ${this.#renderSpeed()} ${this.#renderDisk()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-local-model-panel': McLocalModelPanel;
  }
  interface HTMLElementEventMap {
    'mc-local-select': CustomEvent<{ id: string }>;
    'mc-local-download': CustomEvent<void>;
    'mc-local-confirm': CustomEvent<void>;
    'mc-local-cancel': CustomEvent<void>;
    'mc-local-use-here': CustomEvent<void>;
    'mc-local-delete': CustomEvent<{ id: string }>;
  }
}
