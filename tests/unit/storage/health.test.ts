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

/** Cache Storage holding the service worker's precache beside whatever WebLLM stored: cache name → url → response. */
function cacheStorage(contents: Record<string, Record<string, () => Response>>): CacheStorage {
  return {
    keys: async () => Object.keys(contents),
    open: async (name: string) => {
      const entries = contents[name] ?? {};
      return {
        keys: async () => Object.keys(entries).map((url) => new Request(url)),
        match: async (request: Request) => entries[request.url]?.(),
      } as unknown as Cache;
    },
  } as unknown as CacheStorage;
}

const PRECACHE = {
  'workbox-precache-v2-https://app.example/': {
    'https://app.example/app.js': () => new Response('x'.repeat(3_000_000)),
  },
};
const SHARD = 'https://huggingface.co/mlc-ai/M/resolve/main/params_shard_0.bin';
const CONFIG = 'https://huggingface.co/mlc-ai/M/resolve/main/mlc-chat-config.json';

describe('estimateUsage', () => {
  it("shows conversations and models apart, with the browser's totals; models are WebLLM's caches only", async () => {
    const storage = {
      estimate: async () => ({
        usage: 4_600_000_000,
        quota: 60_000_000_000,
        usageDetails: { indexedDB: 40_000, caches: 4_500_000_000 },
      }),
      persisted: async () => true,
    };
    const caches = cacheStorage({
      ...PRECACHE,
      // A 4.5 GB shard measured from its Content-Length header, and a config without one, by its body.
      'webllm/model': { [SHARD]: () => new Response('', { headers: { 'content-length': '4500000000' } }) },
      'webllm/config': { [CONFIG]: () => new Response('{"a":1}') },
    });
    expect(await estimateUsage(repository, storage, caches)).toEqual({
      conversationsBytes: 12_345,
      conversationCount: 3,
      messageCount: 40,
      attachmentCount: 2,
      attachmentsBytes: 2_000,
      indexedDbBytes: 40_000,
      modelsBytes: 4_500_000_000 + '{"a":1}'.length,
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

  it('counts no models when WebLLM stored nothing, however large the app’s own precache', async () => {
    const noModels = { estimate: async () => ({ usage: 10, quota: 100, usageDetails: { indexedDB: 10 } }) };
    expect(await estimateUsage(repository, noModels, cacheStorage(PRECACHE))).toMatchObject({
      indexedDbBytes: 10,
      modelsBytes: 0,
    });
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
