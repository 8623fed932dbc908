/**
 * The alert list (role=alert) and the latest notice (role=status), and the guard that turns a failed step into an
 * alert so that no action rejects.
 */
import { EngineError } from '../engines/types.js';
import type { AlertAction, AppAlert } from './app-state.js';
import { addAlert, dismissAlert } from './reducers.js';
import type { Store } from './store.js';

export const SOMETHING_WENT_WRONG =
  'Something went wrong and the reply could not be finished. Try again; if it keeps failing, reload the page.';

/** The sentence a failure shows the user: an engine's or storage's own, else a generic one. */
export function errorMessage(error: unknown): string {
  if (error instanceof EngineError) return error.userMessage;
  if (error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string') {
    return error.userMessage;
  }
  return SOMETHING_WENT_WRONG;
}

export class AlertBoard {
  readonly #store: Store;
  #nextAlertId = 1;
  #nextNoticeId = 1;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Adds an alert; returns its id, for an action found later (`offer`). */
  show(message: string): number {
    const alert: AppAlert = { id: this.#nextAlertId++, message };
    this.#store.update((state) => ({ ...state, alerts: addAlert(state.alerts, alert) }));
    return alert.id;
  }

  /** Adds what alert `id` offers besides Dismiss, if it is still shown. */
  offer(id: number, action: AlertAction): void {
    this.#store.update((state) => ({
      ...state,
      alerts: state.alerts.map((alert) => (alert.id === id ? { ...alert, action } : alert)),
    }));
  }

  dismiss(id: number): void {
    this.#store.update((state) => ({ ...state, alerts: dismissAlert(state.alerts, id) }));
  }

  notify(message: string): void {
    const notice = { id: this.#nextNoticeId++, message };
    this.#store.update((state) => ({ ...state, notice }));
  }

  dismissNotice(id: number): void {
    this.#store.update((state) => (state.notice?.id === id ? { ...state, notice: null } : state));
  }

  /** Runs a step; a failure becomes an alert and the in-memory state keeps what the user sees. */
  async guard(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.show(errorMessage(error));
    }
  }
}
