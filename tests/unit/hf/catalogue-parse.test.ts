import { describe, expect, test } from 'vitest';
import {
  CatalogueError,
  parseEndpointModels,
  parseHubModels,
  parseRouterModels,
} from '../../../src/engines/hf/catalogue.js';
import type { CatalogueModel } from '../../../src/domain/catalogue.js';
import routerAbsent from '../../fixtures/hf-catalogue/router-mistral-absent.json';
import routerPresent from '../../fixtures/hf-catalogue/router-mistral-present.json';
import routerStaging from '../../fixtures/hf-catalogue/router-staging-only.json';
import hubAbsent from '../../fixtures/hf-catalogue/hub-mistral-absent.json';
import hubPresent from '../../fixtures/hf-catalogue/hub-mistral-present.json';
import hubStaging from '../../fixtures/hf-catalogue/hub-staging-only.json';
import hubLegacy from '../../fixtures/hf-catalogue/hub-legacy-mapping-object.json';
import endpointOllama from '../../fixtures/hf-catalogue/endpoint-ollama.json';
import endpointVllm from '../../fixtures/hf-catalogue/endpoint-vllm.json';
import endpointLlamaServer from '../../fixtures/hf-catalogue/endpoint-llama-server.json';

const MISTRAL_7B = 'mistralai/Mistral-7B-Instruct-v0.3';

function byId(models: readonly CatalogueModel[], id: string): CatalogueModel {
  const model = models.find((entry) => entry.id === id);
  if (model === undefined) throw new Error(`${id} is not in the list`);
  return model;
}

function refusal(run: () => unknown): CatalogueError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogueError) return error;
    throw error;
  }
  throw new Error('expected a CatalogueError');
}

describe('parseRouterModels', () => {
  test('reads every offer of a model: status, context length, price per million tokens, tools, structured output', () => {
    const mistral = byId(parseRouterModels(routerPresent), MISTRAL_7B);
    expect(mistral.live).toBe(true);
    expect(mistral.providers).toEqual([
      {
        provider: 'together',
        status: 'live',
        contextLength: 32768,
        pricing: { input: 0.2, output: 0.2 },
        supportsTools: false,
        supportsStructuredOutput: true,
      },
      { provider: 'featherless-ai', status: 'live', contextLength: 32768, pricing: { input: 0.1, output: 0.1 } },
      { provider: 'hf-inference', status: 'error' },
    ]);
  });

  test('the list without Mistral-7B has no mistralai model at all', () => {
    const models = parseRouterModels(routerAbsent);
    expect(models).toHaveLength(routerAbsent.data.length);
    expect(models.some((model) => model.id.startsWith('mistralai/'))).toBe(false);
  });

  test('a model with only staging or failing providers is listed, but not live', () => {
    const models = parseRouterModels(routerStaging);
    expect(byId(models, MISTRAL_7B).live).toBe(false);
    expect(byId(models, 'tiiuae/Falcon-H1-34B-Instruct').live).toBe(false);
    expect(byId(models, MISTRAL_7B).providers).toEqual([
      { provider: 'featherless-ai', status: 'staging', contextLength: 32768 },
      { provider: 'hf-inference', status: 'staging' },
    ]);
  });

  test('comes back in picker order: the Mistral family first', () => {
    const ids = parseRouterModels(routerPresent).map((model) => model.id);
    expect(ids.slice(0, 3)).toEqual([
      MISTRAL_7B,
      'mistralai/Mistral-Small-3.2-24B-Instruct-2506',
      // Mixtral's only provider is failing: live models of the family come first.
      'mistralai/Mixtral-8x7B-Instruct-v0.1',
    ]);
  });

  test('skips unreadable entries and fields, keeps the rest, and keeps the first of two entries with one id', () => {
    const models = parseRouterModels({
      data: [
        null,
        { id: 42 },
        { id: '  ' },
        {
          id: 'a/one',
          providers: [
            { provider: 'x', status: 'LIVE', context_length: -1, pricing: { input: '1', output: 2 } },
            { status: 'live' },
            'nonsense',
            { provider: 'y', supports_tools: 'yes', pricing: { input: Number.NaN, output: 1 } },
          ],
        },
        { id: 'a/one', providers: [] },
        { id: 'b/two', providers: 'not a list' },
      ],
    });
    expect(models).toEqual([
      {
        id: 'a/one',
        live: true,
        providers: [
          { provider: 'x', status: 'live' },
          { provider: 'y', status: 'unknown' },
        ],
      },
      { id: 'b/two', live: false, providers: [] },
    ]);
  });

  test.each([
    ['an array', [], /no “data” list/],
    ['an error object', { error: 'Internal Server Error' }, /no “data” list/],
    ['data that is not a list', { data: { models: [] } }, /no “data” list/],
    ['null', null, /no “data” list/],
    ['an empty list', { object: 'list', data: [] }, /listed no models at all/],
    ['entries with no id', { data: [{ name: 'x' }, { model: 'y' }] }, /2 entries, but none names a chat model/],
  ])('refuses %s with a sentence saying what was wrong', (_name, json, message) => {
    const error = refusal(() => parseRouterModels(json));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^The Hugging Face model list [^\n]+\.$/);
  });
});

describe('parseHubModels', () => {
  test('keeps the conversational mappings only: a text-generation-only model is no chat model', () => {
    const models = parseHubModels(hubPresent);
    expect(models.map((model) => model.id)).not.toContain('gpt2');
    expect(models).toHaveLength(hubPresent.length - 1);
    expect(byId(models, MISTRAL_7B)).toEqual({
      id: MISTRAL_7B,
      live: true,
      providers: [
        { provider: 'together', status: 'live' },
        { provider: 'featherless-ai', status: 'live' },
        { provider: 'hf-inference', status: 'error' },
      ],
    });
  });

  test('reads the older answer, a mapping object keyed by provider, the same way', () => {
    expect(parseHubModels(hubLegacy)).toEqual(parseHubModels(hubPresent));
  });

  test('Mistral-7B absent, or staging only', () => {
    expect(parseHubModels(hubAbsent).map((model) => model.id)).not.toContain(MISTRAL_7B);
    expect(byId(parseHubModels(hubStaging), MISTRAL_7B).live).toBe(false);
  });

  test.each([
    ['an object', { models: [] }, /something other than a list of models/],
    ['an empty list', [], /listed no models at all/],
    [
      'text-generation models only',
      [
        {
          id: 'gpt2',
          inferenceProviderMapping: [{ provider: 'hf-inference', task: 'text-generation', status: 'live' }],
        },
      ],
      /1 entry, but none/,
    ],
  ])('refuses %s', (_name, json, message) => {
    expect(refusal(() => parseHubModels(json)).message).toMatch(message);
  });
});

describe('parseEndpointModels', () => {
  test.each([
    ['Ollama', endpointOllama, ['mistral:7b', 'llama3.2:3b']],
    ['vLLM', endpointVllm, [MISTRAL_7B]],
    ['llama-server', endpointLlamaServer, ['Mistral-7B-Instruct-v0.3.Q4_K_M.gguf']],
  ])('%s: every listed model is live, served by the server itself', (_name, json, ids) => {
    const models = parseEndpointModels(json);
    expect(models.map((model) => model.id)).toEqual(ids);
    expect(models.every((model) => model.live && model.providers.length === 0)).toBe(true);
  });

  test.each([
    ['a list of names', ['mistral'], /not in the OpenAI format/],
    ['an Ollama /api/tags answer', { models: [{ name: 'mistral:7b' }] }, /not in the OpenAI format/],
    ['an empty list', { data: [] }, /The server listed no models at all\./],
  ])('refuses %s', (_name, json, message) => {
    expect(refusal(() => parseEndpointModels(json)).message).toMatch(message);
  });
});
