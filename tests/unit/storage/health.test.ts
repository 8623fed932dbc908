import { describe, expect, it, vi } from 'vitest';
import { estimateUsage, requestPersistentStorage } from '../../../src/storage/health.js';

const repository = {
  measureConversations: async () => ({
    conversations: 3,
    messages: 40,
    attachments: 2,
    approximateBytes: 12_345,
    attachmentBytes: 2_000,
  }),
};

// What counts as downloaded models (WebLLM's caches, measured by Content-Length or by body; never the service
// worker's precache) is tested on the browser's real Cache Storage (tests/browser/storage/health.test.ts).
describe('estimateUsage', () => {
  it("shows the conversations apart from the browser's totals and its database's share", async () => {
    const storage = {
      estimate: async () => ({
        usage: 4_600_000_000,
        quota: 60_000_000_000,
        usageDetails: { indexedDB: 40_000, caches: 4_500_000_000 },
      }),
      persisted: async () => true,
    };
    expect(await estimateUsage(repository, storage, undefined)).toEqual({
      conversationsBytes: 12_345,
      conversationCount: 3,
      messageCount: 40,
      attachmentCount: 2,
      attachmentsBytes: 2_000,
      indexedDbBytes: 40_000,
      modelsBytes: null,
      totalUsage: 4_600_000_000,
      quota: 60_000_000_000,
      persisted: true,
    });
  });

  it('still measures the conversations where the browser says nothing or fails', async () => {
    const silent = await estimateUsage(repository, undefined, undefined);
    expect(silent).toMatchObject({ conversationsBytes: 12_345, totalUsage: null, quota: null, persisted: null });
    const failing = {
      estimate: () => Promise.reject(new DOMException('nope', 'SecurityError')),
      persisted: () => Promise.reject(new Error('nope')),
    };
    const brokenCaches = {
      keys: () => Promise.reject(new DOMException('nope', 'SecurityError')),
    } as unknown as CacheStorage;
    expect(await estimateUsage(repository, failing, brokenCaches)).toMatchObject({
      modelsBytes: null,
      persisted: null,
    });
    const noBreakdown = { estimate: async () => ({ usage: 10, quota: 100 }) };
    expect(await estimateUsage(repository, noBreakdown)).toMatchObject({ indexedDbBytes: null, totalUsage: 10 });
  });
});

describe('requestPersistentStorage', () => {
  it('asks only when storage is not persistent yet, and says what the browser answered', async () => {
    const persist = vi.fn(async () => true);
    expect(await requestPersistentStorage({ persisted: async () => false, persist })).toBe(true);
    expect(persist).toHaveBeenCalledOnce();

    const notAgain = vi.fn(async () => true);
    expect(await requestPersistentStorage({ persisted: async () => true, persist: notAgain })).toBe(true);
    expect(notAgain).not.toHaveBeenCalled();

    expect(await requestPersistentStorage({ persisted: async () => false, persist: async () => false })).toBe(false);
  });

  it('never throws: a refusal or a missing API is "not persistent"', async () => {
    expect(await requestPersistentStorage(undefined)).toBe(false);
    expect(await requestPersistentStorage({ persist: () => Promise.reject(new Error('denied')) })).toBe(false);
  });
});
