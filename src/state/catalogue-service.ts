/**
 * The hosted model catalogue as the app uses it: which models the provider chosen serves now, looked up when
 * Settings opens (at most hourly per list), kept when a look-up fails, and asked again when a reply fails because
 * its model is not served. Never used in local mode: a device running the model itself makes no request for it.
 *
 * The code that fetches and parses catalogues is not part of the first screen: it loads on the first look-up.
 */
import type { Catalogue, CatalogueModel, ModelResolution } from '../domain/catalogue.js';
import { chosenModel, credentialFor, endpointOrigin, splitSuffix, type CredentialInput } from '../domain/providers.js';
import type { CatalogueView } from './app-state.js';
import type { Settings } from '../domain/settings.js';

/** What one look-up gives: the freshest list there is, whether it came from the server just now, and why not. */
export interface CatalogueLookup {
  catalogue?: Catalogue;
  fresh: boolean;
  /** One or two sentences for the user when the server could not be asked or its answer was unusable. */
  error?: string;
}

/** The catalogue code, loaded on first use. */
export interface CatalogueAccess {
  /** The router's `/v1/models`, else the Hub API, else the cached list. No token is sent. */
  loadHuggingFace(): Promise<CatalogueLookup>;
  /** `GET {endpoint}/models` with that endpoint's own credential, else the cached list for its origin. */
  loadEndpoint(endpointUrl: string, credential: string | undefined): Promise<CatalogueLookup>;
  isStale(catalogue: Catalogue, now: number): boolean;
  resolve(catalogue: Catalogue | undefined, typed: string): ModelResolution;
  closestLive(models: readonly CatalogueModel[], preferredId: string): CatalogueModel | undefined;
}

/** Whose list: the Hugging Face router's, or an endpoint's by origin. */
type ListKey = 'huggingface' | `endpoint:${string}`;

export interface CatalogueServiceState {
  /** The list the state is about; null before the first look-up. */
  key: ListKey | null;
  catalogue?: Catalogue;
  fresh: boolean;
  loading: boolean;
  error?: string;
}

export interface CatalogueServiceDeps {
  loadAccess: () => Promise<CatalogueAccess>;
  now?: () => number;
  /** Formats the date of a cached list; defaults to the browser's locale, e.g. "1 Dec 2026, 21:00". */
  formatDate?: (ms: number) => string;
}

export const CATALOGUE_CODE_UNAVAILABLE =
  'The list of models could not be loaded, so it cannot be checked now. You can still type a model id.';

const UNKNOWN: ModelResolution = { kind: 'unknown' };

function listKeyOf(settings: Settings): ListKey | null {
  if (settings.endpointUrl.trim() === '') return 'huggingface';
  const origin = endpointOrigin(settings.endpointUrl);
  return origin === undefined ? null : `endpoint:${origin}`;
}

function defaultFormatDate(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export class CatalogueService {
  readonly #loadAccess: () => Promise<CatalogueAccess>;
  readonly #now: () => number;
  readonly #formatDate: (ms: number) => string;
  readonly #listeners = new Set<(state: CatalogueServiceState) => void>();
  #access: CatalogueAccess | undefined;
  #accessLoading: Promise<CatalogueAccess> | undefined;
  readonly #inFlight = new Map<ListKey, Promise<void>>();
  #state: CatalogueServiceState = { key: null, fresh: false, loading: false };
  #view: { state: CatalogueServiceState; key: ListKey | null; model: string; view: CatalogueView } | undefined;

  constructor(deps: CatalogueServiceDeps) {
    this.#loadAccess = deps.loadAccess;
    this.#now = deps.now ?? Date.now;
    this.#formatDate = deps.formatDate ?? defaultFormatDate;
  }

  getState(): CatalogueServiceState {
    return this.#state;
  }

  subscribe(listener: (state: CatalogueServiceState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Looks up the list for the provider these settings name, unless a fresh one under an hour old is at hand
   * (`force`: in any case). Does nothing in local mode, or while the Endpoint URL is not a usable address.
   */
  refresh(settings: Settings, options: { force?: boolean } = {}): Promise<void> {
    if (settings.engine !== 'hosted') return Promise.resolve();
    const key = listKeyOf(settings);
    if (key === null) return Promise.resolve();
    const current = this.#state;
    const upToDate =
      current.key === key &&
      current.fresh &&
      current.catalogue !== undefined &&
      this.#access !== undefined &&
      !this.#access.isStale(current.catalogue, this.#now());
    if (upToDate && !options.force) return Promise.resolve();
    const running = this.#inFlight.get(key);
    if (running) return running;
    const lookup = this.#lookUp(key, settings).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  /** Whether the model these settings choose is served; `unknown` while no list is known for their provider. */
  resolution(settings: Settings): ModelResolution {
    return this.view(settings).resolution;
  }

  /** The catalogue as Settings shows it for these settings (the same object while nothing it shows changed). */
  view(settings: Settings): CatalogueView {
    const state = this.#state;
    const key = listKeyOf(settings);
    const model = chosenModel(settings);
    const cached = this.#view;
    if (cached && cached.state === state && cached.key === key && cached.model === model) return cached.view;
    const mine = state.key === key && key !== null;
    const catalogue = mine ? state.catalogue : undefined;
    const view: CatalogueView = {
      models: catalogue?.models ?? [],
      loading: mine && state.loading,
      resolution: this.#access && catalogue ? this.#access.resolve(catalogue, model) : UNKNOWN,
    };
    if (catalogue && mine && !state.fresh) view.asOf = `Models as of ${this.#formatDate(catalogue.fetchedAt)}`;
    if (mine && state.error) view.error = state.error;
    this.#view = { state, key, model, view };
    return view;
  }

  /**
   * A live model to offer instead of `failedModel`, which the server just refused as not served: the list is asked
   * again first (the one at hand said otherwise, or there was none), and the refused model is never the answer.
   */
  async alternativeTo(settings: Settings, failedModel: string): Promise<string | undefined> {
    await this.refresh(settings, { force: true });
    const catalogue = this.#state.key === listKeyOf(settings) ? this.#state.catalogue : undefined;
    if (!this.#access || !catalogue) return undefined;
    const refused = splitSuffix(failedModel).id;
    const others = catalogue.models.filter((model) => model.id !== refused);
    return this.#access.closestLive(others, refused)?.id;
  }

  async #lookUp(key: ListKey, settings: Settings): Promise<void> {
    const previous = this.#state.key === key ? this.#state : undefined;
    this.#set({ key, catalogue: previous?.catalogue, fresh: previous?.fresh ?? false, loading: true });
    let outcome: CatalogueLookup;
    try {
      const access = await this.#accessCode();
      outcome =
        key === 'huggingface'
          ? await access.loadHuggingFace()
          : await access.loadEndpoint(settings.endpointUrl, this.#credential(settings));
    } catch {
      outcome = { fresh: false, error: CATALOGUE_CODE_UNAVAILABLE };
    }
    // The provider changed meanwhile: this answer is about a list no longer shown.
    if (this.#state.key !== key) return;
    const catalogue = outcome.catalogue ?? previous?.catalogue;
    this.#set({
      key,
      catalogue,
      // A failed look-up leaves the last list in use, as a list of some earlier date.
      fresh: outcome.catalogue !== undefined && outcome.fresh,
      loading: false,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
  }

  /** The one credential the endpoint's `/models` may get: the same one its chat requests get. */
  #credential(settings: CredentialInput & { endpointUrl: string }): string | undefined {
    const origin = endpointOrigin(settings.endpointUrl);
    return origin === undefined ? undefined : credentialFor(new URL(origin), settings);
  }

  #accessCode(): Promise<CatalogueAccess> {
    this.#accessLoading ??= this.#loadAccess().then(
      (access) => (this.#access = access),
      (error: unknown) => {
        this.#accessLoading = undefined;
        throw error;
      },
    );
    return this.#accessLoading;
  }

  #set(state: CatalogueServiceState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}
