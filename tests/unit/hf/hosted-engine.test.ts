import { describe, expect, test } from 'vitest';
import { createHostedEngine, type HostedEngineConfig } from '../../../src/engines/hf/hosted-engine.js';
import {
  EngineError,
  type ChatChunk,
  type ChatRequest,
  type ChatTurn,
  type RetryNotice,
} from '../../../src/engines/types.js';
import type { SamplingParams } from '../../../src/domain/generation.js';
import {
  deltaEvent,
  fakeServer,
  finishEvent,
  jsonError,
  networkFailure,
  openStream,
  sse,
  textError,
  type Reply,
  type StreamHandle,
} from './fake-openai.js';

const TOKEN = 'hf_secretTokenValue123456';
const ROUTER_URL = 'https://router.huggingface.co/v1/chat/completions';

const SAMPLING: SamplingParams = { temperature: 0.7, topP: 0.95, maxNewTokens: 256, repetitionPenalty: 1, seed: null };

const HISTORY: ChatTurn[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hello' },
  { role: 'assistant', content: '' },
  { role: 'user', content: 'Are you there?' },
];

function setup(settings: Partial<HostedEngineConfig>, ...replies: Reply[]) {
  const server = fakeServer(...replies);
  const delays: number[] = [];
  const engine = createHostedEngine({
    hfToken: TOKEN,
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    endpointUrl: '',
    provider: 'huggingface',
    endpointKeys: {},
    fetch: server.fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    isOnline: () => true,
    ...settings,
  });
  return { engine, requests: server.requests, delays };
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: HISTORY, params: SAMPLING, ...overrides };
}

async function collect(
  iterable: AsyncIterable<ChatChunk>,
): Promise<{ chunks: ChatChunk[]; text: string; error?: EngineError }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of iterable) chunks.push(chunk);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { chunks, text: chunks.map((chunk) => chunk.delta ?? '').join(''), error };
  }
  return { chunks, text: chunks.map((chunk) => chunk.delta ?? '').join('') };
}

function firstRequest<T>(requests: T[]): T {
  const first = requests[0];
  if (first === undefined) throw new Error('no request was made');
  return first;
}

const REPLY = sse([
  deltaEvent('Yes'),
  deltaEvent(', I am'),
  deltaEvent(' here.'),
  finishEvent('stop', { prompt_tokens: 21, completion_tokens: 5 }),
]);

describe('streaming from the Hugging Face router', () => {
  test('delivers the deltas in order, then the finish reason and token usage', async () => {
    const { engine, requests } = setup({}, REPLY);

    const { chunks, text, error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error).toBeUndefined();
    expect(text).toBe('Yes, I am here.');
    expect(chunks.filter((chunk) => chunk.delta !== undefined).map((chunk) => chunk.delta)).toEqual([
      'Yes',
      ', I am',
      ' here.',
    ]);
    expect(chunks.at(-1)).toEqual({ finishReason: 'stop', usage: { promptTokens: 21, completionTokens: 5 } });
    expect(requests).toHaveLength(1);
  });

  test('posts the normalised conversation and sampling to the router with the token', async () => {
    const { engine, requests } = setup({ model: 'mistralai/Mistral-7B-Instruct-v0.3:featherless-ai' }, REPLY);

    await collect(
      engine.chat(request({ params: { ...SAMPLING, seed: 42, repetitionPenalty: 1.3 } }), new AbortController().signal),
    );

    const sent = firstRequest(requests);
    expect(sent.url).toBe(ROUTER_URL);
    expect(sent.method).toBe('POST');
    expect(sent.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent.body).toMatchObject({
      model: 'mistralai/Mistral-7B-Instruct-v0.3:featherless-ai',
      stream: true,
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 256,
      seed: 42,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello\n\nAre you there?' },
      ],
    });
    expect(sent.body).not.toHaveProperty('repetition_penalty');
  });

  test('sends no seed when none is set, and no top_p when it filters nothing', async () => {
    const { engine, requests } = setup({}, REPLY);

    await collect(engine.chat(request({ params: { ...SAMPLING, topP: 1 } }), new AbortController().signal));

    expect(firstRequest(requests).body).not.toHaveProperty('seed');
    expect(firstRequest(requests).body).not.toHaveProperty('top_p');
  });

  test('loads the client on first use only, once for many replies', async () => {
    let loads = 0;
    const { engine } = setup(
      {
        loadClient: async () => {
          loads += 1;
          return import('../../../src/engines/hf/client.js');
        },
      },
      REPLY,
    );
    expect(loads).toBe(0);

    await collect(engine.chat(request(), new AbortController().signal));
    await collect(engine.chat(request(), new AbortController().signal));

    expect(loads).toBe(1);
  });
});

describe('settings refused before any request', () => {
  test.each([
    ['', 'token-missing'],
    ['   ', 'token-missing'],
    ['abc123', 'token-format'],
  ])('token %j is refused as %s, saying where to get one', async (hfToken, kind) => {
    const { engine, requests } = setup({ hfToken }, REPLY);

    const { error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error?.kind).toBe(kind);
    expect(error?.userMessage).toContain('https://huggingface.co/settings/tokens');
    expect(error?.userMessage).toContain('Make calls to Inference Providers');
    if (hfToken.trim() !== '') expect(error?.userMessage).not.toContain(hfToken);
    expect(requests).toHaveLength(0);
  });

  test.each(['ftp://example.com', 'localhost:8080', 'not a url', 'http://user:pass@example.com'])(
    'endpoint %j is refused as invalid-endpoint',
    async (endpointUrl) => {
      const { engine, requests } = setup({ endpointUrl }, REPLY);

      const { error } = await collect(engine.chat(request(), new AbortController().signal));

      expect(error?.kind).toBe('invalid-endpoint');
      expect(error?.userMessage).toMatch(/http:\/\/|https:\/\//);
      expect(requests).toHaveLength(0);
    },
  );

  test('a conversation with nothing to answer is refused', async () => {
    const { engine, requests } = setup({}, REPLY);

    const { error } = await collect(
      engine.chat(request({ messages: [{ role: 'system', content: 'Be brief.' }] }), new AbortController().signal),
    );

    expect(error?.kind).toBe('bad-request');
    expect(requests).toHaveLength(0);
  });
});

describe('custom OpenAI-compatible endpoints', () => {
  test.each([
    'http://localhost:8080',
    'http://localhost:8080/',
    ' http://localhost:8080/v1 ',
    'http://localhost:8080/v1/',
    'http://localhost:8080/v1/chat/completions',
    'http://localhost:8080/v1/chat/completions/',
  ])('%j posts to http://localhost:8080/v1/chat/completions', async (endpointUrl) => {
    const { engine, requests } = setup({ endpointUrl }, REPLY);

    const { text } = await collect(engine.chat(request(), new AbortController().signal));

    expect(text).toBe('Yes, I am here.');
    expect(firstRequest(requests).url).toBe('http://localhost:8080/v1/chat/completions');
  });

  test('keeps a path prefix in front of /v1', async () => {
    const { engine, requests } = setup({ endpointUrl: 'https://llm.example.com/proxy' }, REPLY);

    await collect(engine.chat(request(), new AbortController().signal));

    expect(firstRequest(requests).url).toBe('https://llm.example.com/proxy/v1/chat/completions');
  });

  test('never sends the Hugging Face token to another server; sends no Authorization without a key', async () => {
    const { engine, requests } = setup({ endpointUrl: 'http://localhost:8080' }, REPLY);

    await collect(engine.chat(request(), new AbortController().signal));

    const sent = firstRequest(requests);
    expect(sent.headers.has('Authorization')).toBe(false);
    expect(JSON.stringify([...sent.headers])).not.toContain(TOKEN);
    expect(JSON.stringify(sent.body)).not.toContain(TOKEN);
    expect(sent.headers.has('User-Agent')).toBe(false);
    expect(sent.body).toMatchObject({ model: 'mistralai/Mistral-7B-Instruct-v0.3', stream: true });
  });

  test('sends the endpoint API key to its endpoint', async () => {
    const { engine, requests } = setup(
      {
        endpointUrl: 'https://vllm.example.com/v1',
        provider: 'vllm',
        endpointKeys: { 'https://vllm.example.com': 'sk-local' },
      },
      REPLY,
    );

    await collect(engine.chat(request(), new AbortController().signal));

    expect(firstRequest(requests).headers.get('Authorization')).toBe('Bearer sk-local');
  });

  test('sends the Hugging Face token to a Hugging Face Inference Endpoint', async () => {
    const { engine, requests } = setup(
      { endpointUrl: 'https://abc123.us-east-1.aws.endpoints.huggingface.cloud' },
      REPLY,
    );

    await collect(engine.chat(request(), new AbortController().signal));

    const sent = firstRequest(requests);
    expect(sent.url).toBe('https://abc123.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions');
    expect(sent.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
  });

  test('a custom endpoint works without any Hugging Face token', async () => {
    const { engine, requests } = setup({ hfToken: '', endpointUrl: 'http://127.0.0.1:8000' }, REPLY);

    const { text, error } = await collect(engine.chat(request(), new AbortController().signal));

    expect(error).toBeUndefined();
    expect(text).toBe('Yes, I am here.');
    expect(requests).toHaveLength(1);
  });

  test('sends repetition_penalty to a custom endpoint only when it is not 1', async () => {
    const { engine, requests } = setup({ endpointUrl: 'http://localhost:8080' }, REPLY);

    await collect(engine.chat(request(), new AbortController().signal));
    await collect(
      engine.chat(request({ params: { ...SAMPLING, repetitionPenalty: 1.2 } }), new AbortController().signal),
    );

    expect(requests[0]?.body).not.toHaveProperty('repetition_penalty');
    expect(requests[1]?.body).toMatchObject({ repetition_penalty: 1.2 });
  });

  test('when the endpoint rejects repetition_penalty, resends without it and stops sending it', async () => {
    const rejection = jsonError(422, {
      detail: [{ type: 'extra_forbidden', loc: ['body', 'repetition_penalty'], msg: 'Extra inputs are not permitted' }],
    });
    const { engine, requests } = setup({ endpointUrl: 'http://localhost:8080' }, rejection, REPLY);
    const params = { ...SAMPLING, repetitionPenalty: 1.2 };

    const first = await collect(engine.chat(request({ params }), new AbortController().signal));
    const second = await collect(engine.chat(request({ params }), new AbortController().signal));

    expect(first.error).toBeUndefined();
    expect(first.text).toBe('Yes, I am here.');
    expect(second.text).toBe('Yes, I am here.');
    expect(requests.map((sent) => 'repetition_penalty' in sent.body)).toEqual([true, false, false]);
  });
});

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
