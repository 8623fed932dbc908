/** The hosted engine when things go wrong: HTTP errors, retries while the model loads, broken streams, no network. */
import { describe, expect, test } from 'vitest';
import type { ChatChunk, RetryNotice } from '../../../src/engines/types.js';
import {
  deltaEvent,
  finishEvent,
  jsonError,
  networkFailure,
  openStream,
  sse,
  textError,
  type StreamHandle,
} from './fake-openai.js';
import { TOKEN, setup, request, collect, firstRequest, REPLY } from './hosted-engine-harness.js';

describe('HTTP failures', () => {
  test.each([
    [401, { error: 'Invalid credentials in Authorization header' }, 'token-invalid'],
    [402, { error: 'You have exceeded your monthly included credits for Inference Providers.' }, 'credits-exhausted'],
    [
      403,
      { error: 'This authentication method does not have sufficient permissions to call Inference Providers' },
      'forbidden',
    ],
    [404, { error: 'Model not found' }, 'not-found'],
    [
      400,
      {
        error: {
          message: "The requested model 'x/y' is not supported by any provider you have enabled.",
          code: 'model_not_supported',
        },
      },
      'model-unsupported',
    ],
    [
      422,
      { error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32768. Given: 32000 + 1000' },
      'too-long',
    ],
    [429, { error: 'Rate limit reached' }, 'rate-limited'],
  ])('%i is reported as the right kind, after one request, without the token', async (status, body, kind) => {
    const { engine, requests } = setup({}, jsonError(status, body));

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe(kind);
    expect(error?.status).toBe(status);
    expect(error?.userMessage).not.toContain(TOKEN);
    expect(requests).toHaveLength(1);
  });

  test('a 403 for a gated model says to accept its licence on the model page', async () => {
    const { engine } = setup(
      {},
      jsonError(403, {
        error:
          'Access to model mistralai/Mistral-7B-Instruct-v0.3 is restricted and you are not in the authorized list.',
      }),
    );

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe('gated');
    expect(error?.userMessage).toContain('https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3');
  });

  test('a 402 says how to get more credits', async () => {
    const { engine } = setup({}, jsonError(402, { error: 'Payment required' }));

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.userMessage).toMatch(/PRO/);
    expect(error?.userMessage).toContain('https://huggingface.co/settings/billing');
  });
});

describe('bounded retries while the model loads', () => {
  const loading = jsonError(503, { error: 'Model mistralai/Mistral-7B-Instruct-v0.3 is currently loading' });

  test('retries 503 three times with growing waits, announced, then reports unavailable', async () => {
    const notices: RetryNotice[] = [];
    const { engine, requests, delays } = setup({}, loading);

    const { error } = await collect(
      engine.chat(request({ onRetry: (notice) => notices.push(notice) }), new AbortController().signal),
    );

    expect(error?.kind).toBe('unavailable');
    expect(requests).toHaveLength(4);
    expect(delays).toEqual([2000, 4000, 8000]);
    expect(notices).toEqual([
      { attempt: 1, maxAttempts: 3, delayMs: 2000, reason: 'model loading' },
      { attempt: 2, maxAttempts: 3, delayMs: 4000, reason: 'model loading' },
      { attempt: 3, maxAttempts: 3, delayMs: 8000, reason: 'model loading' },
    ]);
  });

  test('a 503 then a stream succeeds', async () => {
    const { engine, requests } = setup({}, loading, REPLY);

    const { text, error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error).toBeUndefined();
    expect(text).toBe('Yes, I am here.');
    expect(requests).toHaveLength(2);
  });

  test('502 and 504 without a JSON body are retried too', async () => {
    const { engine, requests } = setup({}, textError(502, '<html>Bad Gateway</html>'), textError(504, ''), REPLY);

    const { text } = await collect(engine.chat(request(), new AbortController().signal));

    expect(text).toBe('Yes, I am here.');
    expect(requests).toHaveLength(3);
  });

  test("honours the server's hint within bounds", async () => {
    const { engine, delays } = setup(
      {},
      jsonError(503, { error: 'busy' }, { 'Retry-After': '5' }),
      jsonError(503, { error: 'Model is currently loading', estimated_time: 240 }),
      REPLY,
    );

    await collect(engine.chat(request(), new AbortController().signal));

    expect(delays).toEqual([5000, 20000]);
  });

  test.each([
    ['as the wait is announced', (abort: () => void) => abort()],
    ['while waiting', (abort: () => void) => queueMicrotask(abort)],
  ])('aborting %s stops at once, with no further request', async (_when, abortFrom) => {
    const controller = new AbortController();
    // The real, timer-based wait: a 20 s hint, so a wait that ignored the signal would time the test out.
    const { engine, requests } = setup(
      { sleep: undefined },
      jsonError(503, { error: 'busy' }, { 'Retry-After': '20' }),
      REPLY,
    );

    const { chunks, error } = await collect(
      engine.chat(request({ onRetry: () => abortFrom(() => controller.abort()) }), controller.signal),
    );

    expect(error).toBeUndefined();
    expect(chunks).toEqual([{ finishReason: 'abort' }]);
    expect(requests).toHaveLength(1);
  });

  test('does not retry other failures', async () => {
    const { engine, requests } = setup({}, jsonError(500, { error: 'CUDA out of memory' }));

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe('server-error');
    expect(error?.userMessage).toContain('CUDA out of memory');
    expect(requests).toHaveLength(1);
  });
});

describe('stopping and broken streams', () => {
  test('abort mid-stream closes the connection, keeps the partial deltas and ends with an abort chunk', async () => {
    const handle: StreamHandle = { closedByAbort: false };
    const { engine, requests } = setup({}, openStream([deltaEvent('Once'), deltaEvent(' upon')], handle));
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];

    for await (const chunk of engine.chat(request(), controller.signal)) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }

    expect(chunks).toEqual([{ delta: 'Once' }, { delta: ' upon' }, { finishReason: 'abort' }]);
    expect(handle.closedByAbort).toBe(true);
    expect(firstRequest(requests).signal?.aborted).toBe(true);
  });

  test('leaving the loop early closes the connection too', async () => {
    const handle: StreamHandle = { closedByAbort: false };
    const { engine } = setup({}, openStream([deltaEvent('Once'), deltaEvent(' upon')], handle));

    for await (const chunk of engine.chat(request(), new AbortController().signal)) {
      if (chunk.delta !== undefined) break;
    }

    expect(handle.closedByAbort).toBe(true);
  });

  test('an already aborted signal makes no request', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, requests } = setup({}, REPLY);

    const { chunks } = await collect(engine.chat(request(), controller.signal));

    expect(chunks).toEqual([{ finishReason: 'abort' }]);
    expect(requests).toHaveLength(0);
  });

  test('an error event mid-stream is a stream-error after the partial deltas', async () => {
    const { engine, requests } = setup(
      {},
      sse([
        deltaEvent('Half'),
        deltaEvent(' a'),
        { error: 'Request failed during generation: Server error: CUDA error' },
      ]),
    );

    const { text, error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(text).toBe('Half a');
    expect(error?.kind).toBe('stream-error');
    expect(error?.userMessage).toContain('CUDA error');
    expect(requests).toHaveLength(1);
  });

  test('a length finish is reported as such', async () => {
    const { engine } = setup({}, sse([deltaEvent('Lorem'), finishEvent('length')]));

    const { chunks } = await collect(engine.chat(request(), new AbortController().signal));

    expect(chunks.at(-1)).toEqual({ finishReason: 'length' });
  });
});

describe('network failures', () => {
  test('the router unreachable', async () => {
    const { engine } = setup({}, networkFailure());

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe('network');
    expect(error?.userMessage).toContain('Could not reach Hugging Face');
  });

  test('a custom endpoint unreachable or without CORS', async () => {
    const { engine } = setup(
      { endpointUrl: 'http://localhost:8080', pageOrigin: 'https://chat.example.org' },
      networkFailure(),
    );

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe('network');
    expect(error?.userMessage).toContain('http://localhost:8080');
    expect(error?.userMessage).toContain('CORS');
    expect(error?.userMessage).toContain('https://chat.example.org');
  });

  test('offline', async () => {
    const { engine } = setup({ isOnline: () => false }, networkFailure());

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe('network');
    expect(error?.userMessage).toMatch(/^You are offline/);
  });

  test('a client that cannot be loaded is a network error, and is loaded again next time', async () => {
    let loads = 0;
    const { engine } = setup(
      {
        loadClient: async () => {
          loads += 1;
          if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
          return import('../../../src/engines/hf/client.js');
        },
      },
      REPLY,
    );

    const first = await collect(engine.chat(request(), new AbortController().signal));
    const second = await collect(engine.chat(request(), new AbortController().signal));

    expect(first.error?.kind).toBe('network');
    expect(second.text).toBe('Yes, I am here.');
  });
});
