/**
 * The models kept in this browser's Cache Storage by WebLLM, for the settings panel: which are on disk, how big, and
 * deleting them. This runs in the page, which never loads WebLLM (6 MB): it re-implements what @mlc-ai/web-llm 0.2.86
 * does for its Cache API backend (`hasModelInCache`, `deleteModelAllInfoInCache`), reading the model records from the
 * catalogue's small JSON chunk. worker.ts pins WebLLM to that backend (`cacheBackend: 'cache'`, also the default of
 * `prebuiltAppConfig`); its IndexedDB, OPFS and cross-origin backends are never enabled.
 *
 * Where WebLLM would go to the network (reading a weight index that is not in the cache), this module never does:
 * a model without its index is simply not on disk.
 */

import type { ModelRecord } from '@mlc-ai/web-llm';
import { loadPrebuiltModelList } from './catalog.js';
import type { LocalModelOption } from './catalog.js';

/** The two questions asked of WebLLM's cache, by model id; injectable for tests. */
export interface WebLlmCacheApi {
  hasModelInCache(modelId: string): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string): Promise<void>;
}

export interface CachedModel {
  id: string;
  label: string;
  /** Estimated from the catalogue; WebLLM does not record sizes. */
  bytes: number;
}

/** Where a model's files come from: what the cache functions need of its record. */
export type ModelFiles = Pick<ModelRecord, 'model' | 'model_lib' | 'model_manifest'>;

/** WebLLM's Cache Storage scopes (`CacheScope` in its cache_util.d.ts). */
export const WEBLLM_CACHE_NAMES = ['webllm/model', 'webllm/config', 'webllm/wasm'] as const;

const MODEL_CACHE = 'webllm/model';
const CONFIG_CACHE = 'webllm/config';
const WASM_CACHE = 'webllm/wasm';
/** The weight index: every shard it lists must be on disk for the model to load offline. */
const TENSOR_CACHE_INDEX = 'tensor-cache.json';
const CHAT_CONFIG = 'mlc-chat-config.json';
const TOKENIZER_FILES = ['tokenizer.model', 'tokenizer.json'];

/**
 * WebLLM's `cleanModelUrl`: "https://huggingface.co/mlc-ai/X" → "https://huggingface.co/mlc-ai/X/resolve/main/", the
 * base every cached file's URL is resolved against.
 */
export function cleanModelUrl(modelUrl: string): string {
  let url = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/**
 * True when the weight index and every shard it lists are cached: WebLLM's `hasModelInCache` (tvmjs
 * `hasTensorInCache`). Like WebLLM's, it checks the weights only; the model library and tokenizer are fetched again
 * if they are missing.
 */
export async function hasModelRecordInCache(
  record: Pick<ModelRecord, 'model'>,
  cacheStorage: CacheStorage = caches,
): Promise<boolean> {
  if (!(await cacheStorage.has(MODEL_CACHE))) return false;
  const cache = await cacheStorage.open(MODEL_CACHE);
  const modelUrl = cleanModelUrl(record.model);
  const shards = await readShardUrls(cache, modelUrl);
  if (!shards) return false;
  // WebLLM compares the cached keys' URLs (`ArtifactCache.hasAllKeys`), not `match()`, which would weigh Vary headers.
  const keys = new Set((await cache.keys()).map((request) => request.url));
  return shards.every((url) => keys.has(url));
}

/**
 * Everything WebLLM stored for the model: WebLLM's `deleteModelAllInfoInCache`. The shards listed in the weight index
 * and the tokenizer from 'webllm/model', the model library from 'webllm/wasm', the chat config (and the package
 * manifest, for models that have one) from 'webllm/config'. Like WebLLM, it keeps the few-kilobyte weight index
 * itself; unlike WebLLM, without that index it leaves the shards alone rather than fetch it from the network.
 */
export async function deleteModelRecordFromCache(
  record: ModelFiles,
  cacheStorage: CacheStorage = caches,
): Promise<void> {
  const modelUrl = cleanModelUrl(record.model);
  await deleteFrom(cacheStorage, MODEL_CACHE, async (cache) => {
    const shards = (await readShardUrls(cache, modelUrl)) ?? [];
    await Promise.all(shards.map((url) => cache.delete(url)));
    for (const file of TOKENIZER_FILES) await cache.delete(new URL(file, modelUrl).href);
  });
  await deleteFrom(cacheStorage, WASM_CACHE, (cache) => cache.delete(record.model_lib));
  await deleteFrom(cacheStorage, CONFIG_CACHE, async (cache) => {
    await cache.delete(new URL(CHAT_CONFIG, modelUrl).href);
    if (record.model_manifest !== undefined) await cache.delete(new URL(record.model_manifest, modelUrl).href);
  });
}

/**
 * WebLLM's cache functions by model id, for the models of `modelList`: WebLLM's prebuilt list by default, loaded on
 * first use. A model the list does not know is not on disk, and deleting it does nothing (WebLLM would throw).
 */
export function cacheStorageApi(
  modelList: readonly ModelRecord[] | (() => Promise<readonly ModelRecord[]>) = loadPrebuiltModelList,
  cacheStorage?: CacheStorage,
): WebLlmCacheApi {
  let records: Promise<ReadonlyMap<string, ModelRecord>> | undefined;
  const find = async (modelId: string): Promise<ModelRecord | undefined> => {
    records ??= Promise.resolve(typeof modelList === 'function' ? modelList() : modelList).then(
      (list) => new Map(list.map((record) => [record.model_id, record])),
      (error: unknown) => {
        // The next call asks for the list again.
        records = undefined;
        throw error;
      },
    );
    return (await records).get(modelId);
  };
  return {
    hasModelInCache: async (modelId) => {
      const record = await find(modelId);
      return record !== undefined && hasModelRecordInCache(record, cacheStorage);
    },
    deleteModelAllInfoInCache: async (modelId) => {
      const record = await find(modelId);
      if (record) await deleteModelRecordFromCache(record, cacheStorage);
    },
  };
}

/** True when every weight shard is on disk (WebLLM's own check; the model library is fetched again if missing). */
export async function isModelCached(modelId: string, api: WebLlmCacheApi = defaultApi()): Promise<boolean> {
  return api.hasModelInCache(modelId);
}

/**
 * Deletes a fully downloaded model: weights, tokenizer, model library and config. Returns false, deleting nothing,
 * when it was not fully on disk. A partial download is removed with {@link deleteAllModels}.
 */
export async function deleteModel(modelId: string, api: WebLlmCacheApi = defaultApi()): Promise<boolean> {
  if (!(await api.hasModelInCache(modelId))) return false;
  await api.deleteModelAllInfoInCache(modelId);
  return true;
}

/** The catalogue's models that are fully on disk, with their estimated sizes. */
export async function listCachedModels(
  options: readonly Pick<LocalModelOption, 'id' | 'label' | 'downloadBytes'>[],
  api: WebLlmCacheApi = defaultApi(),
): Promise<CachedModel[]> {
  const cached = await Promise.all(options.map((option) => api.hasModelInCache(option.id)));
  return options
    .filter((_, index) => cached[index])
    .map((option) => ({ id: option.id, label: option.label, bytes: option.downloadBytes }));
}

/**
 * Removes a model's library (.wasm) from WebLLM's cache, and nothing else: the next load fetches it again. For a
 * library the browser could not compile, which WebLLM would otherwise read back from the cache on every load.
 */
export async function deleteModelLibrary(
  modelId: string,
  modelList: () => Promise<readonly ModelRecord[]> = loadPrebuiltModelList,
  cacheStorage: CacheStorage = caches,
): Promise<void> {
  const record = (await modelList()).find((candidate) => candidate.model_id === modelId);
  if (record) await deleteFrom(cacheStorage, WASM_CACHE, (cache) => cache.delete(record.model_lib));
}

/** Everything WebLLM stored, including interrupted downloads. */
export async function deleteAllModels(cacheStorage: CacheStorage = caches): Promise<void> {
  await Promise.all(WEBLLM_CACHE_NAMES.map((name) => cacheStorage.delete(name)));
}

let prebuiltApi: WebLlmCacheApi | undefined;

function defaultApi(): WebLlmCacheApi {
  prebuiltApi ??= cacheStorageApi();
  return prebuiltApi;
}

/** The URLs of the shards the cached weight index lists; `undefined` when the index is not cached or unreadable. */
async function readShardUrls(cache: Cache, modelUrl: string): Promise<string[] | undefined> {
  const index = await cache.match(new URL(TENSOR_CACHE_INDEX, modelUrl).href);
  if (!index) return undefined;
  try {
    const { records } = (await index.json()) as { records?: unknown };
    if (!Array.isArray(records)) return undefined;
    return records.map((shard: { dataPath?: unknown }) => new URL(String(shard.dataPath), modelUrl).href);
  } catch {
    // A truncated or corrupt index: the model cannot load from disk either.
    return undefined;
  }
}

/** Runs `task` on the named cache if it exists; WebLLM would create it empty, which tells nothing. */
async function deleteFrom(
  cacheStorage: CacheStorage,
  name: string,
  task: (cache: Cache) => Promise<unknown>,
): Promise<void> {
  if (await cacheStorage.has(name)) await task(await cacheStorage.open(name));
}
