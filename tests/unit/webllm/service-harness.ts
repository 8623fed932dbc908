/** The local model service with every outside dependency faked: GPU probe, model list, disk, quota, GPU lock. */
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { vi } from 'vitest';
import type { ChatChunk, ChatRequest, EngineError, RetryNotice } from '../../../src/engines/types.js';
import type { LocalModelOption } from '../../../src/engines/webllm/catalog.js';
import type { GpuLockResult, HeldGpu } from '../../../src/engines/webllm/gpu-lock.js';
import { NO_WEBGPU_MESSAGE, type GpuAvailable, type GpuReport } from '../../../src/engines/webllm/gpu-probe.js';
import type { LoadOptions } from '../../../src/engines/webllm/local-engine.js';
import { LocalModelService } from '../../../src/engines/webllm/local-model-service.js';
import type { LocalEngineLike, LocalModelServiceDeps } from '../../../src/engines/webllm/local-model-deps.js';
import type { LocalModelState } from '../../../src/engines/webllm/local-model-state.js';
import { listCachedModels } from '../../../src/engines/webllm/model-cache.js';
import { parseProgress, type InitProgress, type LoadProgress } from '../../../src/engines/webllm/progress.js';
import { checkQuota } from '../../../src/engines/webllm/storage-quota.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';

export const MODELS = prebuiltAppConfig.model_list;
export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
export const Q4F16 = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC';
export const Q4F32 = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
export const LLAMA_1B = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
/** Settings as saved by default: the q4f16_1 build, which a GPU without shader-f16 cannot run. */
export const LOCAL: Settings = { ...DEFAULT_SETTINGS, engine: 'local' };

export function gpu(patch: Partial<GpuAvailable> = {}): GpuAvailable {
  return {
    available: true,
    adapter: { vendor: 'amd', architecture: 'rdna-2', description: 'AMD Radeon RX 6600', isFallbackAdapter: false },
    features: [],
    shaderF16: false,
    maxBufferSize: 2048 * MIB,
    maxStorageBufferBindingSize: 2048 * MIB,
    meetsLimits: true,
    software: false,
    message: 'WebGPU is ready on AMD Radeon RX 6600, without 16-bit float shaders.',
    ...patch,
  };
}

export const NO_F16_GPU = gpu();
export const NO_WEBGPU: GpuReport = { available: false, reason: 'no-webgpu', message: NO_WEBGPU_MESSAGE };

export interface LoadScript {
  progress?: InitProgress[];
  retry?: RetryNotice;
  /** `hang` waits until the load is cancelled; anything else but `ok` is thrown. */
  outcome: 'ok' | 'hang' | { error: unknown };
}

/** A LocalEngine stand-in whose loads follow a script and report progress the way LocalEngine does. */
export class ScriptedLocalEngine implements LocalEngineLike {
  readonly kind = 'local' as const;
  readonly loads: { modelId: string; signal: AbortSignal | undefined; storedBytes: number | undefined }[] = [];
  readonly unloadReasons: (EngineError | undefined)[] = [];
  readonly scripts: LoadScript[] = [];
  readonly replies: (ChatChunk | { error: unknown })[][] = [];
  unloadCalls = 0;
  private loaded: string | undefined;

  constructor(private readonly log: string[]) {}

  get model(): string {
    return this.loaded ?? '';
  }

  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }

  async load(modelId: string, { onProgress, onRetry, signal, storedBytes }: LoadOptions = {}): Promise<void> {
    this.log.push(`load ${modelId}`);
    this.loads.push({ modelId, signal, storedBytes });
    this.loaded = undefined;
    const script = this.scripts.shift() ?? { outcome: 'ok' };
    let previous: LoadProgress | undefined;
    for (const report of script.progress ?? []) {
      previous = parseProgress(report, previous);
      onProgress?.(previous);
    }
    if (script.retry) onRetry?.(script.retry);
    if (script.outcome === 'hang') {
      await new Promise<never>((_, reject) => {
        const abort = () => reject(new DOMException('Loading the model was cancelled.', 'AbortError'));
        if (signal?.aborted) abort();
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
    if (typeof script.outcome === 'object') throw script.outcome.error;
    this.loaded = modelId;
  }

  async unload(reason?: EngineError): Promise<void> {
    this.log.push('unload');
    this.unloadReasons.push(reason);
    this.unloadCalls += 1;
    this.loaded = undefined;
  }

  async *chat(_request: ChatRequest, _signal: AbortSignal): AsyncGenerator<ChatChunk> {
    for (const step of this.replies.shift() ?? []) {
      if ('error' in step) {
        this.loaded = undefined;
        throw step.error;
      }
      yield step;
    }
  }
}

/** One GPU lock shared with an imaginary other tab. */
export function fakeGpuLock(log: string[]) {
  let onStolen: (() => void) | undefined;
  const lock = {
    heldElsewhere: false,
    releases: 0,
    acquireGpu: vi.fn(async (options: { onStolen: () => void }): Promise<GpuLockResult> => {
      log.push('acquire gpu');
      if (lock.heldElsewhere) return { held: false };
      onStolen = options.onStolen;
      return { held: true, release: () => (lock.releases += 1) };
    }),
    takeOverGpu: vi.fn(async (options: { onStolen: () => void }): Promise<HeldGpu> => {
      log.push('take over gpu');
      lock.heldElsewhere = false;
      onStolen = options.onStolen;
      return { held: true, release: () => (lock.releases += 1) };
    }),
    /** Another tab chose "Use here". */
    stealFromThisTab: () => {
      lock.heldElsewhere = true;
      onStolen?.();
    },
  };
  return lock;
}

export function setup(
  options: {
    gpu?: GpuReport;
    onDisk?: string[];
    /** Models partly on disk, by id, with the weight bytes already there. */
    partial?: Record<string, number>;
    freeBytes?: number;
    engine?: LocalEngineLike;
  } = {},
) {
  const log: string[] = [];
  const disk = new Set(options.onDisk ?? []);
  const partial = new Map(Object.entries(options.partial ?? {}));
  const cacheApi = {
    hasModelInCache: async (id: string) => disk.has(id),
    deleteModelAllInfoInCache: async (id: string) => void disk.delete(id),
  };
  const scripted = new ScriptedLocalEngine(log);
  const lock = fakeGpuLock(log);
  const free = options.freeBytes ?? 100 * GIB;
  const deps = {
    probeGpu: vi.fn(async () => options.gpu ?? NO_F16_GPU),
    loadModelList: vi.fn(async () => MODELS),
    engine: options.engine ?? scripted,
    checkQuota: vi.fn((bytes: number) => checkQuota(bytes, { estimate: async () => ({ usage: 0, quota: free }) })),
    requestPersistence: vi.fn(async () => {
      log.push('persist');
      return true;
    }),
    acquireGpu: lock.acquireGpu,
    takeOverGpu: lock.takeOverGpu,
    isModelCached: vi.fn((id: string) => cacheApi.hasModelInCache(id)),
    listCachedModels: vi.fn((list: readonly LocalModelOption[]) => listCachedModels(list, cacheApi)),
    deleteModel: vi.fn(async (id: string) => {
      await cacheApi.deleteModelAllInfoInCache(id);
      return partial.delete(id) || true;
    }),
    listPartialDownloads: vi.fn(async (list: readonly LocalModelOption[]) =>
      list
        .filter((option) => partial.has(option.id))
        .map((option) => ({
          id: option.id,
          label: option.label,
          bytes: option.downloadBytes,
          storedBytes: partial.get(option.id) ?? 0,
        })),
    ),
    onLoadFailed: vi.fn(),
  } satisfies LocalModelServiceDeps;
  const service = new LocalModelService(deps);
  const states: LocalModelState[] = [];
  service.subscribe((state) => states.push(state));
  return { service, deps, engine: scripted, lock, log, disk, states };
}
