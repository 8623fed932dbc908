import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Preset } from '../domain/presets.js';
import { buttons, fields, focusRing } from '../styles/shared.js';
import { emit } from './events.js';

type Editing = { kind: 'create' } | { kind: 'rename'; preset: Preset };

/** What replies use, in one sentence under the combobox: the preset's settings, or those in Settings. */
function describeChoice(preset: Preset | undefined, missing: boolean, hosted: boolean): string {
  if (!preset) {
    return missing
      ? 'This conversation’s preset was deleted: replies use the system prompt and sampling in Settings.'
      : 'No preset: replies use the system prompt and sampling in Settings.';
  }
  const { temperature, topP, maxNewTokens, repetitionPenalty, seed } = preset.sampling;
  const sampling = `temperature ${temperature}, top-p ${topP}, ${maxNewTokens} new tokens, repetition penalty ${repetitionPenalty}${seed === null ? '' : `, seed ${seed}`}`;
  const model = preset.model
    ? ` On the Hugging Face API it asks for ${preset.model}${hosted ? '' : ' (not used on this device)'}.`
    : '';
  return `Replies use this preset’s system prompt and sampling (${sampling}) instead of those in Settings.${model}`;
}

/**
 * The conversation's preset: a `combobox` "Preset" (a native select) offering "None" (Settings apply), the built-ins
 * and the user's own, with a line saying what replies use. "New preset" saves the system prompt and sampling in
 * Settings under a name typed in "Preset name" (and, on the hosted engine, its model when "Include model" is ticked);
 * "Rename preset" and "Delete preset" are offered for the user's own presets only. Escape cancels naming. Whether a
 * name is accepted is the owner's to say, through `finishEditing`.
 *
 * @fires mc-choose-preset - Another preset was chosen. detail: `{ presetId }` ('' for none).
 * @fires mc-create-preset - "Save preset" for a new one. detail: `{ name, includeModel }`.
 * @fires mc-rename-preset - "Save preset" for a rename. detail: `{ id, name }`.
 * @fires mc-delete-preset - "Delete preset". detail: `{ id }`.
 */
@customElement('mc-preset-picker')
export class McPresetPicker extends LitElement {
  static override styles = [
    buttons,
    fields,
    focusRing,
    css`
      :host {
        display: block;
      }
      .row,
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2);
      }
      label {
        font-size: var(--mc-font-size-sm);
        font-weight: var(--mc-font-weight-bold);
      }
      select.field,
      input.field {
        width: auto;
        min-width: 12rem;
        max-width: 100%;
      }
      .hint {
        margin: var(--mc-space-1) 0 0;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-sm);
      }
      form {
        margin-top: var(--mc-space-2);
      }
      .check {
        font-weight: normal;
      }
    `,
  ];

  @state() private editing: Editing | null = null;

  /** Built-ins first, then the user's, as the combobox lists them. */
  @property({ attribute: false }) presets: readonly Preset[] = [];
  /** The preset in use ('' for none). */
  @property() value = '';
  /** Set when the conversation's preset was deleted: "None" shows, and the line says why. */
  @property({ type: Boolean }) missing = false;
  /** The hosted model "New preset" may include; empty on this device's engine (a preset's model is hosted only). */
  @property({ attribute: false }) hostedModel = '';

  override updated(): void {
    // Set after the options exist, and again after every render: a choice the owner did not take must not stay shown.
    const select = this.renderRoot.querySelector('select');
    if (select) select.value = this.#chosen?.id ?? '';
  }

  get #chosen(): Preset | undefined {
    return this.presets.find((preset) => preset.id === this.value);
  }

  async #startEditing(editing: Editing): Promise<void> {
    this.editing = editing;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.select();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value;
    const editing = this.editing;
    if (editing?.kind === 'rename') emit(this, 'mc-rename-preset', { id: editing.preset.id, name });
    else if (editing) {
      const includeModel = (form.elements.namedItem('include-model') as HTMLInputElement | null)?.checked ?? false;
      emit(this, 'mc-create-preset', { name, includeModel });
    }
  }

  #onFormKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    // Escape cancels naming, not whatever dialog or drawer holds this element.
    event.stopPropagation();
    this.#closeForm();
  }

  #closeForm(): void {
    this.editing = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector('select')?.focus());
  }

  /**
   * Says how the name sent last fared: saved closes "Preset name" and focus goes back to the combobox; refused keeps
   * it open, with focus in it, for the alert's advice to be followed.
   */
  finishEditing(saved: boolean): void {
    if (saved) this.#closeForm();
    else this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
  }

  #renderForm(editing: Editing) {
    const renaming = editing.kind === 'rename';
    return html`<form @submit=${this.#onSubmit} @keydown=${this.#onFormKeydown}>
      <label for="preset-name">Preset name</label>
      <input
        id="preset-name"
        class="field"
        name="name"
        autocomplete="off"
        maxlength="200"
        .value=${renaming ? editing.preset.name : ''}
      />
      ${
        !renaming && this.hostedModel
          ? html`<label class="check"
                ><input type="checkbox" name="include-model" aria-describedby="model-id" /> Include model</label
              ><span class="hint" id="model-id">${this.hostedModel}</span>`
          : nothing
      }
      <button class="button primary" type="submit">Save preset</button>
      <button class="button" type="button" @click=${this.#closeForm}>Cancel</button>
    </form>`;
  }

  override render() {
    const chosen = this.#chosen;
    const own = chosen && !chosen.builtIn ? chosen : undefined;
    const builtIns = this.presets.filter((preset) => preset.builtIn);
    const users = this.presets.filter((preset) => !preset.builtIn);
    return html`<div class="row">
        <label for="preset">Preset</label>
        <select
          id="preset"
          class="field"
          aria-describedby="preset-hint"
          @change=${(event: Event) =>
            emit(this, 'mc-choose-preset', { presetId: (event.target as HTMLSelectElement).value })}
        >
          <option value="">None (use Settings)</option>
          <optgroup label="Built-in">
            ${builtIns.map((preset) => html`<option value=${preset.id}>${preset.name}</option>`)}
          </optgroup>
          ${
            users.length > 0
              ? html`<optgroup label="Your presets">
                  ${users.map((preset) => html`<option value=${preset.id}>${preset.name}</option>`)}
                </optgroup>`
              : nothing
          }
        </select>
        <button class="button" @click=${() => void this.#startEditing({ kind: 'create' })}>New preset</button>
        ${
          own
            ? html`<button class="button" @click=${() => void this.#startEditing({ kind: 'rename', preset: own })}>
                  Rename preset
                </button>
                <button class="button" @click=${() => emit(this, 'mc-delete-preset', { id: own.id })}>
                  Delete preset
                </button>`
            : nothing
        }
      </div>
      <p class="hint" id="preset-hint">${describeChoice(chosen, this.missing, this.hostedModel !== '')}</p>
      ${this.editing ? this.#renderForm(this.editing) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-preset-picker': McPresetPicker;
  }
  interface HTMLElementEventMap {
    'mc-choose-preset': CustomEvent<{ presetId: string }>;
    'mc-create-preset': CustomEvent<{ name: string; includeModel: boolean }>;
    'mc-rename-preset': CustomEvent<{ id: string; name: string }>;
    'mc-delete-preset': CustomEvent<{ id: string }>;
  }
}
