import { describe, expect, test } from 'vitest';
import {
  closestLiveModel,
  orderModels,
  resolveModel,
  splitModelId,
  type Catalogue,
  type CatalogueModel,
} from '../../../src/domain/catalogue.js';
import { parseEndpointModels, parseHubModels, parseRouterModels } from '../../../src/engines/hf/catalogue.js';
import routerAbsent from '../../fixtures/hf-catalogue/router-mistral-absent.json';
import routerPresent from '../../fixtures/hf-catalogue/router-mistral-present.json';
import routerStaging from '../../fixtures/hf-catalogue/router-staging-only.json';
import hubAbsent from '../../fixtures/hf-catalogue/hub-mistral-absent.json';
import endpointOllama from '../../fixtures/hf-catalogue/endpoint-ollama.json';

const MISTRAL_7B = 'mistralai/Mistral-7B-Instruct-v0.3';

function catalogue(models: CatalogueModel[], source: Catalogue['source'] = 'router'): Catalogue {
  return { source, origin: 'https://router.huggingface.co', fetchedAt: 0, models };
}

function model(id: string, live = true): CatalogueModel {
  return { id, live, providers: [{ provider: 'together', status: live ? 'live' : 'staging' }] };
}

describe('orderModels', () => {
  test('the Mistral family, then Mixtral, Llama, Gemma, Falcon, Qwen, then the rest; live first, then by id', () => {
    const ids = [
      'zai-org/GLM-4.5',
      'Qwen/Qwen2.5-7B-Instruct',
      'tiiuae/Falcon3-7B-Instruct',
      'google/gemma-3-27b-it',
      'meta-llama/Llama-3.1-8B-Instruct',
      'someone/Mixtral-8x22B',
      'unsloth/Devstral-Small',
      'mistralai/Mistral-7B-Instruct-v0.3',
      'bartowski/Ministral-8B-GGUF',
      'deepseek-ai/DeepSeek-V3.1',
      'allenai/OLMo-2-7B',
    ];
    const models = ids.map((id) => model(id, id !== 'allenai/OLMo-2-7B'));
    models.push(model('mistralai/Magistral-Small-2509', false), model('meta-llama/CodeLlama-7b', false));
    expect(orderModels(models).map((entry) => entry.id)).toEqual([
      'bartowski/Ministral-8B-GGUF',
      'mistralai/Mistral-7B-Instruct-v0.3',
      'unsloth/Devstral-Small',
      'mistralai/Magistral-Small-2509',
      'someone/Mixtral-8x22B',
      'meta-llama/Llama-3.1-8B-Instruct',
      'meta-llama/CodeLlama-7b',
      'google/gemma-3-27b-it',
      'tiiuae/Falcon3-7B-Instruct',
      'Qwen/Qwen2.5-7B-Instruct',
      'deepseek-ai/DeepSeek-V3.1',
      'zai-org/GLM-4.5',
      'allenai/OLMo-2-7B',
    ]);
  });

  test('does not change the list it is given', () => {
    const models = [model('b/b'), model('a/a')];
    orderModels(models);
    expect(models.map((entry) => entry.id)).toEqual(['b/b', 'a/a']);
  });
});

describe('splitModelId', () => {
  test.each([
    ['mistralai/Mistral-7B-Instruct-v0.3', { id: 'mistralai/Mistral-7B-Instruct-v0.3' }],
    ['  meta-llama/Llama-3.1-8B-Instruct:Novita ', { id: 'meta-llama/Llama-3.1-8B-Instruct', suffix: 'novita' }],
    ['openai/gpt-oss-20b:fastest', { id: 'openai/gpt-oss-20b', suffix: 'fastest' }],
    ['openai/gpt-oss-20b:cheapest', { id: 'openai/gpt-oss-20b', suffix: 'cheapest' }],
    ['openai/gpt-oss-20b:', { id: 'openai/gpt-oss-20b' }],
    ['', { id: '' }],
  ])('%j', (typed, expected) => {
    expect(splitModelId(typed)).toEqual(expected);
  });
});

describe('resolveModel', () => {
  const present = catalogue(parseRouterModels(routerPresent));
  const absent = catalogue(parseRouterModels(routerAbsent));

  test('no catalogue: unknown, so sending with a typed id is never blocked', () => {
    expect(resolveModel(undefined, MISTRAL_7B)).toEqual({ kind: 'unknown' });
  });

  test('the default gone: not served, with an open 7–8B instruct model proposed', () => {
    const resolution = resolveModel(absent, '');
    expect(resolution).toMatchObject({ kind: 'not-served', id: MISTRAL_7B });
    expect(resolution.kind === 'not-served' && resolution.suggestion?.id).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });

  test('the default with staging providers only: not served, and a live Mistral chat model proposed', () => {
    const resolution = resolveModel(catalogue(parseRouterModels(routerStaging)), MISTRAL_7B);
    expect(resolution.kind === 'not-served' && resolution.suggestion?.id).toBe(
      'mistralai/Mistral-Small-3.2-24B-Instruct-2506',
    );
  });

  test('served by several providers: served, and who answers is the router’s choice', () => {
    const resolution = resolveModel(present, MISTRAL_7B);
    expect(resolution).toMatchObject({ kind: 'served', model: { id: MISTRAL_7B } });
    expect(resolution.kind === 'served' && resolution.provider).toBeUndefined();
  });

  test('served by one live provider: that provider is named', () => {
    const resolution = resolveModel(present, 'HuggingFaceTB/SmolLM3-3B');
    expect(resolution.kind === 'served' && resolution.provider?.provider).toBe('hf-inference');
  });

  test('ids match without regard to case, as on the Hub', () => {
    expect(resolveModel(present, 'MistralAI/mistral-7b-instruct-v0.3').kind).toBe('served');
  });

  test('a named live provider answers; a named provider that is not live is not served, and the model is proposed', () => {
    const chosen = resolveModel(present, 'meta-llama/Llama-3.1-8B-Instruct:nscale');
    expect(chosen.kind === 'served' && chosen.provider?.provider).toBe('nscale');
    const failing = resolveModel(present, `${MISTRAL_7B}:hf-inference`);
    expect(failing).toMatchObject({ kind: 'not-served', id: MISTRAL_7B, suggestion: { id: MISTRAL_7B } });
    expect(resolveModel(present, `${MISTRAL_7B}:groq`).kind).toBe('not-served');
  });

  test(':cheapest names the live provider with the lowest output price, :fastest none', () => {
    const cheapest = resolveModel(present, 'openai/gpt-oss-20b:cheapest');
    expect(cheapest.kind === 'served' && cheapest.provider?.provider).toBe('together');
    const fastest = resolveModel(present, 'openai/gpt-oss-20b:fastest');
    expect(fastest.kind === 'served' && fastest.provider).toBeUndefined();
  });

  test(':cheapest names nobody when a live provider has no price', () => {
    const resolution = resolveModel(present, 'meta-llama/Llama-3.1-8B-Instruct:cheapest');
    expect(resolution.kind === 'served' && resolution.provider).toBeUndefined();
  });

  test('an endpoint’s ids are taken whole, colon included', () => {
    const ollama = catalogue(parseEndpointModels(endpointOllama), 'endpoint');
    expect(resolveModel(ollama, 'mistral:7b')).toMatchObject({ kind: 'served', model: { id: 'mistral:7b' } });
    expect(resolveModel(ollama, 'mistral:latest')).toMatchObject({
      kind: 'not-served',
      id: 'mistral:latest',
      suggestion: { id: 'mistral:7b' },
    });
  });

  test('a list with nothing live proposes nothing', () => {
    expect(resolveModel(catalogue([model('a/a', false)]), 'a/a')).toEqual({ kind: 'not-served', id: 'a/a' });
  });
});

describe('closestLiveModel', () => {
  test('the preferred model itself when it is live', () => {
    expect(closestLiveModel(parseRouterModels(routerPresent), MISTRAL_7B)?.id).toBe(MISTRAL_7B);
  });

  test('among Mistral models: an instruct model near 7B before a larger one, a code model last', () => {
    const models = orderModels([
      model('mistralai/Devstral-Small-2507'),
      model('mistralai/Mistral-Large-Instruct-2411'),
      model('mistralai/Mistral-Small-3.2-24B-Instruct-2506'),
      model('mistralai/Ministral-8B-Instruct-2410'),
    ]);
    expect(closestLiveModel(models, MISTRAL_7B)?.id).toBe('mistralai/Ministral-8B-Instruct-2410');
    const codeOrLarge = [model('mistralai/Devstral-Small-2507'), model('mistralai/Mistral-Large-Instruct-2411')];
    expect(closestLiveModel(codeOrLarge, MISTRAL_7B)?.id).toBe('mistralai/Mistral-Large-Instruct-2411');
  });

  test('no Mistral model: the first open 7–8B instruct model in picker order, not an 8x7B mixture', () => {
    const models = orderModels([
      model('Qwen/Qwen2.5-7B-Instruct'),
      model('someone/Mixture-8x7B-Instruct'),
      model('google/gemma-3-27b-it'),
    ]);
    expect(closestLiveModel(models, MISTRAL_7B)?.id).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect(closestLiveModel(parseHubModels(hubAbsent), MISTRAL_7B)?.id).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });

  test('else the first live model', () => {
    const models = orderModels([model('zai-org/GLM-4.5'), model('deepseek-ai/DeepSeek-V3.1'), model('a/a', false)]);
    expect(closestLiveModel(models, MISTRAL_7B)?.id).toBe('deepseek-ai/DeepSeek-V3.1');
  });
});
