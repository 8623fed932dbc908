/**
 * Settings as shown and saved, and what follows from them and from the engines' own services: the engine line
 * (`engineStatus`), the local model service's state and the hosted catalogue view. One state channel: the services
 * report here, and the UI reads it all from `AppState`.
 */
import { applySettingsChanges, settingsChanges, type Settings, type SettingsChanges } from '../domain/settings.js';
import type { EngineResolver, EngineStatus } from '../engines/types.js';
import type { LocalModelState } from '../engines/webllm/local-model-state.js';
import type { ChatRepository } from '../storage/types.js';
import type { AlertBoard } from './alert-board.js';
import type { AppState, CatalogueView } from './app-state.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

/** The local model service as the session follows it: it reports every change, the first once it is prepared. */
export interface LocalModelSource {
  subscribe(listener: (state: LocalModelState) => void): () => void;
}

/** The hosted catalogue service as the session follows it. */
export interface CatalogueSource {
  subscribe(listener: () => void): () => void;
  /** The list as Settings shows it for these settings (the same object while nothing it shows changed). */
  view(settings: Settings): CatalogueView;
}

/** The catalogue service, created on the first hosted look-up only (a device in local mode never loads it). */
export interface LazyCatalogueSource {
  /** Calls `listener` once the service exists. */
  onCreated(listener: (service: CatalogueSource) => void): void;
}

export interface SettingsKeeperDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  engines: EngineResolver;
  local?: LocalModelSource;
  catalogues?: LazyCatalogueSource;
}

export class SettingsKeeper {
  readonly #deps: SettingsKeeperDeps;
  /** Counts this tab's settings changes, so a re-read that started before one does not undo it on screen. */
  #version = 0;
  #catalogue: CatalogueSource | null = null;

  constructor(deps: SettingsKeeperDeps) {
    this.#deps = deps;
    deps.local?.subscribe((local) => {
      deps.store.update((state) => (state.local === local ? state : { ...state, local }));
      this.refreshEngineStatus();
    });
    deps.catalogues?.onCreated((service) => {
      this.#catalogue = service;
      service.subscribe(() => this.refreshEngineStatus());
      this.refreshEngineStatus();
    });
  }

  /** Saves the settings named that differ from those shown; another tab's change to other settings stays. */
  async update(patch: SettingsChanges): Promise<void> {
    const current = this.#deps.store.getState().settings;
    const changes = settingsChanges(current, patch);
    if (!changes) return;
    const version = ++this.#version;
    this.show(applySettingsChanges(current, changes));
    const { queue, repository } = this.#deps;
    await this.#deps.alerts.guard(() =>
      queue.write(async () => {
        const saved = await repository.updateSettings(changes);
        // With any change another tab saved to other fields; unless this tab changed something again meanwhile.
        if (version === this.#version) this.show(saved);
      }),
    );
  }

  /** Reads the stored settings (another tab changed them) and shows them, unless this tab changed some since. */
  async reread(): Promise<void> {
    const version = this.#version;
    const settings = await this.#deps.repository.loadSettings();
    // A change made here since the read began is saved after the one read, so it is the one that stays.
    if (version === this.#version) this.show(settings);
  }

  show(settings: Settings): void {
    this.#deps.store.update((state) => this.shownWith(state, settings));
  }

  /** `state` showing `settings`, with the engine line and the catalogue view that follow from them. */
  shownWith(state: AppState, settings: Settings): AppState {
    return {
      ...state,
      settings,
      engineStatus: this.#deps.engines.describe(settings),
      catalogue: this.#catalogue?.view(settings) ?? null,
    };
  }

  /** Re-reads what the engines say, for changes that come from them rather than from settings (a download). */
  refreshEngineStatus(): void {
    this.#deps.store.update((state) => {
      const described = this.#deps.engines.describe(state.settings);
      const engineStatus = sameStatus(described, state.engineStatus) ? state.engineStatus : described;
      const catalogue = this.#catalogue?.view(state.settings) ?? null;
      if (engineStatus === state.engineStatus && catalogue === state.catalogue) return state;
      return { ...state, engineStatus, catalogue };
    });
  }
}

function sameStatus(a: EngineStatus, b: EngineStatus): boolean {
  return (
    a.engine === b.engine &&
    a.label === b.label &&
    a.model === b.model &&
    a.available === b.available &&
    a.detail === b.detail
  );
}
