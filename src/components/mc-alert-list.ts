import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AppAlert } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { alertIcon, closeIcon } from './icons.js';

/**
 * Failures the user should know about, each a `role="alert"` (read out as it appears) with a "Dismiss" button.
 *
 * @fires mc-dismiss-alert - "Dismiss" was pressed. detail: `{ id }`.
 */
@customElement('mc-alert-list')
export class McAlertList extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--mc-space-2);
      }
      :host([hidden]) {
        display: none;
      }
      [role='alert'] {
        display: flex;
        align-items: flex-start;
        gap: var(--mc-space-3);
        padding: var(--mc-space-3) var(--mc-space-3) var(--mc-space-3) var(--mc-space-4);
        border: 1px solid color-mix(in srgb, var(--mc-color-danger) 35%, transparent);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-danger-soft);
        color: var(--mc-color-danger);
        font-size: var(--mc-font-size-sm);
        line-height: var(--mc-line-height);
      }
      [role='alert'] > svg {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        margin-top: 0.1rem;
      }
      p {
        flex: 1;
        margin: 0;
        color: var(--mc-color-text);
      }
      .icon-button {
        width: 2rem;
        height: 2rem;
        color: var(--mc-color-text);
      }
      .icon-button svg {
        width: 1rem;
        height: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) alerts: readonly AppAlert[] = [];

  override render() {
    return repeat(
      this.alerts,
      (alert) => alert.id,
      (alert) =>
        html`<div role="alert">
          ${alertIcon}
          <p>${alert.message}</p>
          <button
            class="icon-button ghost"
            aria-label="Dismiss"
            title="Dismiss"
            @click=${() => emit(this, 'mc-dismiss-alert', { id: alert.id })}
          >
            ${closeIcon}
          </button>
        </div>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mc-alert-list': McAlertList;
  }
  interface HTMLElementEventMap {
    'mc-dismiss-alert': CustomEvent<{ id: number }>;
  }
}
