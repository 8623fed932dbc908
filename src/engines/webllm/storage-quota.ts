/**
 * Whether a model download fits in what this browser lets the app store, checked before anything is fetched, and the
 * request that keeps the download from being evicted (WebLLM itself never asks for persistence).
 */

import { formatBytes } from './format.js';

export type StorageLike = Pick<StorageManager, 'estimate'>;
export type PersistentStorageLike = Pick<StorageManager, 'persist' | 'persisted'>;

export interface QuotaCheck {
  ok: boolean;
  /** Bytes; `undefined` when the browser does not say. */
  usage?: number;
  quota?: number;
  free?: number;
  /** One or two sentences for the consent step. */
  message: string;
}

export async function checkQuota(
  bytesNeeded: number,
  storage: StorageLike | undefined = defaultStorage(),
): Promise<QuotaCheck> {
  const needed = formatBytes(bytesNeeded);
  let estimate: StorageEstimate | undefined;
  try {
    estimate = await storage?.estimate();
  } catch {
    estimate = undefined;
  }
  if (estimate?.quota === undefined || estimate.usage === undefined) {
    return {
      ok: true,
      message: `The model takes about ${needed} in this browser's storage. This browser does not say how much space is free.`,
    };
  }
  const { usage, quota } = estimate;
  const free = Math.max(0, quota - usage);
  if (free < bytesNeeded) {
    return {
      ok: false,
      usage,
      quota,
      free,
      message:
        `The model needs about ${needed}, but this browser lets the app store only ${formatBytes(free)} more. ` +
        'Free up disk space or delete other models, or choose a smaller model.',
    };
  }
  return {
    ok: true,
    usage,
    quota,
    free,
    message: `The model takes about ${needed} in this browser's storage; ${formatBytes(free)} is available.`,
  };
}

/**
 * Asks the browser not to evict the app's storage under pressure, so a 4 GB download is not lost. Returns whether
 * storage is persistent; never throws (browsers may refuse, or decide by engagement without asking).
 */
export async function requestPersistence(
  storage: PersistentStorageLike | undefined = defaultStorage(),
): Promise<boolean> {
  if (!storage) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}

function defaultStorage(): StorageManager | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManager | undefined);
}
