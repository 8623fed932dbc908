import { describe, expect, test, vi } from 'vitest';
import { StorageError } from '../../../src/storage/errors.js';
import { LazyIdbSearch, SEARCH_LOAD_FAILED } from '../../../src/storage/lazy-search.js';
import type { ChatDatabase } from '../../../src/storage/schema.js';

// The search code's chunk cannot be downloaded (offline before the service worker cached it).
vi.mock('../../../src/storage/idb-search.js', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

describe('LazyIdbSearch', () => {
  test('change notices before the first search touch nothing (there is no index to update)', () => {
    const connect = vi.fn(async () => ({}) as ChatDatabase);
    const search = new LazyIdbSearch(connect);
    search.markStale(['c1']);
    search.messageDeleted('m1', 'c1');
    search.clear();
    expect(connect).not.toHaveBeenCalled();
  });

  test('search code that cannot be loaded is a storage error that says what to do', async () => {
    const search = new LazyIdbSearch(async () => ({}) as ChatDatabase);
    const failure = await search.search('hello').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).userMessage).toBe(SEARCH_LOAD_FAILED);
    await expect(search.prepare()).rejects.toThrow(SEARCH_LOAD_FAILED);
  });
});
