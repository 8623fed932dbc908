/**
 * The transaction plumbing of the IndexedDB repository: running work all or nothing, and making many requests
 * without leaving a rejection unobserved.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { STORAGE_MESSAGES, StorageError } from './errors.js';
import type { ChatDBSchema } from './schema.js';
import type { StorageChange } from './types.js';

/** The stores a write may touch; each write opens only those it names. */
export type WriteStore = 'conversations' | 'messages' | 'attachments' | 'presets';

export type ChatTransaction = IDBPTransaction<ChatDBSchema, WriteStore[], 'readwrite'>;

/**
 * Runs `work` in `tx` and waits for the commit. If `work` fails, the transaction is aborted so none of its writes
 * land: a transaction is all or nothing.
 */
export async function inTransaction<T>(
  tx: Pick<IDBPTransaction<ChatDBSchema, StoreNames<ChatDBSchema>[], 'readwrite'>, 'done' | 'abort'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    // The abort rejects `done`; the error that caused it is the one to report.
    tx.done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // Already aborted by the failure itself.
    }
    throw error;
  }
}

/** A request to make, or undefined for none. */
export type Request = () => Promise<unknown> | undefined;

/**
 * Makes the requests in order and waits for them all. A request can throw at once (a full disk does): the ones
 * already made then still get a handler, or their rejection by the abort would go unobserved.
 */
export async function requestAll(requests: readonly Request[]): Promise<void> {
  const made: Promise<unknown>[] = [];
  try {
    for (const request of requests) {
      const pending = request();
      if (pending) made.push(pending);
    }
  } catch (error) {
    for (const pending of made) pending.catch(() => undefined);
    throw error;
  }
  await Promise.all(made);
}

export function importError(error: unknown): unknown {
  return error instanceof StorageError && error.kind === 'quota'
    ? new StorageError('quota', STORAGE_MESSAGES.importQuota, { cause: error.cause })
    : error;
}

export function isStorageChange(data: unknown): data is StorageChange {
  if (typeof data !== 'object' || data === null) return false;
  const { conversationIds, messageIds } = data as Partial<Record<keyof StorageChange, unknown>>;
  const isIds = (value: unknown) => Array.isArray(value) && value.every((id) => typeof id === 'string');
  return isIds(conversationIds) && (messageIds === undefined || isIds(messageIds));
}
