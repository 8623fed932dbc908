import { describe, expect, test } from 'vitest';
import {
  normalizeEndpointUrl,
  resolveHostedTarget,
  ROUTER_CHAT_URL,
  type HostedSettings,
} from '../../../src/engines/hf/endpoint.js';
import { isHuggingFaceHost } from '../../../src/domain/providers.js';
import { EngineError } from '../../../src/engines/types.js';

const TOKEN = 'hf_abcdefghijklmnop';
const SETTINGS: HostedSettings = {
  hfToken: TOKEN,
  model: '',
  endpointUrl: '',
  provider: 'huggingface',
  endpointKeys: {},
};

function refusal(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('normalizeEndpointUrl', () => {
  test.each([
    ['http://localhost:8080', 'http://localhost:8080/v1/chat/completions'],
    ['http://localhost:8080/v1', 'http://localhost:8080/v1/chat/completions'],
    ['http://localhost:8080/v1/chat/completions', 'http://localhost:8080/v1/chat/completions'],
    ['https://example.com//v1//', 'https://example.com/v1/chat/completions'],
    ['https://example.com/openai/v1?x=1#top', 'https://example.com/openai/v1/chat/completions'],
    ['HTTPS://Example.COM:8443', 'https://example.com:8443/v1/chat/completions'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEndpointUrl(input).href).toBe(expected);
  });

  test.each([
    '',
    'example.com',
    'localhost:8080',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://a:b@example.com',
  ])('%j is an invalid endpoint', (input) => {
    expect(refusal(() => normalizeEndpointUrl(input)).kind).toBe('invalid-endpoint');
  });
});

describe('isHuggingFaceHost', () => {
  test.each([
    ['https://router.huggingface.co/v1', true],
    ['https://huggingface.co', true],
    ['https://me-my-space.hf.space', false],
    ['https://abc.us-east-1.aws.endpoints.huggingface.cloud', true],
    ['http://me-my-space.hf.space', false],
    ['https://huggingface.co.evil.example', false],
    ['https://evilhuggingface.co', false],
    ['https://hf.space.evil.example', false],
    ['http://localhost:8080', false],
  ])('%s → %s', (url, expected) => {
    expect(isHuggingFaceHost(new URL(url))).toBe(expected);
  });
});

describe('resolveHostedTarget', () => {
  test('the router with the default model and the token', () => {
    expect(resolveHostedTarget(SETTINGS)).toEqual({
      kind: 'router',
      url: ROUTER_CHAT_URL,
      origin: 'https://router.huggingface.co',
      model: 'mistralai/Mistral-7B-Instruct-v0.3',
      credential: TOKEN,
      huggingFaceHost: true,
    });
  });

  test('keeps a :provider suffix on the model', () => {
    expect(resolveHostedTarget({ ...SETTINGS, model: ' mistralai/Mistral-7B-Instruct-v0.3:together ' }).model).toBe(
      'mistralai/Mistral-7B-Instruct-v0.3:together',
    );
  });

  test('refuses a model given as a URL', () => {
    expect(refusal(() => resolveHostedTarget({ ...SETTINGS, model: 'http://localhost:8080' })).kind).toBe(
      'bad-request',
    );
  });

  test('the token is required and checked for the router only', () => {
    expect(refusal(() => resolveHostedTarget({ ...SETTINGS, hfToken: '' })).kind).toBe('token-missing');
    expect(refusal(() => resolveHostedTarget({ ...SETTINGS, hfToken: 'sk-123' })).kind).toBe('token-format');
    expect(
      resolveHostedTarget({ ...SETTINGS, hfToken: 'sk-123', endpointUrl: 'http://localhost:8080' }).credential,
    ).toBeUndefined();
  });

  test.each([
    ['http://localhost:8080', '', undefined],
    ['http://localhost:8080', 'sk-local', 'sk-local'],
    ['https://x.endpoints.huggingface.cloud', '', TOKEN],
    ['https://x.endpoints.huggingface.cloud', 'hf_endpointOnlyKey', 'hf_endpointOnlyKey'],
    ['http://x.endpoints.huggingface.cloud', '', undefined],
  ])('a custom endpoint %s with key %j is sent %j', (endpointUrl, key, credential) => {
    const endpointKeys = key === '' ? {} : { [new URL(endpointUrl).origin]: key };
    expect(resolveHostedTarget({ ...SETTINGS, provider: 'custom', endpointUrl, endpointKeys }).credential).toBe(
      credential,
    );
  });

  test('a provider whose address is typed does not fall back to the router when Endpoint URL is empty', () => {
    const error = refusal(() => resolveHostedTarget({ ...SETTINGS, provider: 'vllm' }));
    expect(error.kind).toBe('invalid-endpoint');
    expect(error.userMessage).toContain('vLLM');
  });

  test('Mistral AI without its key is refused before any request', () => {
    const settings = { ...SETTINGS, provider: 'mistral' as const, endpointUrl: 'https://api.mistral.ai/v1' };
    expect(refusal(() => resolveHostedTarget(settings)).kind).toBe('token-missing');
    const endpointKeys = { 'https://api.mistral.ai': 'mistral-key' };
    expect(resolveHostedTarget({ ...settings, endpointKeys }).credential).toBe('mistral-key');
  });
});
