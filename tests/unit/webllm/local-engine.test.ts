import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { describe, expect, test, vi } from 'vitest';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { toWebLlmRequest } from '../../../src/engines/webllm/webllm-request.js';
import { WorkerEngineClient } from '../../../src/engines/webllm/worker-client.js';
import { serveEngine, type WorkerRequest, type WorkerResponse } from '../../../src/engines/webllm/worker-protocol.js';
import {
  EngineError,
  isAbortError,
  type ChatChunk,
  type ChatRequest,
  type ChatTurn,
  type RetryNotice,
} from '../../../src/engines/types.js';
import type { SamplingParams } from '../../../src/domain/generation.js';
import type { LoadProgress } from '../../../src/engines/webllm/progress.js';
import { DEFAULT_SAMPLING } from '../../../src/domain/settings.js';
import { WORKER_ERROR_NAME } from '../../../src/engines/webllm/errors.js';
import { deltaChunk, ERRORS, MISTRAL, PROGRESS } from './fixtures.js';
import { fakeMessageChannel } from '../messaging/fake-channel.js';
import { FakeWebLlmEngine, fakeFactory, workerProtocolFactory, type ReplyScript } from './fake-webllm.js';

const OK = { outcome: 'ok' } as const;

function request(messages: readonly ChatTurn[], params: Partial<SamplingParams> = {}): ChatRequest {
  return { messages, params: { ...DEFAULT_SAMPLING, ...params } };
}

const HELLO = request([{ role: 'user', content: 'Hello' }]);

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function loadedEngine(...replies: ReplyScript[]) {
  const engine = new FakeWebLlmEngine(OK, replies);
  const factory = fakeFactory(engine);
  const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
  await local.load(MISTRAL);
  return { local, engine, factory };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('LocalEngine.load', () => {
  test('loads in a worker created on first use and reports each phase', async () => {
    const engine = new FakeWebLlmEngine({
      progress: [PROGRESS.start, PROGRESS.fetchQuarter, PROGRESS.cacheHalf, PROGRESS.shaders, PROGRESS.finish],
      outcome: 'ok',
    });
    const factory = fakeFactory(engine);
    const local = new LocalEngine({ createEngine: factory.create });
    expect(factory.engines).toHaveLength(0);
    expect(local.isLoaded).toBe(false);
    expect(local.kind).toBe('local');

    const progress: LoadProgress[] = [];
    await local.load(MISTRAL, { onProgress: (report) => progress.push(report) });

    expect(engine.reloads).toEqual([MISTRAL]);
    expect(progress.map((report) => report.phase)).toEqual(['download', 'download', 'cache', 'shaders', 'finishing']);
    expect(progress[1]?.label).toMatch(/^Downloading the model: 973 of 3,892 MB/);
    expect(local.isLoaded).toBe(true);
    expect(local.model).toBe(MISTRAL);
  });

  test('a network failure is retried with backoff in a fresh worker, resuming the download', async () => {
    const factory = fakeFactory(
      new FakeWebLlmEngine({ progress: [PROGRESS.fetchFirst], outcome: { error: ERRORS.fetchFailed } }),
      new FakeWebLlmEngine({ outcome: { error: ERRORS.cacheAddFailed } }),
      new FakeWebLlmEngine({ progress: [PROGRESS.fetchDone, PROGRESS.finish], outcome: 'ok' }),
    );
    const delays: number[] = [];
    const local = new LocalEngine({
      createEngine: factory.create,
      retryDelayMs: (retry) => {
        delays.push(retry);
        return 0;
      },
    });
    const notices: RetryNotice[] = [];
    await local.load(MISTRAL, { onRetry: (notice) => notices.push(notice) });

    expect(local.isLoaded).toBe(true);
    expect(factory.engines).toHaveLength(3);
    expect(factory.terminated).toEqual([0, 1]);
    expect(delays).toEqual([1, 2]);
    expect(notices.map((notice) => [notice.attempt, notice.maxAttempts])).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  test('after three retries the download fails with "download-failed"', async () => {
    const failing = () => new FakeWebLlmEngine({ outcome: { error: ERRORS.fetchFailed } });
    const factory = fakeFactory(failing(), failing(), failing(), failing());
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
    const onRetry = vi.fn();

    const error = await rejection(local.load(MISTRAL, { onRetry }));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('download-failed');
    expect(onRetry).toHaveBeenCalledTimes(3);
    expect(factory.terminated).toEqual([0, 1, 2, 3]);
    expect(local.isLoaded).toBe(false);
  });

  test('a failure that a retry cannot fix is reported at once', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: { error: ERRORS.deviceLost } }));
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
    const error = await rejection(local.load(MISTRAL));
    expect((error as EngineError).kind).toBe('device-lost');
    expect(factory.engines).toHaveLength(1);
    expect(factory.terminated).toEqual([0]);
  });

  test('cancelling mid-download ends the worker and rejects with an AbortError; a new load starts afresh', async () => {
    const hanging = new FakeWebLlmEngine({ progress: [PROGRESS.start, PROGRESS.fetchFirst], outcome: 'hang' });
    const factory = fakeFactory(hanging, new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    const controller = new AbortController();
    const progress: LoadProgress[] = [];
    const loading = local.load(MISTRAL, {
      signal: controller.signal,
      onProgress: (report) => {
        progress.push(report);
        if (report.shardIndex === 1) controller.abort();
      },
    });

    expect(isAbortError(await rejection(loading))).toBe(true);
    expect(factory.terminated).toEqual([0]);
    expect(local.isLoaded).toBe(false);

    await local.load(MISTRAL);
    expect(local.isLoaded).toBe(true);
    expect(factory.engines).toHaveLength(2);
  });

  test('cancelling while waiting to retry stops the retries', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: { error: ERRORS.fetchFailed } }));
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 3_600_000 });
    const controller = new AbortController();
    const loading = local.load(MISTRAL, { signal: controller.signal, onRetry: () => controller.abort() });
    expect(isAbortError(await rejection(loading))).toBe(true);
    expect(factory.engines).toHaveLength(1);
  });

  test('an already aborted signal starts nothing', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    expect(isAbortError(await rejection(local.load(MISTRAL, { signal: AbortSignal.abort() })))).toBe(true);
    expect(factory.engines).toHaveLength(0);
  });

  test('a worker that dies while loading is reported instead of waiting forever', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: 'hang' }));
    const local = new LocalEngine({ createEngine: factory.create });
    const loading = local.load(MISTRAL);
    await vi.waitFor(() => expect(factory.engines).toHaveLength(1));
    const crash = new Error('The model worker stopped: its script failed to load');
    crash.name = WORKER_ERROR_NAME;
    factory.failWorker(0, crash);
    const error = (await rejection(loading)) as EngineError;
    expect(error.kind).toBe('model-library');
    expect(error.userMessage).toMatch(/stopped unexpectedly/);
    expect(factory.terminated).toEqual([0]);
  });

  test('loading the loaded model again does nothing; another model replaces it in a fresh worker', async () => {
    const first = new FakeWebLlmEngine(OK);
    const factory = fakeFactory(first, new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    await local.load(MISTRAL);
    await local.load(MISTRAL);
    expect(first.reloads).toEqual([MISTRAL]);

    await local.load('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(first.unloadCalls).toBe(1);
    expect(factory.terminated).toEqual([0]);
    expect(local.model).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
  });

  test('unload gives the GPU back: the model is unloaded and the worker ended', async () => {
    const { local, engine, factory } = await loadedEngine();
    await local.unload();
    expect(engine.unloadCalls).toBe(1);
    expect(factory.terminated).toEqual([0]);
    expect(local.isLoaded).toBe(false);
    expect(local.model).toBe('');
  });
});

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

/** The engine at the far end of a fake channel, as worker.ts serves MLCEngine and createWorkerEngine() reaches it. */
function connect(engine: FakeWebLlmEngine) {
  const channel = fakeMessageChannel<WorkerRequest, WorkerResponse>();
  serveEngine(engine, channel.worker);
  return { client: new WorkerEngineClient(channel.page), channel };
}

/** An Error as MLCEngine throws it in the worker, from the string WebLLM's own worker would have forwarded. */
function thrownInWorker(forwarded: string): Error {
  const [name = '', ...rest] = forwarded.split(': ');
  const error = new Error(rest.join(': '));
  error.name = name;
  return error;
}

async function chunksOf(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** What LocalEngine sends for {@link HELLO}. */
const BODY = toWebLlmRequest(
  [
    { role: 'system', content: '' },
    { role: 'user', content: 'Hello' },
  ],
  DEFAULT_SAMPLING,
);

describe('the worker protocol: WebLLM in the worker, the client in the page', () => {
  test('a load reports its progress from the worker and completes', async () => {
    const factory = workerProtocolFactory(
      new FakeWebLlmEngine({ progress: [PROGRESS.start, PROGRESS.fetchQuarter, PROGRESS.finish], outcome: 'ok' }),
    );
    const local = new LocalEngine({ createEngine: factory.create });
    const progress: LoadProgress[] = [];
    await local.load(MISTRAL, { onProgress: (report) => progress.push(report) });
    expect(factory.engines[0]?.reloads).toEqual([MISTRAL]);
    expect(progress.map((report) => report.phase)).toEqual(['download', 'download', 'finishing']);
    expect(local.isLoaded).toBe(true);
  });

  test('a reply streams chunk by chunk, with WebLLM’s measurements at the end', async () => {
    const factory = workerProtocolFactory(new FakeWebLlmEngine(OK, [{ tokens: ['Bon', 'jour'], promptTokens: 9 }]));
    const local = new LocalEngine({ createEngine: factory.create });
    await local.load(MISTRAL);
    const chunks = await collect(local.chat(HELLO, new AbortController().signal));
    expect(chunks.map((chunk) => chunk.delta ?? chunk.finishReason)).toEqual(['Bon', 'jour', 'stop']);
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 9, completionTokens: 2, timeToFirstTokenMs: 375 });
    expect(factory.engines[0]?.requests[0]).toEqual(BODY);
  });

  test('Stop reaches WebLLM in the worker, which reads its stream to the end before the next reply starts', async () => {
    const factory = workerProtocolFactory(
      new FakeWebLlmEngine(OK, [{ tokens: ['One', 'two', 'three'], stallAfter: 1 }, { tokens: ['Ok'] }]),
    );
    const local = new LocalEngine({ createEngine: factory.create });
    await local.load(MISTRAL);
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];
    for await (const chunk of local.chat(HELLO, controller.signal)) {
      chunks.push(chunk);
      if (chunk.delta === 'One') controller.abort();
    }
    expect(chunks).toEqual([{ delta: 'One' }, { finishReason: 'abort' }]);

    const next = await collect(local.chat(HELLO, new AbortController().signal));
    const engine = factory.engines[0]!;
    expect(engine.interruptCalls).toBeGreaterThanOrEqual(1);
    expect(engine.streamsFinished).toBe(2);
    expect(next[0]).toEqual({ delta: 'Ok' });
  });

  test('an interrupt that WebLLM drops (sent before its reply starts) is repeated by the worker until it ends', async () => {
    const engine = new FakeWebLlmEngine(OK, [{ tokens: ['One', 'two', 'three'], stallAfter: 1 }]);
    const { client, channel } = connect(engine);
    const stream = await client.chat.completions.create(BODY);
    client.interruptGenerate();
    // Only the worker can end this reply: nothing on the page interrupts it again.
    const chunks = await chunksOf(stream);
    expect(
      chunks.map((chunk) => chunk.choices[0]?.delta.content ?? chunk.choices[0]?.finish_reason ?? 'usage'),
    ).toEqual(['One', 'abort', 'usage']);
    expect(engine.streamsFinished).toBe(1);
    channel.close();
  });

  test('leaving a loop over the stream early stops the reply, and the worker still reads it to its end', async () => {
    const engine = new FakeWebLlmEngine(OK, [{ tokens: ['a', 'b', 'c'], stallAfter: 2 }, { tokens: ['next'] }]);
    const { client, channel } = connect(engine);
    for await (const chunk of await client.chat.completions.create(BODY)) {
      if (chunk.choices[0]?.delta.content === 'a') break;
    }
    await vi.waitFor(() => expect(engine.streamsFinished).toBe(1));
    expect(engine.interruptCalls).toBeGreaterThanOrEqual(1);
    // Nothing of the abandoned reply leaks into the next one.
    const next = await chunksOf(await client.chat.completions.create(BODY));
    expect(next[0]?.choices[0]?.delta.content).toBe('next');
    channel.close();
  });

  test('errors thrown in the worker arrive as "Name: message", whether WebLLM threw an Error or a string', async () => {
    const engine = new FakeWebLlmEngine({ outcome: { error: thrownInWorker(ERRORS.deviceLost) } }, [
      { tokens: ['a', 'b'], errorAt: { index: 1, error: ERRORS.contextWindow } },
    ]);
    const { client, channel } = connect(engine);

    const loadError = await rejection(client.reload(MISTRAL));
    expect(loadError).toBeInstanceOf(Error);
    expect(String(loadError)).toBe(ERRORS.deviceLost);

    const stream = (await client.chat.completions.create(BODY))[Symbol.asyncIterator]();
    expect((await stream.next()).value).toEqual(deltaChunk('a'));
    expect(String(await rejection(stream.next()))).toBe(ERRORS.contextWindow);
    channel.close();
  });

  test('through LocalEngine, a worker error becomes the EngineError the user reads', async () => {
    const factory = workerProtocolFactory(
      new FakeWebLlmEngine({ outcome: { error: thrownInWorker(ERRORS.shaderF16) } }),
    );
    const local = new LocalEngine({ createEngine: factory.create });
    const error = (await rejection(local.load(MISTRAL))) as EngineError;
    expect(error.kind).toBe('shader-f16-unsupported');
    expect(error.userMessage).toMatch(/Choose the q4f32_1 build/);
    expect(factory.terminated).toEqual([0]);
  });

  test('unload reaches WebLLM in the worker before the worker is ended', async () => {
    const factory = workerProtocolFactory(new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    await local.load(MISTRAL);
    await local.unload();
    expect(factory.engines[0]?.unloadCalls).toBe(1);
    expect(factory.terminated).toEqual([0]);
  });

  test('once the worker is gone, waiting requests and later ones fail instead of waiting forever', async () => {
    const { client, channel } = connect(new FakeWebLlmEngine({ outcome: 'hang' }));
    const loading = client.reload(MISTRAL);
    channel.close();
    const crash = new Error('The model worker stopped: out of memory');
    crash.name = WORKER_ERROR_NAME;
    client.close(crash);
    expect(await rejection(loading)).toBe(crash);
    expect(await rejection(client.unload())).toBe(crash);
  });
});
