import type { AppState, StateSource } from './app-state.js';

/** The single source of truth for what the UI shows. Changes go through `update` with a pure function. */
export class Store implements StateSource {
  #state: AppState;
  readonly #listeners = new Set<(state: AppState) => void>();

  constructor(initial: AppState) {
    this.#state = initial;
  }

  getState(): AppState {
    return this.#state;
  }

  subscribe(listener: (state: AppState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  update(change: (state: AppState) => AppState): void {
    const next = change(this.#state);
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }
}
