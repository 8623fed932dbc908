/**
 * The "This device" engine as the app sees it: which model to run here, whether it is on disk, the consent step
 * before a multi-gigabyte download, the download or load itself, the GPU shared with other tabs, and the loaded
 * engine handed to the chat controller. One observable state drives the settings panel and the engine status line.
 *
 * Nothing heavy happens at construction: the GPU probe and WebLLM's model list load on the first {@link
 * LocalModelService.prepare} (Settings opened, or the local engine chosen), and nothing is fetched from a model host
 * without consent: only {@link LocalModelService.confirmDownload}, or loading a model already on disk, starts a load.
 */

import type { ModelRecord } from '@mlc-ai/web-llm';
import type { LocalEngineAccess } from '../engine-resolver.js';
import type { EngineStatus } from '../../state/app-state.js';
import { DEFAULT_LOCAL_MODEL, type Settings } from '../../state/types.js';
import { EngineError } from '../types.js';
import type { ChatChunk, ChatEngine, ChatRequest, EngineErrorKind, RetryNotice } from '../types.js';
import { listLocalModels, loadPrebuiltModelList, resolveLocalModel, type LocalModelOption } from './catalog.js';
import { isBrokenModelLibrary, toEngineError } from './errors.js';
import { formatBytes, formatDuration } from './format.js';
import { acquireGpu, takeOverGpu, type GpuLockResult, type HeldGpu } from './gpu-lock.js';
import { probeGpu, type GpuReport } from './gpu-probe.js';
import { DeferredLocalEngine } from './deferred-local-engine.js';
import type { LoadOptions } from './local-engine.js';
import { deleteModel, deleteModelLibrary, isModelCached, listCachedModels, type CachedModel } from './model-cache.js';
import type { LoadProgress } from './progress.js';
import { checkQuota, requestPersistence, type QuotaCheck } from './storage-quota.js';

/** What the service needs of the local engine (`LocalEngine`, loaded on first use); a test passes a fake. */
export interface LocalEngineLike extends ChatEngine {
  readonly isLoaded: boolean;
  load(modelId: string, options?: LoadOptions): Promise<void>;
  unload(): Promise<void>;
}

export interface LocalModelServiceDeps {
  probeGpu: () => Promise<GpuReport>;
  /** WebLLM's `prebuiltAppConfig.model_list`, imported lazily. */
  loadModelList: () => Promise<readonly ModelRecord[]>;
  engine: LocalEngineLike;
  checkQuota: (bytesNeeded: number) => Promise<QuotaCheck>;
  requestPersistence: () => Promise<boolean>;
  acquireGpu: (options: { onStolen: () => void }) => Promise<GpuLockResult>;
  takeOverGpu: (options: { onStolen: () => void }) => Promise<HeldGpu>;
  isModelCached: (modelId: string) => Promise<boolean>;
  listCachedModels: (options: readonly LocalModelOption[]) => Promise<CachedModel[]>;
  deleteModel: (modelId: string) => Promise<boolean>;
  /**
   * Drops a model library the browser could not compile, so the next load fetches it again. Optional: Cache Storage
   * by default, and a fake engine never produces such a library.
   */
  deleteModelLibrary?: (modelId: string) => Promise<void>;
}

/** A model fully on disk: it loads without the network ("ready offline"). */
export interface CachedModelEntry extends CachedModel {
  /** e.g. "4.5 GB" */
  sizeText: string;
}

/**
 * Where the selected model stands. Every phase but `idle` names the model it is about, which is the selected one
 * except briefly while a selection changes.
 */
export type LocalModelPhase =
  /** Nothing under way: the panel offers "Download model" (or loading from disk, when the model is cached). */
  | { kind: 'idle' }
  /** The download is described and waits for "Start download"; nothing has been fetched. */
  | {
      kind: 'consent';
      modelId: string;
      /** e.g. "about 4.5 GB" */
      sizeText: string;
      /** What the browser lets the app still store, e.g. "120.3 GB"; `null` when the browser does not say. */
      freeText: string | null;
    }
  /** Downloading (or reading from disk) and putting the model on the GPU. */
  | {
      kind: 'loading';
      modelId: string;
      /** True when the model was on disk: nothing is downloaded. */
      fromDisk: boolean;
      /** The last progress report; `null` until WebLLM sends one (while the GPU and storage are being asked). */
      progress: LoadProgress | null;
      /** Said while an interrupted download waits to resume; `null` otherwise. */
      retryText: string | null;
    }
  /** Loaded on this GPU; replies can start at once. */
  | { kind: 'ready'; modelId: string }
  /** Another tab of this app holds the GPU; "Use here" takes it over. */
  | { kind: 'in-use-elsewhere'; modelId: string }
  /** The last action failed; `message` says what happened and what to do next. */
  | { kind: 'error'; modelId: string | null; error: EngineErrorKind; message: string };

export interface GpuSummary {
  /** `unavailable`: no model can run here; `slow`: a software renderer (works, far too slowly); `ok`: a real GPU. */
  level: 'unavailable' | 'slow' | 'ok';
  message: string;
}

export interface LocalModelState {
  /** What this device's WebGPU can do; `null` until the probe started by `prepare()` finishes. */
  gpu: GpuReport | null;
  /** The probe's verdict in one sentence, for the panel; `null` while probing. */
  gpuSummary: GpuSummary | null;
  /** WebLLM's model list: not asked for before `prepare()`, then loading, ready, or failed (see `phase`). */
  catalogue: 'idle' | 'loading' | 'ready' | 'failed';
  /** The models offered on this device, Mistral 7B first; those that cannot run here carry `disabledReason`. */
  options: LocalModelOption[];
  /**
   * The model "Download model" acts on: the saved choice when it can run here, else the best that can (the q4f32_1
   * build of Mistral 7B on a GPU without shader-f16). Empty before the catalogue loads, or when nothing can run.
   */
  selectedId: string;
  /** Models fully on this device, with their (estimated) sizes. */
  cached: CachedModelEntry[];
  /** What is happening to the selected model. */
  phase: LocalModelPhase;
  /** Whether the browser promised to keep the download; `null` until the first download asks. */
  storagePersisted: boolean | null;
  /** A one-off outcome (a cancelled download, a deleted model); cleared by the next change of phase. */
  notice: string | null;
  /** One line for a polite live region: it changes with the phase, not with every percent. */
  status: string;
}

export const DOWNLOAD_CANCELLED_NOTICE =
  'Download cancelled. The parts already downloaded are kept, so choosing Download model again resumes where it ' +
  'stopped.';
export const LOAD_CANCELLED_NOTICE = 'Loading cancelled. The model stays on this device.';

const IN_USE_MESSAGE = 'The model is in use in another tab.';
const IN_USE_ERROR =
  'The model is in use in another tab of this app. Open Settings and choose Use here to move it to this tab, or use ' +
  'the Hugging Face API.';
const CATALOGUE_FAILED =
  'The list of local models could not be loaded. Check your connection and reopen Settings, or use the Hugging Face ' +
  'API.';
const NOTHING_FITS = 'None of the local models can run on this GPU. Use the Hugging Face API instead.';
const LOAD_CANCELLED_ERROR =
  'Loading the model was cancelled. Open Settings and choose Download model to load it, or use the Hugging Face API.';
const DELETE_FAILED = 'The model could not be deleted from this device. Reload the page and try again.';

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
  #state: LocalModelState = {
    gpu: null,
    gpuSummary: null,
    catalogue: 'idle',
    options: [],
    selectedId: '',
    cached: [],
    phase: IDLE,
    storagePersisted: null,
    notice: null,
    status: '',
  };
  #modelList: readonly ModelRecord[] = [];
  #preferredId = DEFAULT_LOCAL_MODEL;
  #preparing: Promise<void> | undefined;
  #requesting: Promise<void> | undefined;
  #loading: Loading | undefined;
  #lock: HeldGpu | undefined;
  /** Models the user agreed to download in this session: "Use here" may resume them without asking again. */
  readonly #consented = new Set<string>();

  constructor(deps: Partial<LocalModelServiceDeps> = {}) {
    this.#deps = {
      probeGpu: () => probeGpu(),
      loadModelList: loadPrebuiltModelList,
      checkQuota: (bytes) => checkQuota(bytes),
      requestPersistence: () => requestPersistence(),
      acquireGpu,
      takeOverGpu,
      isModelCached: (modelId) => isModelCached(modelId),
      listCachedModels: (options) => listCachedModels(options),
      deleteModel: (modelId) => deleteModel(modelId),
      deleteModelLibrary: (modelId) => deleteModelLibrary(modelId),
      ...deps,
      engine: deps.engine ?? new DeferredLocalEngine(),
    };
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
    await this.#startLoad(phase.modelId, { fromDisk: cached, takeOver: true });
  }

  /** Removes a model from disk, unloading it first if it is the one in use. */
  async deleteModel(modelId: string): Promise<void> {
    const inUse = this.#loading?.modelId === modelId || (this.#engine.isLoaded && this.#engine.model === modelId);
    const { phase } = this.#state;
    if (inUse || (phase.kind !== 'idle' && phase.modelId === modelId)) this.#set({ phase: IDLE });
    if (inUse) await this.#unload();
    const label = this.#labelOf(modelId);
    try {
      await this.#deps.deleteModel(modelId);
    } catch (error) {
      this.#set({ phase: { kind: 'error', modelId, error: toEngineError(error).kind, message: DELETE_FAILED } });
      return;
    }
    await this.refreshCache();
    this.#set({ notice: `${label} was deleted from this device.` });
  }

  /** Re-reads which models are on disk. */
  async refreshCache(): Promise<void> {
    const { options } = this.#state;
    if (options.length === 0) return;
    let cached: CachedModel[];
    try {
      cached = await this.#deps.listCachedModels(options);
    } catch {
      // No Cache Storage here (an insecure origin, storage blocked): nothing can be on disk.
      cached = [];
    }
    this.#set({ cached: cached.map(withSizeText) });
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
    const status: EngineStatus = {
      engine: 'local',
      label: `This device · ${shortModelName(model)}`,
      model,
      available: true,
    };
    const { gpu } = this.#state;
    if (!gpu) return { ...status, detail: 'checking this device…' };
    if (!gpu.available) return { ...status, available: false, detail: 'no WebGPU in this browser' };
    if (!gpu.meetsLimits) return { ...status, available: false, detail: 'this GPU is not supported' };
    if (this.#state.catalogue === 'failed') return { ...status, available: false, detail: 'model list not loaded' };
    if (this.#state.catalogue === 'ready' && !option) {
      return { ...status, available: false, detail: 'no model fits this GPU' };
    }
    const [available, detail] = this.#readiness(model);
    const parts = [detail, gpu.software ? 'software GPU — very slow' : undefined].filter(Boolean);
    return { ...status, available, ...(parts.length > 0 ? { detail: parts.join(' · ') } : {}) };
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
      if (this.#state.selectedId === option.id) await this.#startLoad(option.id, { fromDisk: true });
      return;
    }
    const quota = await this.#deps.checkQuota(option.downloadBytes);
    if (this.#state.selectedId !== option.id) return;
    if (!quota.ok) {
      this.#set({ phase: { kind: 'error', modelId: option.id, error: 'quota', message: quota.message } });
      return;
    }
    this.#set({
      phase: {
        kind: 'consent',
        modelId: option.id,
        sizeText: `about ${formatBytes(option.downloadBytes)}`,
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
      const engineError = toEngineError(error);
      this.#set({ phase: { kind: 'error', modelId, error: engineError.kind, message: engineError.userMessage } });
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
    this.#lock = undefined;
    this.#set({ phase: { kind: 'in-use-elsewhere', modelId } });
    await this.#unload();
  }

  /** Stops any load, unloads the model and gives the GPU back; the caller has set the phase. */
  async #unload(): Promise<void> {
    this.#loading?.controller.abort();
    this.#loading = undefined;
    try {
      await this.#engine.unload();
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
      // A lost GPU device or a dead worker takes the model with it: the panel must offer to load it again.
      const { phase } = this.#state;
      if (!this.#engine.isLoaded && phase.kind === 'ready' && phase.modelId === modelId) {
        const engineError = toEngineError(error);
        this.#releaseGpu();
        this.#set({ phase: { kind: 'error', modelId, error: engineError.kind, message: engineError.userMessage } });
      }
      throw error;
    }
  }

  #whyNotLoaded(option: LocalModelOption): EngineError {
    const { phase } = this.#state;
    if (phase.kind === 'in-use-elsewhere') return new EngineError('model-in-use', IN_USE_ERROR);
    if (phase.kind === 'error') return new EngineError(phase.error, phase.message);
    if (phase.kind === 'idle') return new EngineError('model-not-loaded', LOAD_CANCELLED_ERROR);
    return notDownloaded(option);
  }

  /** Whether `modelId` can answer now, and a few words on where it stands (for the engine status line). */
  #readiness(modelId: string): [boolean, string | undefined] {
    const { phase, cached, catalogue } = this.#state;
    const about = phase.kind !== 'idle' && phase.modelId === modelId ? phase : IDLE;
    if (about.kind === 'loading') return [true, loadingDetail(about)];
    if (about.kind === 'in-use-elsewhere') return [false, 'in use in another tab'];
    if (about.kind === 'error') return [false, about.error === 'quota' ? 'not enough storage' : 'failed to load'];
    if (this.#isLoaded(modelId)) return [true, 'loaded'];
    if (cached.some((entry) => entry.id === modelId)) return [true, 'ready offline'];
    // Before the catalogue is read, whether the model is on disk is unknown.
    if (catalogue !== 'ready') return [true, undefined];
    return [false, 'not downloaded'];
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

/**
 * Whether the "This device" engine can be offered, for the engine choice in Settings. Unknown (not probed yet)
 * counts as available.
 */
export function localAvailability(state: LocalModelState): { available: boolean; reason: string } {
  const { gpu, catalogue, options } = state;
  if (gpu && (!gpu.available || !gpu.meetsLimits)) return { available: false, reason: gpu.message };
  if (catalogue === 'ready' && !options.some((option) => option.disabledReason === undefined)) {
    return { available: false, reason: NOTHING_FITS };
  }
  return { available: true, reason: '' };
}

/** "Mistral-7B-Instruct-v0.3-q4f16_1-MLC" → "Mistral 7B"; "Llama-3.2-1B-Instruct-q4f32_1-MLC" → "Llama 3.2 1B". */
export function shortModelName(modelId: string): string {
  return modelId
    .replace(/-MLC.*$/, '')
    .replace(/-q\d+f\d+(?:_\d+)?$/, '')
    .replace(/-Instruct.*$/i, '')
    .replace(/-/g, ' ');
}

function notDownloaded(option: LocalModelOption): EngineError {
  return new EngineError(
    'model-not-loaded',
    `The model is not on this device yet. Open Settings and choose Download model (about ${formatBytes(
      option.downloadBytes,
    )}), or switch to the Hugging Face API.`,
  );
}

function summarize(gpu: GpuReport): GpuSummary {
  if (!gpu.available || !gpu.meetsLimits) return { level: 'unavailable', message: gpu.message };
  return { level: gpu.software ? 'slow' : 'ok', message: gpu.message };
}

function withSizeText(model: CachedModel): CachedModelEntry {
  return { ...model, sizeText: formatBytes(model.bytes) };
}

function retryText(notice: RetryNotice): string {
  return (
    `${notice.reason} Retry ${notice.attempt} of ${notice.maxAttempts} in ` +
    `${formatDuration(notice.delayMs / 1000)}.`
  );
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function percent(progress: LoadProgress | null): string {
  return progress ? `${Math.floor(progress.fraction * 100)}%` : '';
}

function loadingDetail(phase: Extract<LocalModelPhase, { kind: 'loading' }>): string {
  const { progress } = phase;
  if (!progress) return 'starting…';
  switch (progress.phase) {
    case 'download':
      return `downloading ${percent(progress)}`;
    case 'shaders':
    case 'finishing':
      return `preparing the GPU ${percent(progress)}`;
    default:
      return `loading ${percent(progress)}`;
  }
}

function statusFor(state: LocalModelState, labelOf: (modelId: string) => string): string {
  const { phase } = state;
  switch (phase.kind) {
    case 'error':
      return phase.message;
    case 'consent':
      return (
        `${sentence(phase.sizeText)} to download` +
        (phase.freeText ? `; ${phase.freeText} free for this site. ` : '. ') +
        'Nothing is downloaded until you choose Start download.'
      );
    case 'loading':
      return loadingStatus(phase, labelOf(phase.modelId));
    case 'ready':
      return `${labelOf(phase.modelId)} is loaded and ready on this device.`;
    case 'in-use-elsewhere':
      return IN_USE_MESSAGE;
    case 'idle':
      break;
  }
  if (state.notice) return state.notice;
  if (state.catalogue === 'loading') return 'Checking this device and the models it can run…';
  if (!state.selectedId) return '';
  const label = labelOf(state.selectedId);
  return state.cached.some((entry) => entry.id === state.selectedId)
    ? `${label} is on this device, ready offline.`
    : `${label} is not downloaded yet.`;
}

function loadingStatus(phase: Extract<LocalModelPhase, { kind: 'loading' }>, label: string): string {
  if (phase.retryText) return phase.retryText;
  switch (phase.progress?.phase) {
    case 'cache':
      return `Loading ${label} onto the GPU…`;
    case 'shaders':
    case 'finishing':
      return `Preparing the GPU shaders for ${label}…`;
    default:
      return phase.fromDisk ? `Loading ${label} from this device…` : `Downloading ${label}…`;
  }
}
