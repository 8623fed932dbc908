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
import { loadPrebuiltModelList, type LocalModelOption } from './catalog.js';

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

/** A model with some files on disk that cannot load from there: an interrupted download, or a damaged one. */
export interface PartialDownload extends CachedModel {
  /** Weight bytes already downloaded, from the sizes the cached weight index gives its shards. */
  storedBytes: number;
}

/** What WebLLM has stored of one model. */
export interface ModelOnDisk {
  /** The weight index parses and every shard it lists is cached: WebLLM's `hasModelInCache`. */
  complete: boolean;
  /** Any file of the model is stored (weights, index, tokenizer, config or library). */
  present: boolean;
  storedBytes: number;
  /**
   * A stored JSON file (weight index, chat config, tokenizer) does not parse: a captive portal's HTML page, say.
   * WebLLM reads these from the cache before the network, so such a file blocks every later load or resume.
   */
  unreadable: boolean;
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
 * What is stored of the model, read from Cache Storage only. For a model not complete, its JSON files are parsed
 * too, so that one that is not JSON shows as damaged rather than as a download to resume.
 */
export async function inspectRecordInCache(
  record: Pick<ModelRecord, 'model' | 'model_lib'>,
  cacheStorage: CacheStorage = caches,
): Promise<ModelOnDisk> {
  const modelUrl = cleanModelUrl(record.model);
  const modelCache = (await cacheStorage.has(MODEL_CACHE)) ? await cacheStorage.open(MODEL_CACHE) : undefined;
  const configCache = (await cacheStorage.has(CONFIG_CACHE)) ? await cacheStorage.open(CONFIG_CACHE) : undefined;
  const wasmCache = (await cacheStorage.has(WASM_CACHE)) ? await cacheStorage.open(WASM_CACHE) : undefined;
  const stored = new Set((modelCache ? await modelCache.keys() : []).map((request) => request.url));
  const configs = (configCache ? await configCache.keys() : []).filter((request) => request.url.startsWith(modelUrl));
  const hasLibrary = wasmCache !== undefined && (await wasmCache.match(record.model_lib)) !== undefined;
  const present = [...stored].some((url) => url.startsWith(modelUrl)) || configs.length > 0 || hasLibrary;
  if (!present || !modelCache) return { complete: false, present, storedBytes: 0, unreadable: false };

  const shards = await readShards(modelCache, modelUrl);
  const storedBytes = (shards ?? []).reduce((sum, shard) => sum + (stored.has(shard.url) ? shard.nbytes : 0), 0);
  if (shards && shards.every((shard) => stored.has(shard.url))) {
    return { complete: true, present, storedBytes, unreadable: false };
  }
  const jsonFiles = [
    ...[TENSOR_CACHE_INDEX, 'tokenizer.json'].map((file) => ({ cache: modelCache, url: new URL(file, modelUrl).href })),
    ...(configCache ? configs.map((request) => ({ cache: configCache, url: request.url })) : []),
  ];
  const readable = await Promise.all(jsonFiles.map(({ cache, url }) => parsesAsJson(cache, url)));
  return { complete: false, present, storedBytes, unreadable: readable.includes(false) };
}

/**
 * Everything of the model in WebLLM's caches, whatever state it is in: every file under its URL (weights, weight
 * index, tokenizer, and any file that does not parse), its chat config and its library. Where
 * {@link deleteModelRecordFromCache} follows WebLLM, this also frees what an interrupted or damaged download left.
 */
export async function purgeModelRecordFromCache(
  record: Pick<ModelRecord, 'model' | 'model_lib'>,
  cacheStorage: CacheStorage = caches,
): Promise<void> {
  const modelUrl = cleanModelUrl(record.model);
  const underModel = async (cache: Cache): Promise<void> => {
    const keys = (await cache.keys()).filter((request) => request.url.startsWith(modelUrl));
    await Promise.all(keys.map((request) => cache.delete(request)));
  };
  await deleteFrom(cacheStorage, MODEL_CACHE, underModel);
  await deleteFrom(cacheStorage, CONFIG_CACHE, underModel);
  await deleteFrom(cacheStorage, WASM_CACHE, (cache) => cache.delete(record.model_lib));
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
 * Deletes everything stored of a model, complete or not (see {@link purgeModelRecordFromCache}). Returns false,
 * deleting nothing, when nothing of it was on disk or the model is not in the list.
 */
export async function deleteModel(
  modelId: string,
  modelList: () => Promise<readonly ModelRecord[]> = loadPrebuiltModelList,
  cacheStorage: CacheStorage = caches,
): Promise<boolean> {
  const record = await findRecord(modelId, modelList);
  if (!record || !(await inspectRecordInCache(record, cacheStorage)).present) return false;
  await purgeModelRecordFromCache(record, cacheStorage);
  return true;
}

/** What one generated token reads of a model on disk, for the speed test's ceiling. */
export interface ModelShape {
  /** Every weight shard's size, from the cached weight index. */
  weightBytes: number;
  /** Keys and values of one token, all layers; `undefined` when the cached chat config does not say. */
  kvBytesPerToken: number | undefined;
}

/**
 * The weight bytes (exact, from the weight index) and the KV cache bytes per token (from `model_config` in the cached
 * mlc-chat-config.json: layers × KV heads × head size × 2 for keys and values, in the build's float type).
 * `undefined` when the model is not complete on disk.
 */
export async function readModelShape(
  modelId: string,
  modelList: () => Promise<readonly ModelRecord[]> = loadPrebuiltModelList,
  cacheStorage: CacheStorage = caches,
): Promise<ModelShape | undefined> {
  const record = await findRecord(modelId, modelList);
  if (!record || !(await cacheStorage.has(MODEL_CACHE))) return undefined;
  const modelUrl = cleanModelUrl(record.model);
  const shards = await readShards(await cacheStorage.open(MODEL_CACHE), modelUrl);
  if (!shards) return undefined;
  const weightBytes = shards.reduce((sum, shard) => sum + shard.nbytes, 0);
  const config = (await cacheStorage.has(CONFIG_CACHE))
    ? await (await cacheStorage.open(CONFIG_CACHE)).match(new URL(CHAT_CONFIG, modelUrl).href)
    : undefined;
  let kvBytesPerToken: number | undefined;
  try {
    const { model_config: shape = {} } = ((await config?.json()) ?? {}) as { model_config?: Record<string, unknown> };
    const number = (key: string): number | undefined => (typeof shape[key] === 'number' ? shape[key] : undefined);
    const layers = number('num_hidden_layers');
    const heads = number('num_attention_heads');
    const kvHeads = number('num_key_value_heads') ?? heads;
    const hidden = number('hidden_size');
    const headDim = number('head_dim') ?? (hidden && heads ? hidden / heads : undefined);
    const bytesPerValue = modelId.includes('f32') ? 4 : 2;
    if (layers && kvHeads && headDim) kvBytesPerToken = 2 * layers * kvHeads * headDim * bytesPerValue;
  } catch {
    // A config that does not parse: the ceiling counts the weights only.
  }
  return { weightBytes, kvBytesPerToken };
}

/** The catalogue's models with files on disk that cannot load from there, with what is already downloaded. */
export async function listPartialDownloads(
  options: readonly Pick<LocalModelOption, 'id' | 'label' | 'downloadBytes'>[],
  modelList: () => Promise<readonly ModelRecord[]> = loadPrebuiltModelList,
  cacheStorage: CacheStorage = caches,
): Promise<PartialDownload[]> {
  const records = new Map((await modelList()).map((record) => [record.model_id, record]));
  const found = await Promise.all(
    options.map(async (option) => {
      const record = records.get(option.id);
      const onDisk = record ? await inspectRecordInCache(record, cacheStorage) : undefined;
      return onDisk?.present && (!onDisk.complete || onDisk.unreadable)
        ? { id: option.id, label: option.label, bytes: option.downloadBytes, storedBytes: onDisk.storedBytes }
        : undefined;
    }),
  );
  return found.filter((entry): entry is PartialDownload => entry !== undefined);
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
  const record = await findRecord(modelId, modelList);
  if (record) await deleteFrom(cacheStorage, WASM_CACHE, (cache) => cache.delete(record.model_lib));
}

/** Everything WebLLM stored, including interrupted downloads. */
export async function deleteAllModels(cacheStorage: CacheStorage = caches): Promise<void> {
  await Promise.all(WEBLLM_CACHE_NAMES.map((name) => cacheStorage.delete(name)));
}

async function findRecord(
  modelId: string,
  modelList: () => Promise<readonly ModelRecord[]>,
): Promise<ModelRecord | undefined> {
  return (await modelList()).find((candidate) => candidate.model_id === modelId);
}

let prebuiltApi: WebLlmCacheApi | undefined;

function defaultApi(): WebLlmCacheApi {
  prebuiltApi ??= cacheStorageApi();
  return prebuiltApi;
}

/** The URLs of the shards the cached weight index lists; `undefined` when the index is not cached or unreadable. */
async function readShardUrls(cache: Cache, modelUrl: string): Promise<string[] | undefined> {
  return (await readShards(cache, modelUrl))?.map((shard) => shard.url);
}

/** The shards the cached weight index lists, with their sizes; `undefined` when the index is missing or unreadable. */
async function readShards(cache: Cache, modelUrl: string): Promise<{ url: string; nbytes: number }[] | undefined> {
  const index = await cache.match(new URL(TENSOR_CACHE_INDEX, modelUrl).href);
  if (!index) return undefined;
  try {
    const { records } = (await index.json()) as { records?: unknown };
    if (!Array.isArray(records)) return undefined;
    return records.map((shard: { dataPath?: unknown; nbytes?: unknown }) => ({
      url: new URL(String(shard.dataPath), modelUrl).href,
      nbytes: typeof shard.nbytes === 'number' && shard.nbytes > 0 ? shard.nbytes : 0,
    }));
  } catch {
    // A truncated or corrupt index: the model cannot load from disk either.
    return undefined;
  }
}

/** True when the cached file is absent (nothing to block a load) or parses as JSON. */
async function parsesAsJson(cache: Cache, url: string): Promise<boolean> {
  const response = await cache.match(url);
  if (!response) return true;
  try {
    JSON.parse(await response.text());
    return true;
  } catch {
    return false;
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
