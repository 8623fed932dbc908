import { describe, expect, test, vi } from 'vitest';
import {
  EngineError,
  type ChatChunk,
  type ChatRequest,
  type ChatTurn,
  type RetryNotice,
} from '../../../src/engines/types.js';
import { GpuResetError } from '../../../src/engines/webllm/errors.js';
import { LocalEngine, RESTART_REASON, type LocalEngineOptions } from '../../../src/engines/webllm/local-engine.js';
import { WorkerEngineClient } from '../../../src/engines/webllm/worker-client.js';
import { serveEngine, type WorkerRequest, type WorkerResponse } from '../../../src/engines/webllm/worker-protocol.js';
import { DEFAULT_SAMPLING } from '../../../src/domain/settings.js';
import { fakeMessageChannel } from '../messaging/fake-channel.js';
import { FakeWebLlmEngine, workerProtocolFactory, type ReplyScript } from './fake-webllm.js';
import { DEVICE_DESTROYED, ERRORS, MISTRAL, PROGRESS } from './fixtures.js';

const OK = { outcome: 'ok' } as const;

function request(messages: readonly ChatTurn[], onRetry?: (notice: RetryNotice) => void): ChatRequest {
  return { messages, params: { ...DEFAULT_SAMPLING, maxNewTokens: 512 }, ...(onRetry ? { onRetry } : {}) };
}

const HELLO = request([{ role: 'user', content: 'Hello' }]);

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function failure(stream: AsyncIterable<ChatChunk>, chunks: ChatChunk[] = []): Promise<EngineError> {
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected the reply to fail');
}

/** Engines behind the real worker protocol, one per worker, as createWorkerEngine() starts them. */
async function loaded(engines: FakeWebLlmEngine[], options: Omit<LocalEngineOptions, 'createEngine'> = {}) {
  const factory = workerProtocolFactory(...engines);
  const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0, ...options });
  await local.load(MISTRAL);
  return { local, factory };
}

describe('a GPU that runs out of memory or is reset', () => {
  test('during a load: WebLLM’s "already been disposed" is reported as a GPU reset, and a retry starts afresh', async () => {
    const factory = workerProtocolFactory(
      new FakeWebLlmEngine({
        progress: [PROGRESS.fetchDone, PROGRESS.cacheHalf],
        loseDevice: DEVICE_DESTROYED,
        outcome: { error: ERRORS.disposed },
      }),
      new FakeWebLlmEngine(OK),
    );
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });

    const error = await local.load(MISTRAL).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(GpuResetError);
    expect((error as GpuResetError).userMessage).toMatch(
      /^The GPU ran out of memory or was reset \(the browser said: destroyed, Device was destroyed\.\)/,
    );
    expect(factory.terminated).toEqual([0]);

    await local.load(MISTRAL);
    expect(factory.engines).toHaveLength(2);
    expect(local.isLoaded).toBe(true);
  });

  test('mid-reply: the partial text stays, the worker ends, and the next load builds a fresh engine', async () => {
    const { local, factory } = await loaded([
      new FakeWebLlmEngine(OK, [
        { tokens: ['One', 'two'], errorAt: { index: 1, error: ERRORS.disposed }, loseDevice: DEVICE_DESTROYED },
      ]),
      new FakeWebLlmEngine(OK, [{ tokens: ['Again'] }]),
    ]);
    const chunks: ChatChunk[] = [];
    const error = await failure(local.chat(HELLO, new AbortController().signal), chunks);

    expect(chunks).toEqual([{ delta: 'One' }]);
    expect(error.kind).toBe('device-lost');
    expect(error.userMessage).toContain('destroyed');
    expect(local.isLoaded).toBe(false);
    expect(factory.terminated).toEqual([0]);

    await local.load(MISTRAL);
    expect((await collect(local.chat(HELLO, new AbortController().signal)))[0]).toEqual({ delta: 'Again' });
  });

  test('the device WebLLM destroys when it unloads is not reported as a loss', async () => {
    const engine = new FakeWebLlmEngine(OK);
    engine.unload = async () => engine.loseDevice(DEVICE_DESTROYED);
    const channel = fakeMessageChannel<WorkerRequest, WorkerResponse>();
    serveEngine(engine, channel.worker, engine);
    const client = new WorkerEngineClient(channel.page);
    await client.reload(MISTRAL);
    await client.unload();
    expect(client.deviceLoss).toBeUndefined();

    await client.reload(MISTRAL);
    engine.loseDevice({ reason: 'unknown', message: 'The driver was reset.' });
    await vi.waitFor(() => expect(client.deviceLoss).toEqual({ reason: 'unknown', message: 'The driver was reset.' }));
  });
});

describe('Stop while a new reply waits for a stopped one', () => {
  /** A reply in its prefill: WebLLM cannot interrupt it, so it ends only when the prefill does. */
  const prefilling: ReplyScript = { tokens: ['late'], prefillMs: 5_000 };

  async function stopFirstReply(local: LocalEngine): Promise<void> {
    const first = new AbortController();
    const iterator = local.chat(HELLO, first.signal)[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    first.abort();
    expect(await pending).toEqual({ done: false, value: { finishReason: 'abort' } });
  }

  test('Stop on the waiting reply ends it at once', async () => {
    const { local } = await loaded([new FakeWebLlmEngine(OK, [prefilling])]);
    await stopFirstReply(local);

    const second = new AbortController();
    const waiting = collect(local.chat(HELLO, second.signal));
    await new Promise((resolve) => setTimeout(resolve, 10));
    second.abort();
    const started = Date.now();
    expect(await waiting).toEqual([{ finishReason: 'abort' }]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('a stopped reply that does not end in time: the worker is ended, the model reloaded, and the user told', async () => {
    const { local, factory } = await loaded(
      [new FakeWebLlmEngine(OK, [prefilling]), new FakeWebLlmEngine(OK, [{ tokens: ['Fresh'] }])],
      { stopTimeoutMs: 30 },
    );
    await stopFirstReply(local);

    const notices: RetryNotice[] = [];
    const chunks = await collect(
      local.chat(
        request(HELLO.messages, (notice) => notices.push(notice)),
        AbortSignal.timeout(2_000),
      ),
    );
    expect(notices.map((notice) => notice.reason)).toEqual([RESTART_REASON]);
    expect(factory.terminated).toEqual([0]);
    expect(factory.engines).toHaveLength(2);
    expect(chunks[0]).toEqual({ delta: 'Fresh' });
    expect(local.isLoaded).toBe(true);
  });
});

describe('unloading while a reply streams', () => {
  /** WebLLM answers the reply's next step with ModelNotLoadedError once it has begun to unload. */
  function unloadingEngine(): FakeWebLlmEngine {
    const engine = new FakeWebLlmEngine(OK, [
      { tokens: ['One', 'two'], errorAt: { index: 1, error: ERRORS.modelNotLoaded } },
    ]);
    engine.unload = () => new Promise((resolve) => setTimeout(resolve, 30));
    return engine;
  }

  test('switching model or deleting it ends the reply as stopped, not failed', async () => {
    const { local } = await loaded([unloadingEngine()]);
    const chunks: ChatChunk[] = [];
    for await (const chunk of local.chat(HELLO, new AbortController().signal)) {
      chunks.push(chunk);
      if (chunk.delta === 'One') void local.unload();
    }
    expect(chunks).toEqual([{ delta: 'One' }, { finishReason: 'abort' }]);
  });

  test('an unload with a reason (another tab took the GPU) fails the reply with that reason', async () => {
    const { local } = await loaded([unloadingEngine()]);
    const reason = new EngineError('model-in-use', 'Another tab took the model over.');
    const chunks: ChatChunk[] = [];
    const stream = (async function* () {
      for await (const chunk of local.chat(HELLO, new AbortController().signal)) {
        if (chunk.delta === 'One') void local.unload(reason);
        yield chunk;
      }
    })();
    expect(await failure(stream, chunks)).toBe(reason);
    expect(chunks).toEqual([{ delta: 'One' }]);
  });
});

describe('a prompt WebLLM counts as longer than the context window', () => {
  const long = '1234567890 '.repeat(400);
  const history = request([
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: long },
    { role: 'assistant', content: long },
    { role: 'user', content: 'And the total?' },
  ]);

  test('is trimmed again with WebLLM’s own count and sent once more', async () => {
    const engine = new FakeWebLlmEngine(OK, [
      { tokens: ['unused'], errorAt: { index: 0, error: ERRORS.contextWindow } },
      { tokens: ['42'] },
    ]);
    const { local } = await loaded([engine]);
    const chunks = await collect(local.chat(history, new AbortController().signal));

    expect(engine.requests[0]?.messages).toHaveLength(4);
    expect(engine.requests[1]?.messages).toEqual([
      { role: 'system', content: 'Be brief.\n\n' },
      { role: 'user', content: 'And the total?' },
    ]);
    expect(chunks.slice(0, 2)).toEqual([{ omittedTurns: 2 }, { delta: '42' }]);
  });

  test('refused twice, it tells the user', async () => {
    const refused = { tokens: ['unused'], errorAt: { index: 0, error: ERRORS.contextWindow } };
    const { local } = await loaded([new FakeWebLlmEngine(OK, [refused, refused])]);
    const error = await failure(local.chat(history, new AbortController().signal));
    expect(error.kind).toBe('context-window');
    expect(error.userMessage).toMatch(/too long for the local model/);
  });
});

describe('the system prompt', () => {
  test('ends with a blank line, as in the Hugging Face template; an empty one stays empty', async () => {
    const engine = new FakeWebLlmEngine(OK, [{ tokens: [] }, { tokens: [] }]);
    const { local } = await loaded([engine]);
    await collect(
      local.chat(
        request([{ role: 'system', content: 'Be brief.\n' }, ...HELLO.messages]),
        new AbortController().signal,
      ),
    );
    await collect(local.chat(HELLO, new AbortController().signal));
    expect(engine.requests.map((sent) => sent.messages[0])).toEqual([
      { role: 'system', content: 'Be brief.\n\n' },
      { role: 'system', content: '' },
    ]);
  });
});
