import { describe, expect, test } from 'vitest';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { createWorkerEngine } from '../../../src/engines/webllm/worker-engine.js';
import type { EngineError } from '../../../src/engines/types.js';

/** Every cache WebLLM keeps, with its entries: WebLLM opens one of them before anything it fetches. */
async function cacheStorageSnapshot(): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const name of await caches.keys()) {
    snapshot[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
  }
  return snapshot;
}

// The real worker entry, with WebLLM's real MLCEngine inside, answering our protocol; only requests WebLLM answers
// before it would touch the network.
describe('LocalEngine with the real worker', () => {
  test('the worker starts and answers a request', async () => {
    const handle = await createWorkerEngine();
    try {
      await expect(handle.engine.unload()).resolves.toBeUndefined();
    } finally {
      handle.terminate();
    }
  });

  test('a model WebLLM does not know fails with a message for the user, before anything is fetched', async () => {
    const before = await cacheStorageSnapshot();
    const local = new LocalEngine();
    const error = (await local.load('No-Such-Model-q4f16_1-MLC').then(
      () => undefined,
      (reason: unknown) => reason,
    )) as EngineError | undefined;
    expect(error?.kind).toBe('not-found');
    expect(error?.userMessage).toMatch(/not in the list WebLLM knows/);
    // WebLLM's own error, by name, as it was thrown in the worker.
    expect(String(error?.cause)).toMatch(/^ModelNotFoundError: Cannot find model record in appConfig for No-Such/);
    expect(local.isLoaded).toBe(false);
    // WebLLM fetches every file through a cache of its own (config, model library, tokenizer, weights), opening it
    // first: none was opened.
    expect(await cacheStorageSnapshot()).toEqual(before);
  });

  test('a worker that is ended fails what it was asked, instead of leaving it waiting', async () => {
    const handle = await createWorkerEngine();
    const loading = handle.engine.reload('No-Such-Model-q4f16_1-MLC');
    handle.terminate();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
