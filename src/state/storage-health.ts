/** Storage health for the Settings panel: whether the browser keeps the site's data, and what it takes. */
import type { StorageUsage } from '../storage/health.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import type { AppState } from './app-state.js';
import type { Store } from './store.js';

export interface StorageHealthDeps {
  store: Store;
  alerts: AlertBoard;
  /** Asks the browser to keep the site's data; resolves to whether it will. */
  requestPersistentStorage: () => Promise<boolean>;
  /** Measures what the conversations and models take. */
  estimateUsage: () => Promise<StorageUsage>;
}

export class StorageHealth {
  readonly #deps: StorageHealthDeps;

  constructor(deps: StorageHealthDeps) {
    this.#deps = deps;
  }

  /** Asks once, without waiting: the answer shows in Settings when it comes, and a refusal changes nothing else. */
  askToPersist(): void {
    void this.#deps.requestPersistentStorage().then(
      (persisted) => this.#update({ persisted }),
      () => undefined,
    );
  }

  async refresh(): Promise<void> {
    this.#update({ measuring: true });
    try {
      const usage = await this.#deps.estimateUsage();
      this.#update({
        usage,
        measuring: false,
        ...(usage.persisted === null ? {} : { persisted: usage.persisted }),
      });
    } catch (error) {
      this.#update({ measuring: false });
      this.#deps.alerts.show(errorMessage(error));
    }
  }

  #update(patch: Partial<AppState['storage']>): void {
    this.#deps.store.update((state) => ({ ...state, storage: { ...state.storage, ...patch } }));
  }
}
