/** The hosted engine streaming a reply: what it sends, to whom, and which settings it refuses before sending. */
import { describe, expect, test } from 'vitest';
import { jsonError } from './fake-openai.js';
import { TOKEN, ROUTER_URL, SAMPLING, setup, request, collect, firstRequest, REPLY } from './hosted-engine-harness.js';

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
