/**
 * What the local model service needs from outside (the GPU, WebLLM's model list, Cache Storage, the storage quota,
 * the GPU lock, the engine), and the browser's own implementations of each, which a test replaces with fakes.
 */

import type { ModelRecord } from '@mlc-ai/web-llm';
import type { ChatEngine, EngineError } from '../types.js';
import { loadPrebuiltModelList, type LocalModelOption } from './catalog.js';
import { DeferredLocalEngine } from './deferred-local-engine.js';
import type { GpuLockResult, HeldGpu } from './gpu-lock.js';
import type { GpuReport } from './gpu-probe.js';
import type { LoadOptions } from './local-engine.js';
import type { CachedModel, PartialDownload } from './model-cache.js';
import { checkQuota, requestPersistence, type QuotaCheck } from './storage-quota.js';

/** What the service needs of the local engine (`LocalEngine`, loaded on first use); a test passes a fake. */
export interface LocalEngineLike extends ChatEngine {
  readonly isLoaded: boolean;
  load(modelId: string, options?: LoadOptions): Promise<void>;
  /** A reply still streaming fails with `reason` when one is given, else ends as stopped. */
  unload(reason?: EngineError): Promise<void>;
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
  /** Removes everything stored of a model, complete or partial. */
  deleteModel: (modelId: string) => Promise<boolean>;
  /** Models with files on disk that cannot load from there (an interrupted download, a damaged file). */
  listPartialDownloads: (options: readonly LocalModelOption[]) => Promise<PartialDownload[]>;
  /**
   * A load started from Settings failed (downloads go on after Settings is closed); loads started by a reply report
   * through the reply. Optional: the app raises an alert.
   */
  onLoadFailed?: (message: string) => void;
  /**
   * Drops a model library the browser could not compile, so the next load fetches it again. Optional: Cache Storage
   * by default, and a fake engine never produces such a library.
   */
  deleteModelLibrary?: (modelId: string) => Promise<void>;
}

/**
 * The GPU probe, the GPU lock and Cache Storage are first needed when Settings opens or the local engine starts, so
 * they load then, not with the first screen.
 */
function modelCache(): Promise<typeof import('./model-cache.js')> {
  return import('./model-cache.js');
}

/** `deps` with the browser's implementations for whatever a caller (a test) leaves out. */
export function withBrowserDefaults(deps: Partial<LocalModelServiceDeps>): Required<LocalModelServiceDeps> {
  return {
    probeGpu: async () => (await import('./gpu-probe.js')).probeGpu(),
    loadModelList: loadPrebuiltModelList,
    checkQuota: (bytes) => checkQuota(bytes),
    requestPersistence: () => requestPersistence(),
    acquireGpu: async (options) => (await import('./gpu-lock.js')).acquireGpu(options),
    takeOverGpu: async (options) => (await import('./gpu-lock.js')).takeOverGpu(options),
    isModelCached: async (modelId) => (await modelCache()).isModelCached(modelId),
    listCachedModels: async (options) => (await modelCache()).listCachedModels(options),
    deleteModel: async (modelId) => (await modelCache()).deleteModel(modelId),
    deleteModelLibrary: async (modelId) => (await modelCache()).deleteModelLibrary(modelId),
    listPartialDownloads: async (options) => (await modelCache()).listPartialDownloads(options),
    onLoadFailed: () => undefined,
    ...deps,
    engine: deps.engine ?? new DeferredLocalEngine(),
  };
}
