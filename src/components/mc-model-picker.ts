import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CatalogueModel, ProviderOffer } from '../domain/catalogue.js';
import { createModelFilter } from '../domain/model-filter.js';
import { fields } from '../styles/shared.js';
import { fieldRows } from './settings-styles.js';
import { emit } from './events.js';

/** Options in the list at once: enough to scroll through, few enough to render on every keystroke. */
const SHOWN_OPTIONS = 100;
const PROVIDERS_NAMED = 3;

const priceFormat = new Intl.NumberFormat('en', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 3,
});

/** What an option says under its id: who serves it, the longest context, the lowest price per million tokens. */
function optionDetails(model: CatalogueModel): string {
  if (!model.live) {
    const statuses = [...new Set(model.providers.map((offer) => offer.status))];
    return statuses.length > 0 ? `Not served now (${statuses.join(', ')})` : 'Not served now';
  }
  const live = model.providers.filter((offer) => offer.status === 'live');
  const parts: string[] = [];
  if (live.length > 0) {
    const names = live.slice(0, PROVIDERS_NAMED).map((offer) => offer.provider);
    const more = live.length - names.length;
    parts.push(more > 0 ? `${names.join(', ')} +${more}` : names.join(', '));
  }
  const context = Math.max(0, ...live.map((offer) => offer.contextLength ?? 0));
  if (context > 0) parts.push(`${Math.round(context / 1024).toLocaleString('en')}K context`);
  const cheapest = live
    .filter((offer): offer is ProviderOffer & { pricing: NonNullable<ProviderOffer['pricing']> } => !!offer.pricing)
    .sort((a, b) => a.pricing.output - b.pricing.output || a.pricing.input - b.pricing.input)[0];
  if (cheapest) {
    const { input, output } = cheapest.pricing;
    parts.push(`${priceFormat.format(input)} in, ${priceFormat.format(output)} out per M tokens`);
  }
  return parts.join(' · ');
}

/**
 * An editable combobox for a model id (ARIA 1.2, list autocomplete): the user types any id (a `:provider`,
 * `:fastest` or `:cheapest` suffix included) or picks one of `models`, filtered by what is typed. Options name their
 * live providers, context length and price; a model nobody serves now is marked and cannot be picked. Focus stays in
 * the text box; the option under the arrow keys is its `aria-activedescendant`.
 *
 * Keys: ArrowDown / ArrowUp open the list and move through it (Alt+ArrowDown only opens it), Enter takes the option
 * shown as active or else the text typed, Escape closes the list (a second Escape is left to the dialog around it),
 * Tab and leaving the box take the text typed.
 *
 * @fires mc-model-change - detail: `{ value }`, the id the user settled on (trimmed), when it differs from `value`.
 */
@customElement('mc-model-picker')
export class McModelPicker extends LitElement {
  static override styles = [
    fields,
    fieldRows,
    css`
      :host {
        display: block;
      }
      .box {
        position: relative;
      }
      .field {
        padding-right: 2.5rem;
      }
      .toggle {
        position: absolute;
        top: 0;
        right: 0;
        width: 2.5rem;
        height: 100%;
        border: 0;
        background: transparent;
        color: var(--mc-color-text-muted);
        cursor: pointer;
      }
      .toggle::before {
        content: '';
        display: inline-block;
        width: 0.5rem;
        height: 0.5rem;
        border-right: 2px solid currentColor;
        border-bottom: 2px solid currentColor;
        transform: translateY(-25%) rotate(45deg);
      }
      .popup {
        position: absolute;
        z-index: 1;
        top: calc(100% + var(--mc-space-1));
        right: 0;
        left: 0;
        display: flex;
        flex-direction: column;
        max-height: min(20rem, 50vh);
        border: 1px solid var(--mc-color-border-strong);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-bg);
        box-shadow: var(--mc-shadow-lg);
      }
      .popup[hidden] {
        display: none;
      }
      [role='listbox'] {
        margin: 0;
        padding: var(--mc-space-1) 0;
        overflow-y: auto;
        list-style: none;
      }
      [role='option'] {
        /* Only the options in view are laid out: a keystroke re-renders up to a hundred. */
        content-visibility: auto;
        contain-intrinsic-size: auto 3.25rem;
        display: grid;
        gap: 2px;
        padding: var(--mc-space-2) var(--mc-space-3);
        cursor: pointer;
        font-size: var(--mc-font-size-sm);
      }
      [role='option'] .id {
        overflow-wrap: anywhere;
      }
      [role='option'] .details {
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
      }
      [role='option'][aria-selected='true'] {
        background: var(--mc-color-hover);
        outline: 2px solid var(--mc-color-focus);
        outline-offset: -2px;
      }
      [role='option'][aria-disabled='true'] {
        cursor: default;
      }
      [role='option'][aria-disabled='true'] .id {
        color: var(--mc-color-text-muted);
        text-decoration: line-through;
      }
      .more {
        margin: 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        border-top: 1px solid var(--mc-color-border);
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
      }
    `,
  ];

  #filter = createModelFilter([]);
  #details = new Map<CatalogueModel, string>();

  @query('input') private input!: HTMLInputElement;

  /** What the box shows while the user edits; undefined shows `value`. */
  @state() private draft: string | undefined;
  @state() private open = false;
  /** Whether the list is filtered by the text (it is once the user types; opening shows every model). */
  @state() private filtering = false;
  @state() private activeIndex = -1;

  /** The visible label, and the combobox's accessible name. */
  @property() label = 'Model';
  /** The id chosen now. */
  @property() value = '';
  /** In picker order (`orderModels`); empty: a plain text box. */
  @property({ attribute: false }) models: readonly CatalogueModel[] = [];
  @property() placeholder = '';
  /** A line under the box, e.g. "Models as of 1 Dec 2026, 21:00"; it also describes the box. */
  @property({ attribute: 'as-of' }) asOf: string | undefined;
  /** Marks the box invalid (the parent shows why). */
  @property({ type: Boolean }) invalid = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('models')) {
      this.#filter = createModelFilter(this.models);
      this.#details = new Map(this.models.map((model) => [model, optionDetails(model)]));
      this.activeIndex = -1;
    }
    // The parent took (or set) a value: show it rather than what was typed before.
    if (changed.has('value') && changed.get('value') !== undefined) this.draft = undefined;
  }

  override updated(): void {
    if (this.open && this.activeIndex >= 0) {
      this.renderRoot.querySelector(`#option-${this.activeIndex}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  get #text(): string {
    return this.draft ?? this.value;
  }

  get #options(): CatalogueModel[] {
    return this.#filter(this.filtering ? this.#text : '', SHOWN_OPTIONS);
  }

  #matchCount(): number {
    return this.filtering ? this.#filter(this.#text, Number.POSITIVE_INFINITY).length : this.models.length;
  }

  /** Whether the box holds text the user typed and has not committed. */
  #edited(): boolean {
    return this.draft !== undefined && this.draft.trim() !== this.value;
  }

  /** Opened on text the user typed, the list is filtered by it; opened on the current value, it shows every model. */
  #openList(): void {
    if (this.models.length === 0) return;
    this.filtering = this.#edited();
    if (!this.open) {
      this.open = true;
      // Opened on the current value: the arrows start from its option.
      this.activeIndex = this.filtering ? -1 : this.#options.findIndex((model) => model.id === this.#text.trim());
    }
  }

  #closeList(): void {
    this.open = false;
    this.filtering = false;
    this.activeIndex = -1;
  }

  #commit(text: string): void {
    const value = text.trim();
    this.draft = value;
    this.#closeList();
    if (value !== this.value) emit(this, 'mc-model-change', { value });
  }

  #choose(model: CatalogueModel): void {
    if (!model.live) return;
    this.#commit(model.id);
  }

  #move(step: number, options: readonly CatalogueModel[]): void {
    if (options.length === 0) return;
    const from = this.activeIndex < 0 ? (step > 0 ? -1 : options.length) : this.activeIndex;
    this.activeIndex = (from + step + options.length) % options.length;
  }

  #onInput(event: Event): void {
    this.draft = (event.target as HTMLInputElement).value;
    this.activeIndex = -1;
    if (this.open) this.filtering = true;
    else this.#openList();
  }

  #onKeydown(event: KeyboardEvent): void {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        const wasOpen = this.open;
        this.#openList();
        if (event.altKey) return;
        if (wasOpen || this.activeIndex < 0) this.#move(event.key === 'ArrowDown' ? 1 : -1, this.#options);
        return;
      }
      case 'Enter': {
        const active = this.open ? this.#options[this.activeIndex] : undefined;
        event.preventDefault();
        if (active) this.#choose(active);
        else this.#commit(this.#text);
        return;
      }
      case 'Escape':
        if (!this.open) return;
        // Only the list closes: the dialog around the picker stays open.
        event.stopPropagation();
        event.preventDefault();
        this.#closeList();
        return;
    }
  }

  #onBlur(): void {
    if (this.#edited()) this.#commit(this.#text);
    else this.#closeList();
  }

  #onToggle(): void {
    if (this.open) this.#closeList();
    else this.#openList();
    this.input.focus();
  }

  /** Clicks anywhere in the widget: an option is taken, the text box opens the list. */
  #onClick(event: MouseEvent): void {
    const target = event.target as Element;
    const option = target.closest<HTMLElement>('[role="option"]');
    if (option) {
      const model = this.#options[Number(option.dataset.index)];
      if (model) this.#choose(model);
    } else if (target === this.input) {
      this.#openList();
    }
  }

  #renderOption(model: CatalogueModel, index: number) {
    return html`<li
      role="option"
      id="option-${index}"
      data-index=${index}
      aria-selected=${index === this.activeIndex ? 'true' : 'false'}
      aria-disabled=${model.live ? nothing : 'true'}
    >
      <span class="id">${model.id}</span>
      <span class="details">${this.#details.get(model) ?? optionDetails(model)}</span>
    </li>`;
  }

  override render() {
    const options = this.open ? this.#options : [];
    const expanded = options.length > 0;
    const hidden = expanded ? this.#matchCount() - options.length : 0;
    return html`<div class="field-row">
      <label id="label" for="input">${this.label}</label>
      <div class="box" @keydown=${this.#onKeydown} @click=${this.#onClick}>
        <input
          id="input"
          class="field"
          role="combobox"
          aria-labelledby="label"
          aria-autocomplete="list"
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-controls="listbox"
          aria-activedescendant=${expanded && this.activeIndex >= 0 ? `option-${this.activeIndex}` : nothing}
          aria-describedby=${this.asOf ? 'as-of' : nothing}
          aria-invalid=${this.invalid ? 'true' : 'false'}
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          placeholder=${this.placeholder}
          .value=${this.#text}
          @input=${this.#onInput}
          @blur=${this.#onBlur}
        />
        ${
          this.models.length > 0
            ? html`<button
                class="toggle"
                type="button"
                tabindex="-1"
                aria-label="Show models"
                aria-expanded=${expanded ? 'true' : 'false'}
                aria-controls="listbox"
                @mousedown=${(event: MouseEvent) => event.preventDefault()}
                @click=${this.#onToggle}
              ></button>`
            : nothing
        }
        <div class="popup" ?hidden=${!expanded} @mousedown=${(event: MouseEvent) => event.preventDefault()}>
          <ul id="listbox" role="listbox" aria-labelledby="label">
            ${options.map((model, index) => this.#renderOption(model, index))}
          </ul>
          ${hidden > 0 ? html`<p class="more">${hidden.toLocaleString('en')} more: type to narrow the list.</p>` : nothing}
        </div>
      </div>
      ${this.asOf ? html`<p class="hint" id="as-of">${this.asOf}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-model-picker': McModelPicker;
  }
  interface HTMLElementEventMap {
    'mc-model-change': CustomEvent<{ value: string }>;
  }
}
