/**
 * Storage health for the settings panel: how much the conversations take, how much the downloaded models take, how
 * much the browser allows, and whether it may evict the site's data under pressure.
 */
import type { ChatRepository } from './types.js';

export interface StorageUsage {
  /** Conversations and messages, measured from the records (every browser). */
  conversationsBytes: number;
  conversationCount: number;
  messageCount: number;
  /**
   * What the browser counts for this site's IndexedDB (the conversations, with the database's own overheads) and
   * Cache Storage (downloaded models: WebLLM keeps them there). Null where the browser does not break usage down
   * (only Chromium does).
   */
  indexedDbBytes: number | null;
  modelsBytes: number | null;
  /** Everything the site stores, and what the browser allows it; null where the browser does not say. */
  totalUsage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict the site's data; null where it cannot say. */
  persisted: boolean | null;
}

/** `StorageEstimate` with Chromium's breakdown, which the DOM typings leave out. */
interface DetailedEstimate extends StorageEstimate {
  usageDetails?: { indexedDB?: number; caches?: number; serviceWorkerRegistrations?: number };
}

export type StorageManagerLike = Partial<Pick<StorageManager, 'estimate' | 'persisted' | 'persist'>>;

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

/** Never rejects for the browser's part (what it will not say is null); rejects only if the repository does. */
export async function estimateUsage(
  repository: Pick<ChatRepository, 'measureConversations'>,
  storage: StorageManagerLike | undefined = defaultStorage(),
): Promise<StorageUsage> {
  const [size, estimate, persisted] = await Promise.all([
    repository.measureConversations(),
    orNull<DetailedEstimate>(storage?.estimate?.bind(storage)),
    orNull(storage?.persisted?.bind(storage)),
  ]);
  const details = estimate?.usageDetails;
  return {
    conversationsBytes: size.approximateBytes,
    conversationCount: size.conversations,
    messageCount: size.messages,
    // Chromium leaves out a kind of storage the site does not use at all.
    indexedDbBytes: details ? (details.indexedDB ?? 0) : null,
    modelsBytes: details ? (details.caches ?? 0) : null,
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
