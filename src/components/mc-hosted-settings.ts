import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  PROVIDER_PRESETS,
  chosenModel,
  endpointOrigin,
  isHuggingFaceHost,
  modelChange,
  providerForUrl,
  providerPreset,
  type ProviderId,
} from '../domain/providers.js';
import { PROVIDER_ADVICE, corsAdvice } from './provider-advice.js';
import type { CatalogueView } from '../state/app-state.js';
import { DEFAULT_SETTINGS, type Settings, type SettingsChanges } from '../domain/settings.js';
import { buttons, fields, focusRing } from '../styles/shared.js';
import { fieldRows } from './settings-styles.js';
import { emit } from './events.js';
import { eyeIcon } from './icons.js';
import './mc-model-picker.js';

/** Text fields typed character by character are applied this long after the last keystroke, or on change/close. */
export const TEXT_DEBOUNCE_MS = 300;

type HostedField = 'hfToken' | 'endpointUrl' | 'apiKey';

const NO_CATALOGUE: CatalogueView = { models: [], loading: false, resolution: { kind: 'unknown' } };

function urlError(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    return 'Enter a full URL starting with https:// (or http:// for a server on this computer).';
  }
  if (url.username !== '' || url.password !== '') {
    return 'Take the user name and password out of the URL; put a key in API key instead.';
  }
  return null;
}

/**
 * The hosted engine's settings, inside the Settings dialog: the provider (a native select "Provider" of the
 * presets), the Hugging Face token, the Endpoint URL, the API key for that endpoint, and the model (an editable
 * combobox "Hugging Face model" listing the live catalogue).
 *
 * A preset fills in the Endpoint URL; typing a URL picks the preset it belongs to (or Custom; empty is the router).
 * A key is typed for, and kept under, the origin of the URL shown: editing the URL shows that other origin's key.
 * When the catalogue says nobody serves the model chosen, this says so and offers the closest live model, taken
 * with one click; the model is never switched without that click.
 *
 * Text is applied 300 ms after the last keystroke, on change, and when `flush()` is called (the dialog closes).
 *
 * @fires mc-settings-change - detail: the `SettingsChanges` made (endpoint keys and models by origin).
 */
@customElement('mc-hosted-settings')
export class McHostedSettings extends LitElement {
  static override styles = [
    buttons,
    fields,
    fieldRows,
    focusRing,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-4);
      }
      .with-toggle {
        display: flex;
        gap: var(--mc-space-2);
      }
      .with-toggle .button[aria-pressed='true'] {
        background: var(--mc-color-selected);
      }
      .model-notice {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-3);
      }
      .model-notice p {
        flex: 1 1 16rem;
      }
    `,
  ];

  /** Raw text of fields edited and not yet stored; shown instead of the stored value, valid or not. */
  readonly #drafts = new Map<HostedField, string>();
  readonly #pending = new Set<HostedField>();
  /** The origin the API key draft was typed for: it is stored under that origin and no other. */
  #keyOrigin: string | undefined;
  #debounce: ReturnType<typeof setTimeout> | undefined;

  @state() private tokenVisible = false;
  @state() private keyVisible = false;
  @state() private modelError = '';

  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  /** Undefined until the app has looked the catalogue up (never, in local mode). */
  @property({ attribute: false }) catalogue: CatalogueView | undefined;
  /** This page's origin, named in the advice about letting it call a server (CORS). */
  @property({ attribute: false }) pageOrigin = location.origin;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flush();
  }

  #stored(key: HostedField): string {
    if (key === 'hfToken') return this.settings.hfToken;
    if (key === 'endpointUrl') return this.settings.endpointUrl;
    const origin = this.#origin();
    return origin === undefined ? '' : (this.settings.endpointKeys[origin] ?? '');
  }

  #value(key: HostedField): string {
    return this.#drafts.get(key) ?? this.#stored(key);
  }

  /** The origin of the URL shown (typed or stored), if it is a usable one. */
  #origin(): string | undefined {
    const typed = this.#drafts.get('endpointUrl');
    return endpointOrigin(typed !== undefined && urlError(typed) === null ? typed : this.settings.endpointUrl);
  }

  #provider(): ProviderId {
    const typed = this.#drafts.get('endpointUrl');
    return typed === undefined ? this.settings.provider : providerForUrl(typed, this.settings.provider);
  }

  #edit(key: HostedField, raw: string): void {
    if (key === 'apiKey') this.#keyOrigin = this.#origin();
    if (key === 'endpointUrl' && this.#drafts.has('apiKey')) {
      // The key typed belongs to the address it was typed under: store it there, and show the new address's own.
      this.flush();
      this.#drafts.delete('apiKey');
    }
    this.#drafts.set(key, raw);
    this.#pending.add(key);
    this.requestUpdate();
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.flush(), TEXT_DEBOUNCE_MS);
  }

  /** Sends every valid pending edit as one patch; an invalid URL stays on screen with its message. */
  flush(): void {
    clearTimeout(this.#debounce);
    const patch: SettingsChanges = {};
    for (const key of this.#pending) {
      const raw = this.#drafts.get(key) ?? '';
      if (key === 'hfToken' && raw.trim() !== this.settings.hfToken) patch.hfToken = raw.trim();
      if (key === 'endpointUrl' && urlError(raw) === null && raw.trim() !== this.settings.endpointUrl) {
        patch.endpointUrl = raw.trim();
        patch.provider = providerForUrl(raw, this.settings.provider);
      }
      if (key === 'apiKey' && this.#keyOrigin !== undefined) patch.endpointKeys = { [this.#keyOrigin]: raw.trim() };
    }
    this.#pending.clear();
    if (Object.keys(patch).length > 0) emit(this, 'mc-settings-change', patch);
  }

  /** Forgets what was typed and not applied (the dialog closed) and hides the secrets again. */
  reset(): void {
    this.flush();
    this.#drafts.clear();
    this.tokenVisible = false;
    this.keyVisible = false;
    this.modelError = '';
  }

  /** Puts focus on the Hugging Face token when it is shown, else on the provider. */
  focusToken(): void {
    const field = this.renderRoot.querySelector<HTMLElement>('#hfToken') ?? this.renderRoot.querySelector('select');
    field?.focus();
  }

  #chooseProvider(id: ProviderId): void {
    this.flush();
    const preset = providerPreset(id);
    const current = this.settings.endpointUrl;
    // A server whose address is typed keeps the address shown if it can be one of its own.
    const endpointUrl = preset.typedUrl && providerForUrl(current, id) === id ? current : preset.url;
    this.#drafts.delete('endpointUrl');
    this.#drafts.delete('apiKey');
    emit(this, 'mc-settings-change', { provider: id, endpointUrl });
  }

  #chooseModel(value: string): void {
    const model = value.trim();
    const change = modelChange(this.#origin() ?? '', model);
    if ('hfModel' in change) {
      this.modelError = model === '' ? `Enter a model id, e.g. ${DEFAULT_SETTINGS.hfModel}.` : '';
      if (model !== '' && model !== this.settings.hfModel) emit(this, 'mc-settings-change', change);
      return;
    }
    this.modelError = '';
    if (model !== chosenModel(this.settings)) emit(this, 'mc-settings-change', change);
  }

  #renderTextField(
    key: HostedField,
    label: string,
    options: {
      hints?: readonly string[];
      placeholder?: string;
      error?: string | null;
      disabled?: boolean;
      secret?: { visible: boolean; toggle: () => void; name: string };
    },
  ) {
    const { hints = [], placeholder, error = null, disabled = false, secret } = options;
    const shown = hints.filter((hint) => hint !== '');
    const describedBy = [...shown.map((_, index) => `${key}-hint-${index}`), ...(error ? [`${key}-error`] : [])];
    const input = html`<input
      class="field"
      id=${key}
      type=${secret && !secret.visible ? 'password' : 'text'}
      autocomplete="off"
      spellcheck="false"
      placeholder=${placeholder ?? nothing}
      ?disabled=${disabled}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${describedBy.length > 0 ? describedBy.join(' ') : nothing}
      .value=${this.#value(key)}
      @input=${(event: Event) => this.#edit(key, (event.target as HTMLInputElement).value)}
      @change=${() => this.flush()}
    />`;
    return html`<div class="field-row">
      <label for=${key}>${label}</label>
      ${
        secret
          ? html`<div class="with-toggle">
              ${input}
              <button
                type="button"
                class="button"
                ?disabled=${disabled}
                aria-pressed=${secret.visible ? 'true' : 'false'}
                @click=${secret.toggle}
              >
                ${eyeIcon}<span>${secret.name}</span>
              </button>
            </div>`
          : input
      }
      ${shown.map((hint, index) => html`<p class="hint" id="${key}-hint-${index}">${hint}</p>`)}
      ${error ? html`<p class="error" id="${key}-error">${error}</p>` : nothing}
    </div>`;
  }

  #renderProvider(provider: ProviderId) {
    return html`<div class="field-row">
      <label for="provider">Provider</label>
      <select
        class="field"
        id="provider"
        @change=${(event: Event) => this.#chooseProvider((event.target as HTMLSelectElement).value as ProviderId)}
      >
        ${PROVIDER_PRESETS.map(
          (preset) => html`<option value=${preset.id} ?selected=${preset.id === provider}>${preset.label}</option>`,
        )}
      </select>
    </div>`;
  }

  #renderModelNotice(origin: string | undefined) {
    const { resolution } = this.catalogue ?? NO_CATALOGUE;
    if (resolution.kind !== 'not-served') return nothing;
    const { suggestion } = resolution;
    return html`<div class="model-notice notice">
      <p id="model-notice">
        ${
          origin === undefined
            ? `No provider serves ${resolution.id} right now.`
            : `The server at ${origin} does not list ${resolution.id}.`
        }
        ${
          suggestion
            ? `${suggestion.id} is live: use it, or choose another model.`
            : 'Choose a live model from the list, or type another id.'
        }
      </p>
      ${
        suggestion
          ? html`<button type="button" class="button primary" @click=${() => this.#chooseModel(suggestion.id)}>
              Use ${suggestion.id}
            </button>`
          : nothing
      }
    </div>`;
  }

  #renderModel(onEndpoint: boolean) {
    const catalogue = this.catalogue ?? NO_CATALOGUE;
    const resolution = catalogue.resolution;
    const servedBy =
      resolution.kind === 'served' && resolution.provider ? `Answered by ${resolution.provider.provider}.` : '';
    return html`<div class="field-row">
        <mc-model-picker
          label="Hugging Face model"
          .value=${chosenModel(this.settings) || DEFAULT_SETTINGS.hfModel}
          .models=${catalogue.models}
          .placeholder=${onEndpoint ? 'The model name this server expects' : DEFAULT_SETTINGS.hfModel}
          .asOf=${catalogue.asOf}
          ?invalid=${this.modelError !== ''}
          @mc-model-change=${(event: HTMLElementEventMap['mc-model-change']) => this.#chooseModel(event.detail.value)}
        ></mc-model-picker>
        ${catalogue.loading ? html`<p class="hint">Looking up the models served now…</p>` : nothing}
        ${servedBy ? html`<p class="hint">${servedBy}</p>` : nothing}
        ${this.modelError ? html`<p class="error">${this.modelError}</p>` : nothing}
        ${catalogue.error ? html`<p class="error" role="alert">${catalogue.error}</p>` : nothing}
      </div>
      ${this.#renderModelNotice(onEndpoint ? this.#origin() : undefined)}`;
  }

  override render() {
    const provider = this.#provider();
    const preset = providerPreset(provider);
    const origin = this.#origin();
    const onEndpoint = this.#value('endpointUrl').trim() !== '';
    const usesToken = preset.key === 'hf-token' || (origin !== undefined && isHuggingFaceHost(new URL(origin)));
    const urlHint =
      preset.typedUrl && !onEndpoint ? `Enter your ${preset.label} server’s address.` : 'Any OpenAI-compatible server.';
    return html`${this.#renderProvider(provider)}
    ${
      usesToken
        ? this.#renderTextField('hfToken', 'Hugging Face token', {
            hints: [
              'A token from huggingface.co/settings/tokens with the "Inference Providers" permission. Kept only in this browser, sent only to Hugging Face.',
            ],
            placeholder: 'hf_…',
            secret: {
              visible: this.tokenVisible,
              toggle: () => (this.tokenVisible = !this.tokenVisible),
              name: 'Show token',
            },
          })
        : nothing
    }
    ${this.#renderTextField('endpointUrl', 'Endpoint URL', {
      hints: [urlHint, corsAdvice(provider, this.pageOrigin)],
      placeholder: PROVIDER_ADVICE[provider].placeholder,
      error: urlError(this.#value('endpointUrl')),
    })}
    ${
      provider === 'huggingface'
        ? nothing
        : this.#renderTextField('apiKey', 'API key', {
            hints: [
              origin === undefined
                ? 'Enter the Endpoint URL first: a key is kept for that one address.'
                : `${PROVIDER_ADVICE[provider].keyHint} Kept for ${origin} only.`,
            ],
            disabled: origin === undefined,
            secret: {
              visible: this.keyVisible,
              toggle: () => (this.keyVisible = !this.keyVisible),
              name: 'Show key',
            },
          })
    }
    ${this.#renderModel(onEndpoint)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-hosted-settings': McHostedSettings;
  }
}
