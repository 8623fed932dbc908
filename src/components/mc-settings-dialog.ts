import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { EngineKind, SamplingParams } from '../domain/generation.js';
import type { CatalogueView, LocalModelState, SpeedTestState, StorageState } from '../state/app-state.js';
import { DEFAULT_SETTINGS, type Settings, type SettingsChanges } from '../domain/settings.js';
import { buttons, dialogs, fields, focusRing, visuallyHidden } from '../styles/shared.js';
import { THEME_PREFERENCES, type ThemePreference } from '../styles/theme.js';
import { emit } from './events.js';
import { ReturnFocus } from './focus.js';
import { fieldRows } from './settings-styles.js';
import { closeIcon } from './icons.js';
import type { BackupReport } from './mc-backup-panel.js';
import './mc-backup-panel.js';
import { TEXT_DEBOUNCE_MS, type McHostedSettings } from './mc-hosted-settings.js';
import './mc-hosted-settings.js';
import { NUMBER_FIELDS, NUMBER_KEYS, numberError, parseNumber, type NumberKey } from './sampling-fields.js';

type FieldKey = 'engine' | 'systemPrompt' | NumberKey;

const THEME_NAMES: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function isNumberKey(key: FieldKey): key is NumberKey {
  return key in NUMBER_FIELDS;
}

function fieldError(key: FieldKey, raw: string): string | null {
  return isNumberKey(key) ? numberError(NUMBER_FIELDS[key], raw) : null;
}

/**
 * The Settings dialog (a native modal `<dialog>` named "Settings"): the engine (a radiogroup "Engine" of "This device"
 * and "Hugging Face API"), the hosted engine's provider, token, endpoint, key and model (`<mc-hosted-settings>`), the
 * system prompt and sampling.
 *
 * Every change is validated in place; only valid values leave, as a `Partial<Settings>` patch. Text is applied
 * 300 ms after the last keystroke, on change, and at the latest when the dialog closes.
 *
 * The local model chooser and its download (`<mc-local-model-panel>`, from `local`) and the backup panel (Export,
 * Import and storage use, under "Conversations and storage") are children of the dialog's own tree, not slotted, so
 * a query scoped to the dialog (`getByRole('dialog').getByRole('combobox')`) finds them. The local panel's code is
 * not imported here: the owner loads it when Settings opens, and the element upgrades in place when it arrives. Its
 * requests (`mc-local-*`) and the backup panel's (`mc-export-all`, `mc-import-backup`, `mc-export-conversation`)
 * bubble out of this element.
 *
 * The theme (a radiogroup "Theme": System, Light, Dark) is not a chat setting: it is kept apart, in localStorage, so
 * it can be applied before the first render. It changes at once.
 *
 * @fires mc-settings-change - detail: the `SettingsChanges` made (`sampling` whole; endpoint keys and models by
 *   origin).
 * @fires mc-theme-change - A theme was chosen. detail: `{ theme }`.
 */
@customElement('mc-settings-dialog')
export class McSettingsDialog extends LitElement {
  static override styles = [
    buttons,
    dialogs,
    fields,
    fieldRows,
    focusRing,
    visuallyHidden,
    css`
      dialog {
        width: min(40rem, calc(100vw - 2rem));
      }
      .content {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-8);
      }
      section {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-4);
      }
      h3,
      .group-label {
        margin: 0;
        color: var(--mc-color-text);
        font-size: var(--mc-font-size-md);
        font-weight: var(--mc-font-weight-bold);
      }
      .engines {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--mc-space-3);
      }
      .engines .group-label {
        grid-column: 1 / -1;
      }
      @media (max-width: 32rem) {
        .engines {
          grid-template-columns: 1fr;
        }
      }
      .choice {
        position: relative;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 var(--mc-space-2);
        align-content: start;
        padding: var(--mc-space-3) var(--mc-space-4);
        border: 1px solid var(--mc-color-border);
        border-radius: var(--mc-radius-md);
      }
      .choice:has(input:checked) {
        border-color: var(--mc-color-accent);
        background: var(--mc-color-accent-soft);
      }
      .choice:has(input:focus-visible) {
        outline: 2px solid var(--mc-color-focus);
        outline-offset: 2px;
      }
      /* Above the label's card-wide click area, so a click on the radio itself lands on the radio. */
      .choice input {
        position: relative;
        z-index: 1;
        margin: 0.3rem 0 0;
        accent-color: var(--mc-color-accent);
      }
      .choice input:focus-visible {
        outline: none;
      }
      .choice label {
        font-weight: var(--mc-font-weight-medium);
        cursor: pointer;
      }
      /* The whole card picks the engine, while the radio's name stays its short label. */
      .choice label::after {
        position: absolute;
        inset: 0;
        content: '';
      }
      .choice p {
        grid-column: 2;
        margin: 0;
        color: var(--mc-color-text-muted);
      }
      .choice p.unavailable {
        color: var(--mc-color-warning);
      }
      textarea.field {
        min-height: 5rem;
        resize: vertical;
      }
      .sampling {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
        gap: var(--mc-space-4);
      }
      .themes .group-label {
        font-size: var(--mc-font-size-sm);
        font-weight: var(--mc-font-weight-medium);
      }
      .themes {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-4);
      }
      .segments {
        display: inline-flex;
        padding: 2px;
        border: 1px solid var(--mc-color-border-strong);
        border-radius: var(--mc-radius-md);
      }
      .segment {
        position: relative;
        display: inline-flex;
        align-items: center;
        min-height: 2rem;
        padding: 0 var(--mc-space-4);
        border-radius: calc(var(--mc-radius-md) - 3px);
        font-weight: var(--mc-font-weight-medium);
        cursor: pointer;
      }
      .segment:has(input:checked) {
        background: var(--mc-color-accent);
        color: var(--mc-color-on-accent);
      }
      .segment:has(input:focus-visible) {
        outline: 2px solid var(--mc-color-focus);
        outline-offset: 2px;
      }
      /* Still a native radio for keyboards and screen readers; the highlighted segment shows which is checked. */
      .segment input {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        margin: 0;
        opacity: 0;
        cursor: pointer;
      }
    `,
  ];

  /** Raw text of fields edited since the dialog opened; shown instead of the stored value, valid or not. */
  readonly #drafts = new Map<FieldKey, string>();
  /** Edited fields not yet sent out. */
  readonly #pending = new Set<FieldKey>();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  readonly #returnFocus = new ReturnFocus();

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('mc-hosted-settings') private hosted!: McHostedSettings | null;

  /** The fields are rendered only while the dialog is open: nothing to build at start-up, no token in a closed DOM. */
  @state() private isOpen = false;

  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  /** Whether this device can run the model (WebGPU and enough memory). */
  @property({ attribute: false }) localAvailable = true;
  /** Why it cannot, in one sentence; shown under "This device". */
  @property({ attribute: false }) localUnavailableReason = '';
  /** The local model's state, for its panel (shown while "This device" is the engine); null until it is known. */
  @property({ attribute: false }) local: LocalModelState | null = null;
  /** The local model's speed test, in that panel; null until there is one. */
  @property({ attribute: false }) speedTest: SpeedTestState | null = null;
  /** What the conversations and models take, for the backup panel. */
  @property({ attribute: false }) storage: StorageState = { usage: null, persisted: null, measuring: false };
  /** The open conversation, for the backup panel's Markdown download; null hides it. */
  @property({ attribute: false }) conversationId: string | null = null;
  /** What the last Export or Import came to. */
  @property({ attribute: false }) backupReport: BackupReport | null = null;
  /** The hosted models for the provider chosen, and whether the model chosen is served. */
  @property({ attribute: false }) catalogue: CatalogueView | undefined;
  @property({ attribute: false }) theme: ThemePreference = 'system';
  /** The preset of the conversation shown (or of the next new chat): its prompt and sampling win over these. */
  @property({ attribute: false }) presetName = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#flush();
  }

  #stored(key: FieldKey): string {
    if (key === 'engine') return this.settings.engine;
    if (isNumberKey(key)) return String(this.settings.sampling[key] ?? '');
    return this.settings.systemPrompt;
  }

  #value(key: FieldKey): string {
    return this.#drafts.get(key) ?? this.#stored(key);
  }

  #edit(key: FieldKey, raw: string, when: 'now' | 'soon'): void {
    this.#drafts.set(key, raw);
    this.#pending.add(key);
    this.requestUpdate();
    clearTimeout(this.#debounce);
    if (when === 'now') this.#flush();
    else this.#debounce = setTimeout(() => this.#flush(), TEXT_DEBOUNCE_MS);
  }

  /** Sends every valid pending edit as one patch; invalid ones stay on screen with their message. */
  #flush(): void {
    clearTimeout(this.#debounce);
    this.hosted?.flush();
    const patch: SettingsChanges = {};
    for (const key of this.#pending) {
      const raw = this.#drafts.get(key) ?? '';
      if (fieldError(key, raw) !== null || raw === this.#stored(key)) continue;
      if (key === 'engine') patch.engine = raw as EngineKind;
      else if (isNumberKey(key)) patch.sampling = this.#draftSampling();
      else patch.systemPrompt = raw;
    }
    this.#pending.clear();
    if (Object.keys(patch).length > 0) emit(this, 'mc-settings-change', patch);
  }

  /**
   * The stored sampling with every valid number typed since the dialog opened, so that a patch sent before the
   * previous one came back as `settings` cannot undo it.
   */
  #draftSampling(): SamplingParams {
    let sampling = this.settings.sampling;
    for (const key of NUMBER_KEYS) {
      const raw = this.#drafts.get(key);
      const value = raw === undefined ? undefined : parseNumber(NUMBER_FIELDS[key], raw);
      if (value !== undefined) sampling = { ...sampling, [key]: value };
    }
    return sampling;
  }

  #localReason(): string {
    return this.localUnavailableReason || 'This device cannot run the model.';
  }

  #onClose(): void {
    this.#flush();
    this.#drafts.clear();
    this.hosted?.reset();
    this.isOpen = false;
    this.requestUpdate();
    this.#returnFocus.restore(this.dialog);
  }

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /**
   * Opens the dialog as a modal, with focus on the field `focus` (the token, when the user just chose the Hugging
   * Face API) or on the first control. On close, focus goes to `returnFocusTo`, by default whatever had it.
   */
  async show(options: { focus?: 'hfToken'; returnFocusTo?: HTMLElement } = {}): Promise<void> {
    if (this.dialog.open) return;
    this.#returnFocus.remember(options.returnFocusTo);
    this.isOpen = true;
    this.dialog.showModal();
    if (options.focus === undefined) return;
    // The field may belong to a section the settings only now switch to.
    await this.updateComplete;
    await this.hosted?.updateComplete;
    this.hosted?.focusToken();
  }

  close(): void {
    this.dialog.close();
  }

  #renderEngine(engine: string) {
    return html`<div class="engines" role="radiogroup" aria-labelledby="engine-label">
      <span class="group-label" id="engine-label">Engine</span>
      <div class="choice">
        <input
          type="radio"
          id="engine-local"
          name="engine"
          value="local"
          aria-describedby="engine-local-about"
          .checked=${engine === 'local'}
          @change=${() => this.#edit('engine', 'local', 'now')}
        />
        <label for="engine-local">This device</label>
        ${
          this.localAvailable
            ? html`<p id="engine-local-about">Private: runs on your GPU. Downloads the model once.</p>`
            : html`<p id="engine-local-about" class="unavailable">${this.#localReason()}</p>`
        }
      </div>
      <div class="choice">
        <input
          type="radio"
          id="engine-hosted"
          name="engine"
          value="hosted"
          aria-describedby="engine-hosted-about"
          .checked=${engine === 'hosted'}
          @change=${() => this.#edit('engine', 'hosted', 'now')}
        />
        <label for="engine-hosted">Hugging Face API</label>
        <p id="engine-hosted-about">Runs on Hugging Face or your own server. Needs a token.</p>
      </div>
    </div>`;
  }

  #renderTheme() {
    return html`<section aria-labelledby="appearance-heading">
      <h3 id="appearance-heading">Appearance</h3>
      <div class="themes">
        <span class="group-label" id="theme-label">Theme</span>
        <div class="segments" role="radiogroup" aria-labelledby="theme-label">
          ${THEME_PREFERENCES.map(
            (theme) =>
              html`<label class="segment">
                <input
                  type="radio"
                  name="theme"
                  value=${theme}
                  .checked=${this.theme === theme}
                  @change=${() => emit(this, 'mc-theme-change', { theme })}
                />${THEME_NAMES[theme]}
              </label>`,
          )}
        </div>
      </div>
    </section>`;
  }

  #renderFeedback(key: FieldKey, hint: string | undefined) {
    const error = fieldError(key, this.#value(key));
    return html`${hint ? html`<p class="hint" id="${key}-hint">${hint}</p>` : nothing}
    ${error ? html`<p class="error" id="${key}-error">${error}</p>` : nothing}`;
  }

  #describedBy(key: FieldKey, hint: string | undefined): string | typeof nothing {
    const ids = [hint ? `${key}-hint` : '', fieldError(key, this.#value(key)) ? `${key}-error` : ''].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  #renderNumberField(key: NumberKey) {
    const spec = NUMBER_FIELDS[key];
    return html`<div class="field-row">
      <label for=${key}>${spec.label}</label>
      <input
        class="field"
        id=${key}
        type="number"
        inputmode=${spec.integer ? 'numeric' : 'decimal'}
        min=${spec.min}
        max=${spec.max}
        step=${spec.step}
        placeholder=${spec.optional ? 'Random' : nothing}
        aria-invalid=${fieldError(key, this.#value(key)) ? 'true' : 'false'}
        aria-describedby=${this.#describedBy(key, spec.hint)}
        .value=${this.#value(key)}
        @input=${(event: Event) => this.#edit(key, (event.target as HTMLInputElement).value, 'soon')}
        @change=${() => this.#flush()}
      />
      ${this.#renderFeedback(key, spec.hint)}
    </div>`;
  }

  #renderLocal() {
    return html`<section aria-labelledby="local-heading">
      <h3 id="local-heading">Model on this device</h3>
      ${this.localAvailable ? nothing : html`<p class="notice">${this.#localReason()}</p>`}
      <mc-local-model-panel .state=${this.local} .speed=${this.speedTest}></mc-local-model-panel>
    </section>`;
  }

  #renderHosted() {
    return html`<section aria-labelledby="hosted-heading">
      <h3 id="hosted-heading">Hugging Face API</h3>
      <mc-hosted-settings
        .settings=${this.settings}
        .catalogue=${this.catalogue}
        @mc-settings-change=${(event: HTMLElementEventMap['mc-settings-change']) =>
          emit(this, 'mc-settings-change', event.detail)}
      ></mc-hosted-settings>
    </section>`;
  }

  #renderContent() {
    const engine = this.#value('engine');
    return html`<div class="content">
      <section>${this.#renderEngine(engine)}</section>
      ${engine === 'local' ? this.#renderLocal() : this.#renderHosted()}
      <section aria-labelledby="prompt-heading">
        <h3 id="prompt-heading">Behaviour</h3>
        ${this.presetName ? html`<p class="hint">This chat uses the preset “${this.presetName}”: its system prompt and sampling apply instead of these.</p>` : nothing}
        <div class="field-row">
          <label for="systemPrompt">System prompt</label>
          <textarea
            class="field"
            id="systemPrompt"
            placeholder="e.g. Answer briefly, in British English."
            .value=${this.#value('systemPrompt')}
            @input=${(event: Event) => this.#edit('systemPrompt', (event.target as HTMLTextAreaElement).value, 'soon')}
            @change=${() => this.#flush()}
          ></textarea>
        </div>
        <div class="sampling">${NUMBER_KEYS.map((key) => this.#renderNumberField(key))}</div>
      </section>
      <section aria-labelledby="backup-heading">
        <h3 id="backup-heading">Conversations and storage</h3>
        <mc-backup-panel
          .storage=${this.storage}
          .conversationId=${this.conversationId}
          .report=${this.backupReport}
          ?keepOriginals=${this.settings.keepAttachmentOriginals}
          @mc-settings-change=${(event: HTMLElementEventMap['mc-settings-change']) =>
            emit(this, 'mc-settings-change', event.detail)}
        ></mc-backup-panel>
      </section>
      ${this.#renderTheme()}
    </div>`;
  }

  override render() {
    // Escape fires `cancel` at once and `close` only a task later: apply the edits at once, so a message sent
    // right after Escape already goes where the new settings say.
    return html`<dialog aria-labelledby="settings-title" @cancel=${() => this.#flush()} @close=${this.#onClose}>
      <div class="header">
        <h2 id="settings-title">Settings</h2>
        <button class="icon-button ghost" aria-label="Close" title="Close" @click=${() => this.close()}>
          ${closeIcon}
        </button>
      </div>
      ${this.isOpen ? this.#renderContent() : nothing}
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-settings-dialog': McSettingsDialog;
  }
  interface HTMLElementEventMap {
    'mc-settings-change': CustomEvent<SettingsChanges>;
    'mc-theme-change': CustomEvent<{ theme: ThemePreference }>;
  }
}
