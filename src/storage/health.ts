/**
 * Storage health for the settings panel: how much the conversations take, how much the downloaded models take, how
 * much the browser allows, and whether it may evict the site's data under pressure.
 */
import type { ChatRepository } from './types.js';

export interface StorageUsage {
  /** Conversations, messages and attachments, measured from the records (every browser). */
  conversationsBytes: number;
  conversationCount: number;
  messageCount: number;
  /** Files sent in the conversations, and their part of `conversationsBytes` (text, and original bytes kept). */
  attachmentCount: number;
  attachmentsBytes: number;
  /**
   * What the browser counts for this site's IndexedDB (the conversations, with the database's own overheads). Null
   * where the browser does not break usage down (only Chromium does).
   */
  indexedDbBytes: number | null;
  /**
   * The files in WebLLM's caches (`webllm/model`, `webllm/wasm`, `webllm/config`), by their sizes; not the service
   * worker's copy of the app, which shares Cache Storage with them. Null where Cache Storage cannot be read.
   */
  modelsBytes: number | null;
  /** Everything the site stores, and what the browser allows it; null where the browser does not say. */
  totalUsage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict the site's data; null where it cannot say. */
  persisted: boolean | null;
}

/** `StorageEstimate` with Chromium's breakdown, which the DOM typings leave out. */
interface DetailedEstimate extends StorageEstimate {
  usageDetails?: { indexedDB?: number; serviceWorkerRegistrations?: number };
}

export type StorageManagerLike = Partial<Pick<StorageManager, 'estimate' | 'persisted' | 'persist'>>;

/** WebLLM names its Cache Storage scopes "webllm/model", "webllm/wasm" and "webllm/config". */
const MODEL_CACHE_PREFIX = 'webllm/';

function defaultStorage(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManager | undefined);
}

async function orNull<T>(ask: (() => Promise<T>) | undefined): Promise<T | null> {
  if (!ask) return null;
  try {
    return await ask();
  } catch {
    return null;
  }
}

/**
 * The bytes of every entry in WebLLM's caches. A response's Content-Length is read where it has one (the model hosts
 * send it), so a 4 GB model is measured from its headers, not read; an entry without one is measured by its body.
 */
export async function measureModelCaches(cacheStorage: CacheStorage): Promise<number> {
  const names = (await cacheStorage.keys()).filter((name) => name.startsWith(MODEL_CACHE_PREFIX));
  let total = 0;
  for (const name of names) {
    const cache = await cacheStorage.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if (!response) continue;
      const length = Number(response.headers.get('content-length'));
      total += Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
    }
  }
  return total;
}

/** Never rejects for the browser's part (what it will not say is null); rejects only if the repository does. */
export async function estimateUsage(
  repository: Pick<ChatRepository, 'measureConversations'>,
  storage: StorageManagerLike | undefined = defaultStorage(),
  cacheStorage: CacheStorage | undefined = typeof caches === 'undefined' ? undefined : caches,
): Promise<StorageUsage> {
  const [size, estimate, persisted, modelsBytes] = await Promise.all([
    repository.measureConversations(),
    orNull<DetailedEstimate>(storage?.estimate?.bind(storage)),
    orNull(storage?.persisted?.bind(storage)),
    orNull(cacheStorage ? () => measureModelCaches(cacheStorage) : undefined),
  ]);
  const details = estimate?.usageDetails;
  return {
    conversationsBytes: size.approximateBytes,
    conversationCount: size.conversations,
    messageCount: size.messages,
    attachmentCount: size.attachments,
    attachmentsBytes: size.attachmentBytes,
    // Chromium leaves out a kind of storage the site does not use at all.
    indexedDbBytes: details ? (details.indexedDB ?? 0) : null,
    modelsBytes,
    totalUsage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    persisted,
  };
}

/**
 * Asks the browser to keep the site's data under storage pressure (conversations and a 4 GB model). Returns whether
 * it is persistent now; never throws. Browsers may decide without asking the user (Chromium grants it to installed
 * or often-used sites) or refuse.
 */
export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = defaultStorage(),
): Promise<boolean> {
  if ((await orNull(storage?.persisted?.bind(storage))) === true) return true;
  return (await orNull(storage?.persist?.bind(storage))) === true;
}
