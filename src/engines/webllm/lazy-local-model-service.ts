/**
 * The "This device" engine's service, loaded after first paint: the first screen draws only its engine line, which
 * before the first `prepare` depends on nothing the service has learned. Its code (the model list logic, WebLLM's
 * error translation, the storage checks) then stays out of the first screen's JavaScript. Every call loads it; a
 * failed download of it is an alert (or the reply's error), and the next call tries again.
 */
import { type ChatEngine, EngineError, type EngineStatus } from '../types.js';
import type { Settings } from '../../domain/settings.js';
import type { LocalEngineAccess } from '../engine-resolver.js';
import type { LocalModelService } from './local-model-service.js';
import { describeLocalEngine, INITIAL_LOCAL_MODEL_STATE, type LocalModelState } from './local-model-state.js';

export const LOCAL_SERVICE_LOAD_FAILED =
  'The on-device engine could not be loaded. Check your connection, then reload the page.';

export interface LazyLocalModelServiceOptions {
  /** A load of the model (or of this service) started outside a reply failed: the app raises an alert. */
  onLoadFailed: (message: string) => void;
  /** Builds the real service; a test passes its own. */
  load?: (onLoadFailed: (message: string) => void) => Promise<LocalModelService>;
}

const loadService: NonNullable<LazyLocalModelServiceOptions['load']> = async (onLoadFailed) => {
  const { LocalModelService } = await import('./local-model-service.js');
  return new LocalModelService({ onLoadFailed });
};

export class LazyLocalModelService implements LocalEngineAccess {
  readonly #onLoadFailed: (message: string) => void;
  readonly #load: NonNullable<LazyLocalModelServiceOptions['load']>;
  readonly #listeners = new Set<(state: LocalModelState) => void>();
  #service: LocalModelService | undefined;
  #loading: Promise<LocalModelService> | undefined;

  constructor({ onLoadFailed, load = loadService }: LazyLocalModelServiceOptions) {
    this.#onLoadFailed = onLoadFailed;
    this.#load = load;
  }

  getState(): LocalModelState {
    return this.#service?.getState() ?? INITIAL_LOCAL_MODEL_STATE;
  }

  /** Calls `listener` after every change of the service's state; returns the unsubscribe function. */
  subscribe(listener: (state: LocalModelState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What the service itself says before its first `prepare`: the device is still being checked. */
  describe(settings: Settings): EngineStatus {
    if (this.#service) return this.#service.describe(settings);
    return describeLocalEngine(INITIAL_LOCAL_MODEL_STATE, { model: settings.localModel, known: false, loaded: false });
  }

  async engine(settings: Settings): Promise<ChatEngine> {
    let service: LocalModelService;
    try {
      service = await this.#loaded();
    } catch {
      throw new EngineError('network', LOCAL_SERVICE_LOAD_FAILED);
    }
    return service.engine(settings);
  }

  prepare(preferredModelId?: string): Promise<void> {
    return this.#whenLoaded((service) => service.prepare(preferredModelId));
  }

  selectModel(modelId: string): Promise<void> {
    return this.#whenLoaded((service) => service.selectModel(modelId));
  }

  requestDownload(): Promise<void> {
    return this.#whenLoaded((service) => service.requestDownload());
  }

  confirmDownload(): Promise<void> {
    return this.#whenLoaded((service) => service.confirmDownload());
  }

  cancelDownload(): Promise<void> {
    return this.#whenLoaded((service) => service.cancelDownload());
  }

  useHere(): Promise<void> {
    return this.#whenLoaded((service) => service.useHere());
  }

  deleteModel(modelId: string): Promise<void> {
    return this.#whenLoaded((service) => service.deleteModel(modelId));
  }

  /** Runs `work` on the service; a service that cannot be loaded is said once per attempt, never thrown. */
  async #whenLoaded(work: (service: LocalModelService) => Promise<void>): Promise<void> {
    let service: LocalModelService;
    try {
      service = await this.#loaded();
    } catch {
      this.#onLoadFailed(LOCAL_SERVICE_LOAD_FAILED);
      return;
    }
    await work(service);
  }

  #loaded(): Promise<LocalModelService> {
    this.#loading ??= this.#load(this.#onLoadFailed).then(
      (service) => {
        this.#service = service;
        service.subscribe((state) => {
          for (const listener of this.#listeners) listener(state);
        });
        return service;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }
}
