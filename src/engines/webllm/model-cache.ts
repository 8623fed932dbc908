/**
 * The models kept in this browser's Cache Storage by WebLLM, for the settings panel: which are on disk, how big, and
 * deleting them. WebLLM is imported lazily here too; the functions run in the page (Cache Storage needs no GPU).
 */

import type { LocalModelOption } from './catalog.js';

/** The parts of @mlc-ai/web-llm used here, injectable for tests. */
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

/** WebLLM's Cache Storage scopes (`CacheScope` in its cache_util.d.ts). */
export const WEBLLM_CACHE_NAMES = ['webllm/model', 'webllm/config', 'webllm/wasm'] as const;

const loadWebLlm = (): Promise<WebLlmCacheApi> => import('@mlc-ai/web-llm');

/** True when every weight shard is on disk (WebLLM's own check; the model library is fetched again if missing). */
export async function isModelCached(modelId: string, api?: WebLlmCacheApi): Promise<boolean> {
  return (api ?? (await loadWebLlm())).hasModelInCache(modelId);
}

/**
 * Deletes a fully downloaded model: weights, tokenizer, model library and config. Returns false when it was not on
 * disk: WebLLM's delete would otherwise fetch the weight index from the network just to learn what to delete.
 * A partial download is removed with {@link deleteAllModels}.
 */
export async function deleteModel(modelId: string, api?: WebLlmCacheApi): Promise<boolean> {
  const webllm = api ?? (await loadWebLlm());
  if (!(await webllm.hasModelInCache(modelId))) return false;
  await webllm.deleteModelAllInfoInCache(modelId);
  return true;
}

/** The catalogue's models that are fully on disk, with their estimated sizes. */
export async function listCachedModels(
  options: readonly Pick<LocalModelOption, 'id' | 'label' | 'downloadBytes'>[],
  api?: WebLlmCacheApi,
): Promise<CachedModel[]> {
  const webllm = api ?? (await loadWebLlm());
  const cached = await Promise.all(options.map((option) => webllm.hasModelInCache(option.id)));
  return options
    .filter((_, index) => cached[index])
    .map((option) => ({ id: option.id, label: option.label, bytes: option.downloadBytes }));
}

/** Everything WebLLM stored, including interrupted downloads. */
export async function deleteAllModels(cacheStorage: CacheStorage = caches): Promise<void> {
  await Promise.all(WEBLLM_CACHE_NAMES.map((name) => cacheStorage.delete(name)));
}
