import { describe, expect, test, vi } from 'vitest';
import {
  ByteBatcher,
  serveFetch,
  type Clock,
  type FetchWorkerRequest,
  type FetchWorkerResponse,
} from '../../../src/engines/hf/fetch-protocol.js';
import { onMessage } from '../../../src/messaging/endpoint.js';
import { UNREADABLE_ERROR_MESSAGE } from '../../../src/messaging/error-codec.js';
import { createHostedEngine } from '../../../src/engines/hf/hosted-engine.js';
import { createWorkerFetch, type FetchChannel } from '../../../src/engines/hf/worker-fetch.js';
import { EngineError, type ChatChunk, type ChatRequest, type RetryNotice } from '../../../src/engines/types.js';
import {
  deltaEvent,
  fakeServer,
  finishEvent,
  jsonError,
  networkFailure,
  openStream,
  sse,
  type Reply,
  type StreamHandle,
} from './fake-openai.js';
import { fakeMessageChannel } from '../messaging/fake-channel.js';

const PAGE_ORIGIN = 'https://chat.example.org';
const TOKEN = 'hf_secretTokenValue123456';

const REQUEST: ChatRequest = {
  messages: [{ role: 'user', content: 'Hello' }],
  params: { temperature: 0.7, topP: 0.95, maxNewTokens: 64, repetitionPenalty: 1, seed: null },
};

const REPLY = sse([
  deltaEvent('Yes'),
  deltaEvent(', I am'),
  deltaEvent(' here.'),
  finishEvent('stop', { prompt_tokens: 21, completion_tokens: 5 }),
]);

/**
 * A worker in this thread: `serveFetch` over `network` at one end of a fake channel (structured clones, with their
 * transfer lists, delivered later as tasks of their own, as between a page and its worker), the page's
 * `FetchChannel` at the other.
 */
function inProcessWorker(network: typeof fetch) {
  const started: { stop(error: Error): void }[] = [];
  const connect = async (): Promise<FetchChannel> => {
    const channel = fakeMessageChannel<FetchWorkerRequest, FetchWorkerResponse>();
    const failures: ((error: Error) => void)[] = [];
    serveFetch(channel.worker, { fetch: network, pageOrigin: PAGE_ORIGIN });
    started.push({
      stop: (error) => {
        channel.close();
        for (const failure of failures) failure(error);
      },
    });
    return {
      post: (message) => channel.page.postMessage(message),
      onMessage: (listener) => onMessage(channel.page, listener),
      onFailure: (listener) => failures.push(listener),
    };
  };
  return { connect, started };
}

function engineOverWorker(replies: Reply[], settings: { endpointUrl?: string } = {}) {
  const server = fakeServer(...replies);
  const worker = inProcessWorker(server.fetch);
  const pageFetch = vi.fn<typeof fetch>();
  const engine = createHostedEngine({
    hfToken: TOKEN,
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    endpointUrl: settings.endpointUrl ?? '',
    provider: 'huggingface',
    endpointKeys: {},
    fetch: createWorkerFetch({ connect: worker.connect, fallback: pageFetch }),
    sleep: async () => undefined,
    random: () => 0.5,
    isOnline: () => true,
    pageOrigin: PAGE_ORIGIN,
  });
  return { engine, server, worker, pageFetch };
}

async function collect(iterable: AsyncIterable<ChatChunk>): Promise<{ chunks: ChatChunk[]; error?: EngineError }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of iterable) chunks.push(chunk);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { chunks, error };
  }
  return { chunks };
}

const textOf = (chunks: readonly ChatChunk[]): string => chunks.map((chunk) => chunk.delta ?? '').join('');

describe('the hosted engine with its stream read in a worker', () => {
  test('gets the same reply as when it reads on the page', async () => {
    const { engine, server, pageFetch } = engineOverWorker([REPLY]);

    const { chunks, error } = await collect(engine.chat(REQUEST, new AbortController().signal));

    expect(error).toBeUndefined();
    expect(textOf(chunks)).toBe('Yes, I am here.');
    expect(chunks.at(-1)).toEqual({ finishReason: 'stop', usage: { promptTokens: 21, completionTokens: 5 } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0]?.body).toMatchObject({ model: 'mistralai/Mistral-7B-Instruct-v0.3', stream: true });
    expect((server.requests[0]?.body['messages'] as unknown[]).at(-1)).toEqual({ role: 'user', content: 'Hello' });
    expect(pageFetch).not.toHaveBeenCalled();
  });

  test('a batch of text deltas reaches the page as one: the engine yields its text once, the finish as sent', async () => {
    const { engine } = engineOverWorker([REPLY]);

    const { chunks } = await collect(engine.chat(REQUEST, new AbortController().signal));

    expect(chunks.filter((chunk) => chunk.delta !== undefined)).toEqual([{ delta: 'Yes, I am here.' }]);
    expect(chunks.at(-1)).toEqual({ finishReason: 'stop', usage: { promptTokens: 21, completionTokens: 5 } });
  });

  test("gets the server's status, headers and error body: failures are told apart as before", async () => {
    const notices: RetryNotice[] = [];
    const { engine, server } = engineOverWorker([
      jsonError(503, { error: 'Model is currently loading', estimated_time: 20 }, { 'Retry-After': '7' }),
      jsonError(401, { error: 'Invalid credentials in Authorization header' }),
    ]);

    const { error } = await collect(
      engine.chat({ ...REQUEST, onRetry: (notice) => notices.push(notice) }, new AbortController().signal),
    );

    expect(notices.map((notice) => notice.delayMs)).toEqual([7000]);
    expect(error?.kind).toBe('token-invalid');
    expect(server.requests).toHaveLength(2);
  });

  test('a network or CORS failure in the worker is a network error, as on the page', async () => {
    const { engine } = engineOverWorker([networkFailure()], { endpointUrl: 'http://localhost:8080' });

    const { error } = await collect(engine.chat(REQUEST, new AbortController().signal));

    expect(error?.kind).toBe('network');
    expect(error?.userMessage).toContain('CORS');
  });

  test('Stop closes the connection the worker holds and keeps the partial reply', async () => {
    const handle: StreamHandle = { closedByAbort: false };
    const { engine, server } = engineOverWorker([openStream([deltaEvent('Once'), deltaEvent(' upon')], handle)]);
    const stop = new AbortController();
    const chunks: ChatChunk[] = [];

    for await (const chunk of engine.chat(REQUEST, stop.signal)) {
      chunks.push(chunk);
      if (textOf(chunks) === 'Once upon') stop.abort();
    }

    expect(chunks.at(-1)).toEqual({ finishReason: 'abort' });
    expect(textOf(chunks)).toBe('Once upon');
    await vi.waitFor(() => expect(handle.closedByAbort).toBe(true));
    expect(server.requests[0]?.signal?.aborted).toBe(true);
  });

  test('a worker that stops mid-reply fails it like a dropped connection; the next reply starts a new worker', async () => {
    const handle: StreamHandle = { closedByAbort: false };
    const { engine, worker } = engineOverWorker([openStream([deltaEvent('Half')], handle), REPLY]);
    const chunks: ChatChunk[] = [];
    let error: unknown;
    try {
      for await (const chunk of engine.chat(REQUEST, new AbortController().signal)) {
        chunks.push(chunk);
        worker.started[0]?.stop(new TypeError('The network worker stopped: it crashed'));
      }
    } catch (caught) {
      error = caught;
    }

    expect(textOf(chunks)).toBe('Half');
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('stream-error');
    const next = await collect(engine.chat(REQUEST, new AbortController().signal));
    expect(textOf(next.chunks)).toBe('Yes, I am here.');
    expect(worker.started).toHaveLength(2);
  });
});

describe('createWorkerFetch', () => {
  test('gives a real Response, asks for no Referer, and passes credentials on', async () => {
    const network = vi.fn<typeof fetch>(
      async () => new Response('{"ok":true}', { status: 201, statusText: 'Created', headers: { 'X-Id': '7' } }),
    );
    const workerFetch = createWorkerFetch({ connect: inProcessWorker(network).connect });

    const response = await workerFetch('https://api.example/v1/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"q":1}',
      credentials: 'include',
    });

    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('X-Id')).toBe('7');
    expect(await response.json()).toEqual({ ok: true });
    const [url, init] = network.mock.calls[0] ?? [];
    expect(url).toBe('https://api.example/v1/x');
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"q":1}',
      credentials: 'include',
      referrerPolicy: 'no-referrer',
    });
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
  });

  test.each([
    ['http://192.168.1.20:8080/v1/chat/completions', false],
    ['ftp://example.com/x', false],
    ['https://router.huggingface.co/v1/chat/completions', true],
    ['http://localhost:8080/v1/chat/completions', true],
    ['http://127.0.0.1:11434/v1/chat/completions', true],
    [`${PAGE_ORIGIN}/manifest.webmanifest`, true],
  ])('%s: made from the worker only if the page CSP would allow it (%s)', async (url, allowed) => {
    const network = vi.fn<typeof fetch>(async () => new Response('ok'));
    const workerFetch = createWorkerFetch({ connect: inProcessWorker(network).connect });

    const outcome = await workerFetch(url).then(
      (response) => response.text(),
      (error: unknown) => error,
    );

    if (allowed) expect(outcome).toBe('ok');
    else expect(outcome).toBeInstanceOf(TypeError);
    expect(network).toHaveBeenCalledTimes(allowed ? 1 : 0);
  });

  test('an abort before the answer rejects with the signal’s reason and aborts the request in the worker', async () => {
    let networkSignal: AbortSignal | undefined;
    const network = vi.fn<typeof fetch>(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          networkSignal = init?.signal ?? undefined;
          networkSignal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const workerFetch = createWorkerFetch({ connect: inProcessWorker(network).connect });
    const stop = new AbortController();

    const pending = workerFetch('https://api.example/slow', { signal: stop.signal });
    await vi.waitFor(() => expect(network).toHaveBeenCalled());
    stop.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(networkSignal?.aborted).toBe(true));
  });

  test('where no worker can start, and for requests it cannot carry, the page’s own fetch is used', async () => {
    const pageFetch = vi.fn<typeof fetch>(async () => new Response('from the page'));
    const network = vi.fn<typeof fetch>(async () => new Response('from the worker'));
    const noWorker = createWorkerFetch({ connect: () => Promise.reject(new Error('no workers')), fallback: pageFetch });
    const withWorker = createWorkerFetch({ connect: inProcessWorker(network).connect, fallback: pageFetch });

    expect(await (await noWorker('https://api.example/a')).text()).toBe('from the page');
    expect(await (await withWorker(new Request('https://api.example/b'))).text()).toBe('from the page');
    const form = new FormData();
    form.set('a', 'b');
    expect(await (await withWorker('https://api.example/c', { method: 'POST', body: form })).text()).toBe(
      'from the page',
    );
    expect(await (await withWorker('https://api.example/d')).text()).toBe('from the worker');
  });
});

describe('createWorkerFetch, against a worker that misbehaves', () => {
  /** A worker the test plays by hand: it sees each request and says whatever the test makes it say. */
  function handPlayedWorker() {
    const sent: FetchWorkerRequest[] = [];
    let say: (message: FetchWorkerResponse) => void = () => undefined;
    let die: (error: Error) => void = () => undefined;
    const workerFetch = createWorkerFetch({
      connect: async () => ({
        post: (message) => sent.push(message),
        onMessage: (listener) => (say = listener),
        onFailure: (listener) => (die = listener),
      }),
    });
    return {
      workerFetch,
      sent,
      say: (message: unknown) => say(message as FetchWorkerResponse),
      die: (error: Error) => die(error),
    };
  }

  test('answers for ids it never sent change nothing; the real answer still arrives', async () => {
    const { workerFetch, sent, say } = handPlayedWorker();
    const pending = workerFetch('https://api.example/x');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    const { id } = sent[0]!;

    say({ id: id + 7, type: 'head', status: 500, statusText: 'No', headers: [] });
    say({ id: id + 7, type: 'error', error: { name: 'TypeError', message: 'stray' } });
    say({ id, type: 'head', status: 200, statusText: 'OK', headers: [] });
    say({ id, type: 'body', bytes: new TextEncoder().encode('fine') });
    say({ id, type: 'end' });

    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('fine');
  });

  test('an error whose payload is malformed still fails the request, with a message that says so', async () => {
    const { workerFetch, sent, say } = handPlayedWorker();
    const pending = workerFetch('https://api.example/x');
    await vi.waitFor(() => expect(sent).toHaveLength(1));

    say({ id: sent[0]!.id, type: 'error', error: null });

    await expect(pending).rejects.toThrow(UNREADABLE_ERROR_MESSAGE);
  });

  test('a worker that dies before the answer fails every request waiting as a dropped connection would', async () => {
    const { workerFetch, sent, die } = handPlayedWorker();
    const first = workerFetch('https://api.example/a');
    const second = workerFetch('https://api.example/b');
    await vi.waitFor(() => expect(sent).toHaveLength(2));

    die(new TypeError('The network worker stopped: it crashed'));

    await expect(first).rejects.toBeInstanceOf(TypeError);
    await expect(second).rejects.toThrow('The network worker stopped: it crashed');
  });
});

describe('ByteBatcher', () => {
  function manualClock() {
    let now = 0;
    const timers: { at: number; run: () => void }[] = [];
    const clock: Clock = {
      now: () => now,
      setTimeout: (run, ms) => {
        const timer = { at: now + ms, run };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        const index = timers.indexOf(handle as (typeof timers)[number]);
        if (index >= 0) timers.splice(index, 1);
      },
    };
    const advanceTo = (time: number): void => {
      now = time;
      for (const timer of timers.filter((pending) => pending.at <= time)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
    };
    return { clock, advanceTo };
  }

  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const decoder = new TextDecoder();

  test('passes a read on at once after a quiet interval, and joins the reads that come sooner', () => {
    const { clock, advanceTo } = manualClock();
    const sent: [number, string][] = [];
    const batcher = new ByteBatcher((joined) => sent.push([clock.now(), decoder.decode(joined)]), 50, clock);

    batcher.push(bytes('a'));
    advanceTo(10);
    batcher.push(bytes('b'));
    advanceTo(30);
    batcher.push(bytes('c'));
    advanceTo(50);
    advanceTo(200);
    batcher.push(bytes('d'));

    expect(sent).toEqual([
      [0, 'a'],
      [50, 'bc'],
      [200, 'd'],
    ]);
  });

  test('flush sends what waits now; discard drops it', () => {
    const { clock, advanceTo } = manualClock();
    const sent: string[] = [];
    const batcher = new ByteBatcher((joined) => sent.push(decoder.decode(joined)), 50, clock);

    batcher.push(bytes('1'));
    batcher.push(bytes('2'));
    batcher.flush();
    batcher.push(bytes('3'));
    batcher.discard();
    advanceTo(1000);

    expect(sent).toEqual(['1', '2']);
  });
});
