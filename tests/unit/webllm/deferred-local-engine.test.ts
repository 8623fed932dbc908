import { describe, expect, test, vi } from 'vitest';
import { EngineError, type ChatRequest } from '../../../src/engines/types.js';
import { DeferredLocalEngine } from '../../../src/engines/webllm/deferred-local-engine.js';

const loads: string[] = [];
let constructed = 0;

// The real LocalEngine starts a worker; this stands in for the module the deferred engine imports on first load.
vi.mock('../../../src/engines/webllm/local-engine.js', () => ({
  LocalEngine: class {
    model = '';
    constructor() {
      constructed++;
    }
    get isLoaded() {
      return this.model !== '';
    }
    async load(modelId: string) {
      loads.push(modelId);
      this.model = modelId;
    }
    async unload() {
      this.model = '';
    }
    async *chat() {
      yield { delta: `from ${this.model}` };
    }
  },
}));

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Hi' }],
  params: { temperature: 0.7, topP: 0.95, maxNewTokens: 16, repetitionPenalty: 1, seed: null },
};

async function collect(engine: DeferredLocalEngine): Promise<string[]> {
  const deltas: string[] = [];
  for await (const chunk of engine.chat(request, new AbortController().signal)) deltas.push(chunk.delta ?? '');
  return deltas;
}

describe('DeferredLocalEngine', () => {
  test('before any load, has no model and says to load it rather than loading code to answer', async () => {
    const engine = new DeferredLocalEngine();
    expect([engine.isLoaded, engine.model]).toEqual([false, '']);
    const error = await collect(engine).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('model-not-loaded');
    expect(constructed).toBe(0);
  });

  test('loads the engine code once, then answers with the model loaded', async () => {
    const engine = new DeferredLocalEngine();
    await Promise.all([engine.load('model-a'), engine.load('model-b')]);
    expect(constructed).toBe(1);
    expect(loads).toEqual(['model-a', 'model-b']);
    expect(await collect(engine)).toEqual(['from model-b']);
    await engine.unload();
    expect(engine.isLoaded).toBe(false);
  });
});
