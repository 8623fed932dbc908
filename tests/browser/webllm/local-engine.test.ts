import { describe, expect, test } from 'vitest';
import { createWorkerEngine, LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import type { EngineError } from '../../../src/engines/types.js';

// The real worker entry and WebLLM's real worker protocol, without fetching anything: only requests that WebLLM
// answers before touching the network.
describe('LocalEngine with the real WebLLM worker', () => {
  test('the worker starts and answers WebLLM’s messages', async () => {
    const handle = await createWorkerEngine();
    try {
      await expect(handle.engine.unload()).resolves.toBeUndefined();
    } finally {
      handle.terminate();
    }
  });

  test('an error inside the worker arrives as an EngineError with a message for the user', async () => {
    const local = new LocalEngine();
    const error = (await local.load('No-Such-Model-q4f16_1-MLC').then(
      () => undefined,
      (reason: unknown) => reason,
    )) as EngineError | undefined;
    expect(error?.kind).toBe('not-found');
    expect(error?.userMessage).toMatch(/not in the list WebLLM knows/);
    expect(String(error?.cause)).toMatch(/^ModelNotFoundError: Cannot find model record/);
    expect(local.isLoaded).toBe(false);
  });
});
