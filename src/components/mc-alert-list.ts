import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AlertAction, AppAlert } from '../state/app-state.js';
import { buttons, focusRing } from '../styles/shared.js';
import { emit } from './events.js';
import { alertIcon, closeIcon } from './icons.js';

/**
 * Failures the user should know about, each a `role="alert"` (read out as it appears) with a "Dismiss" button, and
 * what it offers to do about it: a button (e.g. "Use <model>") or a link (a gated model's page).
 *
 * @fires mc-dismiss-alert - "Dismiss" was pressed. detail: `{ id }`.
 * @fires mc-alert-action - The alert's button was pressed. detail: `{ id }`.
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
      .body {
        display: flex;
        flex: 1;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-3);
      }
      p {
        flex: 1 1 16rem;
        margin: 0;
        color: var(--mc-color-text);
      }
      a {
        color: var(--mc-color-accent);
        font-weight: var(--mc-font-weight-medium);
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

  #renderAction(id: number, action: AlertAction | undefined) {
    if (action?.kind === 'use-model') {
      return html`<button class="button primary" @click=${() => emit(this, 'mc-alert-action', { id })}>
        Use ${action.model}
      </button>`;
    }
    if (action?.kind === 'link') {
      return html`<a href=${action.href} target="_blank" rel="noopener noreferrer">${action.label}</a>`;
    }
    return nothing;
  }

  override render() {
    return repeat(
      this.alerts,
      (alert) => alert.id,
      (alert) =>
        html`<div role="alert">
          ${alertIcon}
          <div class="body">
            <p>${alert.message}</p>
            ${this.#renderAction(alert.id, alert.action)}
          </div>
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
    'mc-alert-action': CustomEvent<{ id: number }>;
  }
}
