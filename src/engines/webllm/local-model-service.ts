/**
 * The "This device" engine as the app sees it: which model to run here, whether it is on disk, the consent step
 * before a multi-gigabyte download, the download or load itself, the GPU shared with other tabs, and the loaded
 * engine handed to the chat session. One observable state drives the settings panel and the engine status line.
 *
 * Nothing heavy happens at construction: the GPU probe and WebLLM's model list load on the first {@link
 * LocalModelService.prepare} (Settings opened, or the local engine chosen), and nothing is fetched from a model host
 * without consent: only {@link LocalModelService.confirmDownload}, or loading a model already on disk, starts a load.
 */

import type { ModelRecord } from '@mlc-ai/web-llm';
import {
  type EngineStatus,
  EngineError,
  type ChatChunk,
  type ChatEngine,
  type ChatRequest,
  type EngineErrorKind,
} from '../types.js';
import { DEFAULT_LOCAL_MODEL, type Settings } from '../../domain/settings.js';
import type { LocalEngineAccess } from '../engine-resolver.js';
import { listLocalModels, resolveLocalModel, smallerModelThan, type LocalModelOption } from './catalog.js';
import { isBrokenModelLibrary, suggestSmallerModel, toEngineError } from './errors.js';
import { formatBytes } from './format.js';
import type { HeldGpu } from './gpu-lock.js';
import { withBrowserDefaults, type LocalEngineLike, type LocalModelServiceDeps } from './local-model-deps.js';
import {
  CATALOGUE_FAILED,
  DELETE_FAILED,
  describeLocalEngine,
  DOWNLOAD_CANCELLED_NOTICE,
  IN_USE_ERROR,
  INITIAL_LOCAL_MODEL_STATE,
  LOAD_CANCELLED_ERROR,
  LOAD_CANCELLED_NOTICE,
  notDownloaded,
  NOTHING_FITS,
  partialSizeText,
  retryText,
  statusFor,
  summarize,
  TAKEN_OVER,
  withSizeText,
  type LocalModelPhase,
  type LocalModelState,
} from './local-model-state.js';
import type { LoadProgress } from './progress.js';

const IDLE: LocalModelPhase = { kind: 'idle' };

interface Loading {
  modelId: string;
  controller: AbortController;
  promise: Promise<void>;
}

interface LoadPlan {
  fromDisk: boolean;
  /** "Use here": take the GPU from the tab that holds it instead of asking politely. */
  takeOver?: boolean;
  /** Runs after the phase turns to loading and before the GPU is taken (asking for persistent storage). */
  before?: () => Promise<void>;
  /** Started from Settings: a failure is also raised as an alert, which outlives the dialog. */
  fromSettings?: boolean;
}

/**
 * The local model's lifecycle. The state is replaced, never mutated, on every change; `subscribe` hears each one.
 *
 * The GPU is held (a Web Lock, see gpu-lock.ts) from the start of a load until the model is unloaded, so two tabs
 * never load a 4.5 GB model at once; a tab that takes it over makes this one unload and offer "Use here".
 */
export class LocalModelService implements LocalEngineAccess {
  readonly #deps: Required<LocalModelServiceDeps>;
  readonly #engine: LocalEngineLike;
  readonly #listeners = new Set<(state: LocalModelState) => void>();
  #state: LocalModelState = INITIAL_LOCAL_MODEL_STATE;
  #modelList: readonly ModelRecord[] = [];
  #preferredId = DEFAULT_LOCAL_MODEL;
  #preparing: Promise<void> | undefined;
  #requesting: Promise<void> | undefined;
  #loading: Loading | undefined;
  #lock: HeldGpu | undefined;
  /** Models the user agreed to download in this session: "Use here" may resume them without asking again. */
  readonly #consented = new Set<string>();

  constructor(deps: Partial<LocalModelServiceDeps> = {}) {
    this.#deps = withBrowserDefaults(deps);
    this.#engine = this.#deps.engine;
  }

  getState(): LocalModelState {
    return this.#state;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: LocalModelState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Probes the GPU, loads WebLLM's model list (a lazy import of the package) and checks which models are on disk.
   * Runs once; calling it again is cheap, and retries a model list that failed to load. `preferredModelId` is the
   * saved setting: it becomes the selection when this device can run it.
   */
  async prepare(preferredModelId?: string): Promise<void> {
    if (preferredModelId !== undefined && this.#state.catalogue !== 'ready') this.#preferredId = preferredModelId;
    this.#preparing ??= this.#prepareOnce();
    await this.#preparing;
    if (preferredModelId === undefined) return;
    const preferred = this.#resolve(preferredModelId);
    if (preferred && preferred.id !== this.#state.selectedId) await this.selectModel(preferred.id);
  }

  /** Chooses the model to run here; a different model that is loaded or loading is unloaded first. */
  async selectModel(modelId: string): Promise<void> {
    const option = this.#state.options.find((candidate) => candidate.id === modelId);
    if (!option || option.disabledReason !== undefined || modelId === this.#state.selectedId) return;
    const busyWithOther = this.#loading !== undefined || (this.#engine.isLoaded && this.#engine.model !== modelId);
    this.#set({ selectedId: modelId, phase: IDLE });
    if (busyWithOther) await this.#unload();
  }

  /**
   * "Download model": a model on disk loads at once (no network); otherwise the storage is checked and the consent
   * step shown, with nothing fetched. Too little space ends in an error that says so.
   */
  requestDownload(): Promise<void> {
    // A double click must not start two checks, and then two loads racing for the GPU lock.
    this.#requesting ??= this.#requestDownload().finally(() => {
      this.#requesting = undefined;
    });
    return this.#requesting;
  }

  /** "Start download": asks for persistent storage, takes the GPU, then downloads and loads the model. */
  async confirmDownload(): Promise<void> {
    const { phase } = this.#state;
    if (phase.kind !== 'consent') return;
    this.#consented.add(phase.modelId);
    await this.#startLoad(phase.modelId, {
      fromDisk: false,
      fromSettings: true,
      before: async () => {
        const persisted = await this.#deps.requestPersistence();
        this.#set({ storagePersisted: persisted });
      },
    });
  }

  /**
   * "Cancel": leaves the consent step, or stops a download or load. Downloaded shards stay in Cache Storage, so the
   * next download resumes.
   */
  async cancelDownload(): Promise<void> {
    const { phase } = this.#state;
    if (phase.kind === 'consent') {
      this.#set({ phase: IDLE });
      return;
    }
    if (phase.kind !== 'loading') return;
    this.#set({ phase: IDLE, notice: phase.fromDisk ? LOAD_CANCELLED_NOTICE : DOWNLOAD_CANCELLED_NOTICE });
    await this.#unload();
  }

  /** "Use here": takes the GPU from the other tab (which unloads) and loads the model in this one. */
  async useHere(): Promise<void> {
    const { phase } = this.#state;
    if (phase.kind !== 'in-use-elsewhere') return;
    const cached = await this.#isCached(phase.modelId);
    if (!cached && !this.#consented.has(phase.modelId)) {
      // Another tab may have been downloading it: this tab has no consent to fetch anything yet.
      this.#set({ phase: IDLE });
      await this.requestDownload();
      return;
    }
    await this.#startLoad(phase.modelId, { fromDisk: cached, takeOver: true, fromSettings: true });
  }

  /** Removes a model from disk, complete or partial, unloading it first if it is the one in use. */
  async deleteModel(modelId: string): Promise<void> {
    const inUse = this.#loading?.modelId === modelId || (this.#engine.isLoaded && this.#engine.model === modelId);
    const { phase } = this.#state;
    if (inUse || (phase.kind !== 'idle' && phase.modelId === modelId)) this.#set({ phase: IDLE });
    if (inUse) await this.#unload();
    const label = this.#labelOf(modelId);
    const partial = this.#state.partial.some((entry) => entry.id === modelId);
    try {
      await this.#deps.deleteModel(modelId);
    } catch (error) {
      this.#setError(modelId, toEngineError(error).kind, DELETE_FAILED);
      return;
    }
    await this.refreshCache();
    this.#set({
      notice: partial ? `The partial download of ${label} was deleted.` : `${label} was deleted from this device.`,
    });
  }

  /** Re-reads which models are on disk. */
  async refreshCache(): Promise<void> {
    const { options } = this.#state;
    if (options.length === 0) return;
    // No Cache Storage here (an insecure origin, storage blocked): nothing can be on disk.
    const nothing = (): [] => [];
    const [cached, partial] = await Promise.all([
      this.#deps.listCachedModels(options).catch(nothing),
      this.#deps.listPartialDownloads(options).catch(nothing),
    ]);
    this.#set({
      cached: cached.map(withSizeText),
      partial: partial.map((entry) => ({ ...entry, sizeText: partialSizeText(entry) })),
    });
  }

  /**
   * The loaded engine for these settings. A model on disk is loaded first (its progress shows in the state); a model
   * not yet downloaded is never fetched from here: the error says how to download it.
   */
  async engine(settings: Settings): Promise<ChatEngine> {
    await this.prepare();
    const { gpu, catalogue } = this.#state;
    if (gpu && (!gpu.available || !gpu.meetsLimits)) throw new EngineError('webgpu-unavailable', gpu.message);
    if (catalogue !== 'ready') throw new EngineError('network', CATALOGUE_FAILED);
    const option = this.#resolve(settings.localModel);
    if (!option) throw new EngineError('model-unsupported', NOTHING_FITS);
    if (option.id !== this.#state.selectedId) await this.selectModel(option.id);

    if (!this.#isLoaded(option.id)) {
      if (this.#loading?.modelId === option.id) await this.#loading.promise;
      else if (await this.#isCached(option.id)) await this.#startLoad(option.id, { fromDisk: true });
      else throw notDownloaded(option);
    }
    if (this.#isLoaded(option.id)) return this.#chatEngine(option.id);
    throw this.#whyNotLoaded(option);
  }

  describe(settings: Settings): EngineStatus {
    const option = this.#resolve(settings.localModel);
    const model = option?.id ?? settings.localModel;
    return describeLocalEngine(this.#state, { model, known: option !== undefined, loaded: this.#isLoaded(model) });
  }

  async #prepareOnce(): Promise<void> {
    this.#set({ catalogue: 'loading', phase: IDLE });
    const probing = this.#state.gpu
      ? Promise.resolve(this.#state.gpu)
      : this.#deps.probeGpu().then((gpu) => {
          this.#set({ gpu, gpuSummary: summarize(gpu) });
          return gpu;
        });
    let modelList: readonly ModelRecord[];
    try {
      modelList = await this.#deps.loadModelList();
    } catch {
      await probing;
      this.#preparing = undefined;
      this.#set({
        catalogue: 'failed',
        phase: { kind: 'error', modelId: null, error: 'network', message: CATALOGUE_FAILED },
      });
      return;
    }
    const gpu = await probing;
    this.#modelList = modelList;
    const selected = resolveLocalModel(gpu, modelList, this.#preferredId);
    this.#set({ catalogue: 'ready', options: listLocalModels(gpu, modelList), selectedId: selected?.id ?? '' });
    await this.refreshCache();
  }

  async #requestDownload(): Promise<void> {
    await this.prepare();
    const option = this.#selected();
    const { phase } = this.#state;
    if (!option || phase.kind === 'consent') return;
    if ((phase.kind === 'loading' || phase.kind === 'ready') && phase.modelId === option.id) return;
    if (await this.#isCached(option.id)) {
      if (this.#state.selectedId === option.id)
        await this.#startLoad(option.id, { fromDisk: true, fromSettings: true });
      return;
    }
    // What an interrupted download left is not fetched again.
    await this.refreshCache();
    const stored = this.#storedBytes(option.id);
    const quota = await this.#deps.checkQuota(Math.max(0, option.downloadBytes - stored));
    if (this.#state.selectedId !== option.id) return;
    if (!quota.ok) {
      this.#setError(option.id, 'quota', quota.message);
      return;
    }
    this.#set({
      phase: {
        kind: 'consent',
        modelId: option.id,
        sizeText:
          stored > 0
            ? `about ${formatBytes(option.downloadBytes - stored)} left of ${formatBytes(option.downloadBytes)}`
            : `about ${formatBytes(option.downloadBytes)}`,
        freeText: quota.free === undefined ? null : formatBytes(quota.free),
      },
    });
  }

  /** Starts a load that replaces any other; resolves when it settles, whatever the outcome (see the state). */
  #startLoad(modelId: string, plan: LoadPlan): Promise<void> {
    this.#loading?.controller.abort();
    const controller = new AbortController();
    this.#set({ phase: { kind: 'loading', modelId, fromDisk: plan.fromDisk, progress: null, retryText: null } });
    const promise = this.#runLoad(modelId, controller.signal, plan).finally(() => {
      if (this.#loading?.controller === controller) this.#loading = undefined;
    });
    this.#loading = { modelId, controller, promise };
    return promise;
  }

  async #runLoad(modelId: string, signal: AbortSignal, plan: LoadPlan): Promise<void> {
    // Whoever aborts a load (cancel, another selection, another tab) sets the state it leaves behind.
    try {
      await plan.before?.();
      if (signal.aborted) return;
      if (!this.#lock) {
        const lock = await this.#takeGpu(plan.takeOver ?? false);
        if (signal.aborted) {
          lock?.release();
          return;
        }
        if (!lock) {
          this.#set({ phase: { kind: 'in-use-elsewhere', modelId } });
          return;
        }
        this.#lock = lock;
      }
      await this.#engine.load(modelId, {
        signal,
        storedBytes: this.#storedBytes(modelId),
        onProgress: (progress) => {
          if (!signal.aborted) this.#updateLoading(modelId, { progress, retryText: null });
        },
        onRetry: (notice) => {
          if (!signal.aborted) this.#updateLoading(modelId, { retryText: retryText(notice) });
        },
      });
      if (signal.aborted) return;
      this.#set({ phase: { kind: 'ready', modelId } });
      if (!this.#state.cached.some((entry) => entry.id === modelId)) await this.refreshCache();
    } catch (error) {
      if (signal.aborted) return;
      this.#releaseGpu();
      // WebLLM reads its cached library back on every load: one it cannot compile would make trying again useless.
      if (isBrokenModelLibrary(error)) await this.#deps.deleteModelLibrary(modelId).catch(() => undefined);
      const engineError = this.#explain(error, modelId);
      this.#setError(modelId, engineError.kind, engineError.userMessage);
      if (plan.fromSettings) this.#deps.onLoadFailed(engineError.userMessage);
      await this.refreshCache();
    }
  }

  async #takeGpu(takeOver: boolean): Promise<HeldGpu | undefined> {
    let held: HeldGpu | undefined;
    const onStolen = (): void => {
      if (held && this.#lock === held) void this.#onStolen();
    };
    const result = takeOver ? await this.#deps.takeOverGpu({ onStolen }) : await this.#deps.acquireGpu({ onStolen });
    if (result.held) held = result;
    return held;
  }

  async #onStolen(): Promise<void> {
    const modelId = this.#loading?.modelId ?? (this.#engine.isLoaded ? this.#engine.model : this.#state.selectedId);
    const stolen = this.#lock;
    this.#lock = undefined;
    this.#set({ phase: { kind: 'in-use-elsewhere', modelId } });
    try {
      await this.#unload(new EngineError('model-in-use', TAKEN_OVER));
    } finally {
      // The worker has ended and its GPU memory is free: the tab that took over may load now.
      stolen?.release();
    }
  }

  /** Stops any load, unloads the model and gives the GPU back; the caller has set the phase. */
  async #unload(reason?: EngineError): Promise<void> {
    this.#loading?.controller.abort();
    this.#loading = undefined;
    try {
      await this.#engine.unload(reason);
    } finally {
      this.#releaseGpu();
    }
  }

  #releaseGpu(): void {
    this.#lock?.release();
    this.#lock = undefined;
  }

  #updateLoading(modelId: string, patch: { progress?: LoadProgress; retryText: string | null }): void {
    const { phase } = this.#state;
    if (phase.kind === 'loading' && phase.modelId === modelId) this.#set({ phase: { ...phase, ...patch } });
  }

  #chatEngine(modelId: string): ChatEngine {
    return { kind: 'local', model: modelId, chat: (request, signal) => this.#chat(modelId, request, signal) };
  }

  async *#chat(modelId: string, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    try {
      yield* this.#engine.chat(request, signal);
    } catch (error) {
      const engineError = this.#explain(error, modelId);
      // A lost GPU device or a dead worker takes the model with it: the panel must offer to load it again.
      const { phase } = this.#state;
      if (!this.#engine.isLoaded && phase.kind === 'ready' && phase.modelId === modelId) {
        this.#releaseGpu();
        this.#setError(modelId, engineError.kind, engineError.userMessage);
      }
      throw engineError;
    }
  }

  #whyNotLoaded(option: LocalModelOption): EngineError {
    const { phase } = this.#state;
    if (phase.kind === 'in-use-elsewhere') return new EngineError('model-in-use', IN_USE_ERROR);
    if (phase.kind === 'error') return new EngineError(phase.error, phase.message);
    if (phase.kind === 'idle') return new EngineError('model-not-loaded', LOAD_CANCELLED_ERROR);
    return notDownloaded(option);
  }

  /** The engine's error, naming a smaller model that fits this GPU where that is the way out. */
  #explain(error: unknown, modelId: string): EngineError {
    return suggestSmallerModel(toEngineError(error), smallerModelThan(this.#state.options, modelId)?.label);
  }

  #setError(modelId: string, error: EngineErrorKind, message: string): void {
    this.#set({ phase: { kind: 'error', modelId, error, message } });
  }

  #storedBytes(modelId: string): number {
    return this.#state.partial.find((entry) => entry.id === modelId)?.storedBytes ?? 0;
  }

  #isLoaded(modelId: string): boolean {
    return this.#engine.isLoaded && this.#engine.model === modelId;
  }

  async #isCached(modelId: string): Promise<boolean> {
    try {
      return await this.#deps.isModelCached(modelId);
    } catch {
      // Unknown counts as not on disk: the consent step then asks before anything is fetched.
      return false;
    }
  }

  #resolve(preferredId: string): LocalModelOption | undefined {
    const { gpu, catalogue } = this.#state;
    if (!gpu || catalogue !== 'ready') return undefined;
    return resolveLocalModel(gpu, this.#modelList, preferredId);
  }

  #selected(): LocalModelOption | undefined {
    return this.#state.options.find(
      (option) => option.id === this.#state.selectedId && option.disabledReason === undefined,
    );
  }

  #labelOf(modelId: string): string {
    return this.#state.options.find((option) => option.id === modelId)?.label ?? modelId;
  }

  #set(patch: Partial<Omit<LocalModelState, 'status'>>): void {
    const next = { ...this.#state, ...patch };
    // A notice reports the outcome of one action; the next phase speaks for itself.
    if (patch.phase && patch.phase !== this.#state.phase && !('notice' in patch)) next.notice = null;
    next.status = statusFor(next, (id) => this.#labelOf(id));
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }
}
