import { InferenceClientInputError, InferenceClientProviderApiError } from '@huggingface/inference';
import { describe, expect, test } from 'vitest';
import { toHostedEngineError, type HostedErrorContext } from '../../../src/engines/hf/errors.js';
import { EngineError } from '../../../src/engines/types.js';

const TOKEN = 'hf_verySecretToken0123456789';

const ROUTER: HostedErrorContext = {
  target: 'router',
  origin: 'https://router.huggingface.co',
  huggingFaceHost: true,
  model: 'mistralai/Mistral-7B-Instruct-v0.3',
  sentCredential: true,
  online: true,
  streamed: false,
  secrets: [TOKEN],
};

const LOCAL: HostedErrorContext = {
  ...ROUTER,
  target: 'custom',
  origin: 'http://localhost:8080',
  huggingFaceHost: false,
  sentCredential: false,
  pageOrigin: 'https://chat.example.org',
  secrets: [],
};

function apiError(status: number, body: unknown, message = 'Failed to perform inference'): Error {
  return new InferenceClientProviderApiError(
    message,
    { url: 'https://router.huggingface.co/v1/chat/completions', method: 'POST' },
    { requestId: 'req-1', status, body: body as string },
  );
}

describe('toHostedEngineError: HTTP statuses', () => {
  test.each([
    [401, {}, ROUTER, 'token-invalid', /huggingface\.co\/settings\/tokens/],
    [401, {}, LOCAL, 'token-missing', /asks for a key/],
    [401, {}, { ...LOCAL, sentCredential: true }, 'token-invalid', /did not accept the key/],
    [402, {}, ROUTER, 'credits-exhausted', /PRO.*billing/],
    [403, { error: 'Insufficient permissions' }, ROUTER, 'forbidden', /Make calls to Inference Providers/],
    [403, { error: 'You must accept the license to access gated model' }, ROUTER, 'gated', /accept its licence/],
    [404, { error: 'Not Found' }, ROUTER, 'not-found', /model id/],
    [404, { detail: 'Not Found' }, LOCAL, 'not-found', /Endpoint URL/],
    [
      400,
      { error: { message: "The requested model 'a/b' is not supported by any provider you have enabled." } },
      ROUTER,
      'model-unsupported',
      /:featherless-ai/,
    ],
    [
      400,
      { error: { message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens" } },
      LOCAL,
      'too-long',
      /too long/,
    ],
    [
      400,
      {
        error: {
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
        },
      },
      LOCAL,
      'too-long',
      /Max new tokens/,
    ],
    [413, 'Payload Too Large', LOCAL, 'too-long', /too long/],
    [
      422,
      { error: 'Input validation error: `temperature` must be strictly positive' },
      LOCAL,
      'bad-request',
      /temperature. must be strictly positive/,
    ],
    [429, {}, ROUTER, 'rate-limited', /your own endpoint or This device/],
    [503, {}, ROUTER, 'unavailable', /This device/],
    [504, {}, LOCAL, 'unavailable', /http:\/\/localhost:8080/],
    [500, { error: 'CUDA out of memory' }, LOCAL, 'server-error', /CUDA out of memory/],
  ])('%i %j → %s', (status, body, context, kind, message) => {
    const error = toHostedEngineError(apiError(status, body), context);

    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.userMessage).toMatch(message);
  });

  test('prefers the body read off the wire when the library dropped it', () => {
    const wire = JSON.stringify({ detail: [{ loc: ['body', 'messages'], msg: 'Field required' }] });

    const error = toHostedEngineError(apiError(422, ''), { ...LOCAL, response: { status: 422, body: wire } });

    expect(error.kind).toBe('bad-request');
    expect(error.userMessage).toContain('Field required');
  });

  test('never repeats a token or key the server echoed back', () => {
    const body = { error: `Invalid request from Bearer ${TOKEN}; key sk-local-123 and hf_anotherTokenLeak99 refused` };

    const error = toHostedEngineError(apiError(400, body), { ...ROUTER, secrets: [TOKEN, 'sk-local-123'] });

    expect(error.userMessage).not.toContain(TOKEN);
    expect(error.userMessage).not.toContain('sk-local-123');
    expect(error.userMessage).not.toContain('hf_anotherTokenLeak99');
  });

  test('keeps a long server explanation short', () => {
    const error = toHostedEngineError(apiError(400, { error: 'x'.repeat(5000) }), LOCAL);

    expect(error.userMessage.length).toBeLessThan(400);
  });

  test('a gated model is named with its page, without the :provider suffix', () => {
    const error = toHostedEngineError(apiError(403, { error: 'Access to model is restricted' }), {
      ...ROUTER,
      model: 'meta-llama/Llama-3.1-8B-Instruct:novita',
    });

    expect(error.userMessage).toContain('https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct ');
  });
});

describe('toHostedEngineError: streams and networks', () => {
  test('an error event in a 200 stream is a stream-error that keeps the partial reply', () => {
    const error = toHostedEngineError(apiError(200, { error: 'Generation failed' }), { ...ROUTER, streamed: true });

    expect(error.kind).toBe('stream-error');
    expect(error.userMessage).toContain('Generation failed');
    expect(error.userMessage).toContain('partial reply is kept');
  });

  test('a 200 answer that is not a stream means the URL is not a chat server', () => {
    const error = toHostedEngineError(
      apiError(
        200,
        '',
        'Failed to perform inference: server does not support event stream content type, it returned text/html',
      ),
      LOCAL,
    );

    expect(error.kind).toBe('invalid-endpoint');
  });

  test.each([
    [{ ...ROUTER, online: false }, 'network', /^You are offline/],
    [ROUTER, 'network', /Could not reach Hugging Face/],
    [LOCAL, 'network', /http:\/\/localhost:8080.*CORS.*--cors-origins/],
    [{ ...LOCAL, origin: 'http://192.168.1.20:8000' }, 'network', /plain http/],
    [{ ...LOCAL, origin: 'http://192.168.1.20:8000', pageOrigin: 'http://localhost:5173' }, 'network', /CORS/],
    [{ ...ROUTER, streamed: true }, 'stream-error', /partial reply is kept/],
  ])('a TypeError from fetch in %o → %s', (context, kind, message) => {
    const error = toHostedEngineError(new TypeError('Failed to fetch'), context);

    expect(error.kind).toBe(kind);
    expect(error.userMessage).toMatch(message);
  });

  test('an unreadable event is a stream-error', () => {
    expect(toHostedEngineError(new SyntaxError('Unexpected token'), ROUTER).kind).toBe('stream-error');
  });

  test("the library's input errors are bad requests", () => {
    const error = toHostedEngineError(new InferenceClientInputError('Model URLs are no longer supported.'), ROUTER);

    expect(error.kind).toBe('bad-request');
    expect(error.userMessage).toContain('Model URLs are no longer supported.');
  });

  test('anything else is unknown, and an EngineError passes through', () => {
    const engineError = new EngineError('quota', 'Storage is full.');

    expect(toHostedEngineError(new Error(`boom ${TOKEN}`), ROUTER).kind).toBe('unknown');
    expect(toHostedEngineError(new Error(`boom ${TOKEN}`), ROUTER).userMessage).not.toContain(TOKEN);
    expect(toHostedEngineError(engineError, ROUTER)).toBe(engineError);
  });
});
