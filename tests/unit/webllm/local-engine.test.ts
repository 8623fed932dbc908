/** LocalEngine answering: the request WebLLM gets, the streamed reply, Stop, and what ends a reply early. */
import { describe, expect, test, vi } from 'vitest';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { EngineError, type ChatChunk } from '../../../src/engines/types.js';
import { WORKER_ERROR_NAME } from '../../../src/engines/webllm/errors.js';
import { ERRORS, MISTRAL } from './fixtures.js';
import { FakeWebLlmEngine, fakeFactory } from './fake-webllm.js';
import { OK, request, HELLO, collect, loadedEngine, rejection } from './local-engine-harness.js';

describe('LocalEngine.chat', () => {
  test('sends an explicit system message and the sampling settings in WebLLM’s names', async () => {
    const { local, engine } = await loadedEngine({ tokens: ['Hi'] });
    await collect(
      local.chat(
        request([{ role: 'user', content: 'Hello' }], {
          temperature: 0.3,
          topP: 0.9,
          maxNewTokens: 256,
          repetitionPenalty: 1.1,
          seed: 7,
        }),
        new AbortController().signal,
      ),
    );
    expect(engine.requests[0]).toEqual({
      messages: [
        { role: 'system', content: '' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 256,
      repetition_penalty: 1.1,
      seed: 7,
    });
  });

  test('a seed that is not an integer is left out, and out-of-range settings are pulled back', async () => {
    const { local, engine } = await loadedEngine({ tokens: [] }, { tokens: [] });
    await collect(local.chat(request(HELLO.messages, { seed: null }), new AbortController().signal));
    await collect(
      local.chat(
        request(HELLO.messages, { seed: 1.5, topP: 0, repetitionPenalty: 0, temperature: -1 }),
        new AbortController().signal,
      ),
    );
    expect(engine.requests[0]).not.toHaveProperty('seed');
    expect(engine.requests[1]).toMatchObject({ top_p: 1, repetition_penalty: 1, temperature: 0 });
    expect(engine.requests[1]).not.toHaveProperty('seed');
  });

  test('streams the text, then one last chunk with the finish reason and WebLLM’s measurements', async () => {
    const { local } = await loadedEngine({ tokens: ['Bon', 'jour', '!'], promptTokens: 17 });
    const chunks = await collect(local.chat(HELLO, new AbortController().signal));
    expect(chunks).toEqual([
      { delta: 'Bon' },
      { delta: 'jour' },
      { delta: '!' },
      {
        finishReason: 'stop',
        usage: {
          promptTokens: 17,
          completionTokens: 3,
          timeToFirstTokenMs: 375,
          prefillTokensPerSecond: 512.5,
          decodeTokensPerSecond: 24.25,
        },
      },
    ]);
  });

  test('Stop interrupts WebLLM, ends at once, and still reads WebLLM’s stream to its end', async () => {
    const { local, engine } = await loadedEngine(
      { tokens: ['One', 'two', 'three'], stallAfter: 1 },
      { tokens: ['Ok'] },
    );
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];
    for await (const chunk of local.chat(HELLO, controller.signal)) {
      chunks.push(chunk);
      if (chunk.delta === 'One') controller.abort();
    }
    expect(chunks).toEqual([{ delta: 'One' }, { finishReason: 'abort' }]);
    expect(engine.interruptCalls).toBeGreaterThanOrEqual(1);

    // The next reply waits for the stopped stream to finish, so the model is never left locked.
    const next = await collect(local.chat(HELLO, new AbortController().signal));
    expect(engine.streamsFinished).toBe(2);
    expect(next[0]).toEqual({ delta: 'Ok' });
  });

  test('Stop before the first token still ends WebLLM’s stream, though WebLLM drops an early interrupt', async () => {
    const { local, engine } = await loadedEngine({ tokens: ['One', 'two'], stallAfter: 1 });
    const controller = new AbortController();
    const create = engine.chat.completions.create;
    engine.chat.completions.create = (body) => {
      controller.abort();
      return create(body);
    };
    const iterator = local.chat(HELLO, controller.signal)[Symbol.asyncIterator]();
    const first = iterator.next();
    expect(await first).toEqual({ done: false, value: { finishReason: 'abort' } });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await vi.waitFor(() => expect(engine.streamsFinished).toBe(1));
  });

  test('leaving the loop early (a break) also interrupts and drains the stream', async () => {
    const { local, engine } = await loadedEngine({ tokens: ['a', 'b', 'c', 'd'], stallAfter: 2 });
    for await (const chunk of local.chat(HELLO, new AbortController().signal)) {
      if (chunk.delta === 'a') break;
    }
    expect(engine.interruptCalls).toBeGreaterThanOrEqual(1);
    await vi.waitFor(() => expect(engine.streamsFinished).toBe(1));
  });

  test('an already aborted request sends nothing', async () => {
    const { local, engine } = await loadedEngine();
    expect(await collect(local.chat(HELLO, AbortSignal.abort()))).toEqual([{ finishReason: 'abort' }]);
    expect(engine.requests).toHaveLength(0);
  });

  test('unloading mid-reply (another tab took the GPU) ends the reply as stopped', async () => {
    const { local } = await loadedEngine({ tokens: ['One', 'two'], stallAfter: 1 });
    const chunks: ChatChunk[] = [];
    for await (const chunk of local.chat(HELLO, new AbortController().signal)) {
      chunks.push(chunk);
      if (chunk.delta === 'One') void local.unload();
    }
    expect(chunks).toEqual([{ delta: 'One' }, { finishReason: 'abort' }]);
  });

  test('a worker that dies mid-reply fails the reply and leaves no model loaded', async () => {
    const { local, factory } = await loadedEngine({ tokens: ['One', 'two'], stallAfter: 1 });
    const crash = new Error('The model worker stopped: out of memory');
    crash.name = WORKER_ERROR_NAME;
    const chunks: ChatChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of local.chat(HELLO, new AbortController().signal)) {
          chunks.push(chunk);
          factory.failWorker(0, crash);
        }
      })(),
    );
    expect(chunks).toEqual([{ delta: 'One' }]);
    expect((error as EngineError).userMessage).toMatch(/stopped unexpectedly/);
    expect(local.isLoaded).toBe(false);
    await vi.waitFor(() => expect(factory.terminated).toEqual([0]));
  });

  test('without a loaded model the reply fails with "model-not-loaded"', async () => {
    const local = new LocalEngine({ createEngine: fakeFactory().create });
    const error = await rejection(collect(local.chat(HELLO, new AbortController().signal)));
    expect((error as EngineError).kind).toBe('model-not-loaded');
    expect((error as EngineError).userMessage).toMatch(/Load it again/);
  });

  test('a device lost mid-reply is reported and the model counts as unloaded', async () => {
    const { local } = await loadedEngine({ tokens: ['a', 'b'], errorAt: { index: 1, error: ERRORS.deviceLost } });
    const chunks: ChatChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of local.chat(HELLO, new AbortController().signal)) chunks.push(chunk);
      })(),
    );
    expect(chunks).toEqual([{ delta: 'a' }]);
    expect((error as EngineError).kind).toBe('device-lost');
    expect(local.isLoaded).toBe(false);
  });

  test('a model WebLLM unloaded by itself is reported as not loaded', async () => {
    const engine = new FakeWebLlmEngine(OK);
    engine.chat.completions.create = () => Promise.reject(ERRORS.modelNotLoaded);
    const local = new LocalEngine({ createEngine: fakeFactory(engine).create });
    await local.load(MISTRAL);
    const error = await rejection(collect(local.chat(HELLO, new AbortController().signal)));
    expect((error as EngineError).kind).toBe('model-not-loaded');
    expect(local.isLoaded).toBe(false);
  });

  test('a long history is trimmed to the context window, oldest turns first', async () => {
    const { local, engine } = await loadedEngine({ tokens: ['ok'] });
    const long = 'word '.repeat(1500);
    const history = request(
      [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: long },
        { role: 'assistant', content: long },
        { role: 'user', content: 'And now?' },
      ],
      { maxNewTokens: 512 },
    );
    expect(local.prepareContext(history)).toMatchObject({ omittedCount: 2, tooLong: false });
    const chunks = await collect(local.chat(history, new AbortController().signal));
    expect(chunks[0]).toEqual({ omittedTurns: 2 });
    expect(engine.requests[0]?.messages).toEqual([
      { role: 'system', content: 'Answer in French.\n\n' },
      { role: 'user', content: 'And now?' },
    ]);
  });

  test('a single message longer than the whole context is refused before anything is sent', async () => {
    const { local, engine } = await loadedEngine();
    const error = await rejection(
      collect(local.chat(request([{ role: 'user', content: 'x'.repeat(20_000) }]), new AbortController().signal)),
    );
    expect((error as EngineError).kind).toBe('context-window');
    expect((error as EngineError).userMessage).toMatch(/4,096-token context/);
    expect(engine.requests).toHaveLength(0);
  });

  test('a conversation with nothing to answer is refused', async () => {
    const { local } = await loadedEngine();
    const error = await rejection(collect(local.chat(request([]), new AbortController().signal)));
    expect((error as EngineError).kind).toBe('bad-request');
  });
});
