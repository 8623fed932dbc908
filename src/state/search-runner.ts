/** The search box: runs each query, and drops the results of one overtaken by a newer one. */
import type { ChatRepository } from '../storage/types.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import { EMPTY_SEARCH } from './initial-state.js';
import type { Store } from './store.js';

export class SearchRunner {
  readonly #store: Store;
  readonly #repository: ChatRepository;
  readonly #alerts: AlertBoard;
  #seq = 0;

  constructor(deps: { store: Store; repository: ChatRepository; alerts: AlertBoard }) {
    this.#store = deps.store;
    this.#repository = deps.repository;
    this.#alerts = deps.alerts;
  }

  async search(query: string): Promise<void> {
    const seq = ++this.#seq;
    if (query.trim() === '') {
      this.#store.update((state) => ({ ...state, search: { ...EMPTY_SEARCH, query } }));
      return;
    }
    this.#store.update((state) => ({ ...state, search: { ...state.search, query, pending: true } }));
    try {
      const results = await this.#repository.searchConversations(query);
      if (seq !== this.#seq) return;
      this.#store.update((state) => ({ ...state, search: { query, results, pending: false } }));
    } catch (error) {
      if (seq !== this.#seq) return;
      this.#store.update((state) => ({ ...state, search: { ...state.search, pending: false } }));
      this.#alerts.show(errorMessage(error));
    }
  }

  /** Runs the query shown again, if there is one: what it finds may have changed. */
  refresh(): void {
    const { query } = this.#store.getState().search;
    if (query.trim() !== '') void this.search(query);
  }
}
