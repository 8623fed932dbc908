import { describe, expect, test } from 'vitest';
import { normalizeEndpointUrl, resolveHostedTarget, type HostedSettings } from '../../../src/engines/hf/endpoint.js';
import {
  chosenModel,
  credentialFor,
  endpointOrigin,
  PROVIDER_PRESETS,
  providerForUrl,
  providerPreset,
  type ProviderId,
} from '../../../src/domain/providers.js';
import { corsAdvice } from '../../../src/components/provider-advice.js';

const TOKEN = 'hf_abcdefghijklmnopqrstuvwxyz';
const KEY = 'sk-typed-for-this-origin';

/** A URL each preset really serves at: its own, or a typical address for those the user types. */
const URL_OF: Record<ProviderId, string> = {
  huggingface: '',
  'hf-endpoint': 'https://abc123.us-east-1.aws.endpoints.huggingface.cloud',
  mistral: 'https://api.mistral.ai/v1',
  ollama: 'http://localhost:11434/v1',
  lmstudio: 'http://localhost:1234/v1',
  llamacpp: 'http://localhost:8080/v1',
  vllm: 'http://localhost:8000/v1',
  tgi: 'https://tgi.example.org',
  custom: 'https://llm.example.com/v1',
};

function settingsFor(provider: ProviderId, endpointKeys: Record<string, string> = {}): HostedSettings {
  return { hfToken: TOKEN, model: 'some/model', endpointUrl: URL_OF[provider], provider, endpointKeys };
}

describe('provider presets', () => {
  test('every preset of the UI contract is offered once, the router first', () => {
    expect(PROVIDER_PRESETS.map((preset) => preset.id)).toEqual([
      'huggingface',
      'hf-endpoint',
      'mistral',
      'ollama',
      'lmstudio',
      'llamacpp',
      'vllm',
      'tgi',
      'custom',
    ]);
  });

  test.each([
    ['mistral', 'https://api.mistral.ai/v1/chat/completions'],
    ['ollama', 'http://localhost:11434/v1/chat/completions'],
    ['lmstudio', 'http://localhost:1234/v1/chat/completions'],
    ['llamacpp', 'http://localhost:8080/v1/chat/completions'],
  ] as const)('%s fills a URL whose chat route is %s', (id, chat) => {
    expect(normalizeEndpointUrl(providerPreset(id).url).href).toBe(chat);
  });

  test('the CORS advice names this page’s origin where the server needs it', () => {
    expect(corsAdvice('ollama', 'https://chat.example')).toContain('OLLAMA_ORIGINS=https://chat.example');
    expect(corsAdvice('tgi', 'https://chat.example')).toContain('--cors-allow-origin https://chat.example');
    expect(corsAdvice('huggingface', 'https://chat.example')).toBe('');
  });
});

describe('secret scope, for every preset', () => {
  test.each(PROVIDER_PRESETS.map((preset) => preset.id))('%s: the HF token only to Hugging Face hosts', (id) => {
    const target = resolveHostedTarget(
      id === 'mistral' ? settingsFor(id, { 'https://api.mistral.ai': KEY }) : settingsFor(id),
    );
    const huggingFace = id === 'huggingface' || id === 'hf-endpoint';
    expect(target.credential === TOKEN).toBe(huggingFace);
    expect(target.huggingFaceHost).toBe(huggingFace);
  });

  test.each(PROVIDER_PRESETS.filter((preset) => preset.id !== 'huggingface').map((preset) => preset.id))(
    '%s: a key typed for its origin goes there, and never to another origin',
    (id) => {
      const origin = endpointOrigin(URL_OF[id])!;
      const settings = settingsFor(id, { [origin]: KEY });
      expect(resolveHostedTarget(settings).credential).toBe(KEY);

      // The same URL edited to another host, or another port: the key stays behind.
      const elsewhere = new URL(URL_OF[id]);
      elsewhere.hostname = 'attacker.example';
      expect(credentialFor(elsewhere, settings)).toBeUndefined();
      const otherPort = new URL(URL_OF[id]);
      otherPort.port = '9999';
      expect(credentialFor(otherPort, settings)).not.toBe(KEY);
    },
  );

  test('the router never receives an endpoint key', () => {
    const target = resolveHostedTarget(settingsFor('huggingface', { 'http://localhost:8080': KEY }));
    expect(target.credential).toBe(TOKEN);
  });

  test('a Space, plain-http Hugging Face look-alikes and suffix tricks never get the token', () => {
    for (const url of [
      'https://someone.hf.space',
      'http://abc.endpoints.huggingface.cloud',
      'https://huggingface.co.attacker.example',
      'https://endpoints.huggingface.cloud.attacker.example',
    ]) {
      expect(credentialFor(new URL(url), { hfToken: TOKEN, endpointKeys: {} })).toBeUndefined();
    }
  });
});

describe('providerForUrl', () => {
  test.each([
    ['', 'custom', 'huggingface'],
    ['http://localhost:11434/v1', 'custom', 'ollama'],
    ['http://localhost:11434', 'huggingface', 'ollama'],
    ['http://localhost:1234/v1', 'custom', 'lmstudio'],
    ['http://localhost:8080', 'vllm', 'llamacpp'],
    ['https://api.mistral.ai/v1', 'custom', 'mistral'],
    ['https://x.endpoints.huggingface.cloud', 'custom', 'hf-endpoint'],
    ['http://localhost:8000/v1', 'vllm', 'vllm'],
    ['https://tgi.example.org', 'tgi', 'tgi'],
    ['https://llm.example.com/v1', 'ollama', 'custom'],
    ['https://llm.example.com/v1', 'hf-endpoint', 'custom'],
    ['not a url yet', 'vllm', 'vllm'],
    ['not a url yet', 'ollama', 'custom'],
  ] as const)('%j typed while %s is chosen → %s', (url, current, expected) => {
    expect(providerForUrl(url, current)).toBe(expected);
  });
});

describe('chosenModel', () => {
  test('an endpoint remembers its own model; the router and an endpoint with none use the Hugging Face model', () => {
    const endpointModels = { 'http://localhost:11434': 'mistral:7b-instruct-v0.3-q4_K_M' };
    const choice = { hfModel: 'mistralai/Mistral-7B-Instruct-v0.3', endpointModels };
    expect(chosenModel({ ...choice, endpointUrl: 'http://localhost:11434/v1' })).toBe(
      'mistral:7b-instruct-v0.3-q4_K_M',
    );
    expect(chosenModel({ ...choice, endpointUrl: '' })).toBe('mistralai/Mistral-7B-Instruct-v0.3');
    expect(chosenModel({ ...choice, endpointUrl: 'http://localhost:1234/v1' })).toBe(
      'mistralai/Mistral-7B-Instruct-v0.3',
    );
  });
});
