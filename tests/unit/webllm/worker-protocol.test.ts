/** The worker protocol: WebLLM served in the worker, reached by the client in the page over a message channel. */
import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { describe, expect, test, vi } from 'vitest';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { toWebLlmRequest } from '../../../src/engines/webllm/webllm-request.js';
import { WorkerEngineClient } from '../../../src/engines/webllm/worker-client.js';
import { serveEngine, type WorkerRequest, type WorkerResponse } from '../../../src/engines/webllm/worker-protocol.js';
import { EngineError, type ChatChunk } from '../../../src/engines/types.js';
import type { LoadProgress } from '../../../src/engines/webllm/progress.js';
import { DEFAULT_SAMPLING } from '../../../src/domain/settings.js';
import { WORKER_ERROR_NAME } from '../../../src/engines/webllm/errors.js';
import { deltaChunk, ERRORS, MISTRAL, PROGRESS } from './fixtures.js';
import { fakeMessageChannel } from '../messaging/fake-channel.js';
import { FakeWebLlmEngine, workerProtocolFactory } from './fake-webllm.js';
import { OK, HELLO, collect, rejection } from './local-engine-harness.js';

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

  test('a fast reply crosses in batches: the first chunk at once, the rest together, all of them before done', async () => {
    const engine = new FakeWebLlmEngine(OK, [{ tokens: ['One', ' two', ' three'] }]);
    const posted: WorkerResponse[] = [];
    const listeners: ((event: MessageEvent) => void)[] = [];
    // A clock that never moves and timers that never fire: only the end of the reply passes on what waits.
    const stillClock = { now: () => 1_000, setTimeout: () => 1, clearTimeout: () => undefined };
    serveEngine(
      engine,
      {
        postMessage: (response) => posted.push(response),
        addEventListener: (_type, listener) => listeners.push(listener),
      },
      undefined,
      stillClock,
    );
    const request: WorkerRequest = { id: 7, type: 'chat', request: BODY };
    listeners.forEach((listener) => listener({ data: request } as MessageEvent));

    await expect.poll(() => posted.at(-1)?.type).toBe('done');
    const batches = posted.flatMap((response) =>
      response.type === 'chunks' ? [response.chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '.')] : [],
    );
    // WebLLM ends a reply with two chunks without text: its finish reason, then its usage.
    expect(batches).toEqual([['One'], [' two', ' three', '.', '.']]);
    expect(posted.map((response) => response.type)).toEqual(['chunks', 'chunks', 'done']);
  });
});
