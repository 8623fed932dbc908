import { describe, expect, it } from 'vitest';
import type { CatalogueModel } from '../../../src/domain/catalogue.js';
import { describeHosted } from '../../../src/engines/engine-resolver.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';

const HOSTED: Settings = { ...DEFAULT_SETTINGS, engine: 'hosted' };
const LLAMA: CatalogueModel = {
  id: 'meta-llama/Llama-3.1-8B-Instruct',
  providers: [{ provider: 'novita', status: 'live' }],
  live: true,
};

describe('describeHosted: the engine line names the model and who will answer', () => {
  it('the provider the catalogue names for the router', () => {
    const settings = { ...HOSTED, hfModel: LLAMA.id };
    expect(describeHosted(settings, { kind: 'served', model: LLAMA, provider: LLAMA.providers[0]! })).toEqual({
      engine: 'hosted',
      label: 'Hugging Face API · meta-llama/Llama-3.1-8B-Instruct',
      model: LLAMA.id,
      available: true,
      detail: 'via novita',
    });
  });

  it('the provider or the policy a suffix names', () => {
    expect(describeHosted({ ...HOSTED, hfModel: `${LLAMA.id}:together` }).detail).toBe('via together');
    expect(describeHosted({ ...HOSTED, hfModel: `${LLAMA.id}:cheapest` }).detail).toBe('via the cheapest provider');
  });

  it('says so, before any send, when nobody serves the model', () => {
    const status = describeHosted(HOSTED, { kind: 'not-served', id: DEFAULT_SETTINGS.hfModel, suggestion: LLAMA });
    expect(status).toMatchObject({ available: false, detail: 'not served by any provider now' });
    expect(status.label).toContain('mistralai/Mistral-7B-Instruct-v0.3');
  });

  it('an endpoint answers itself, with the model chosen for it', () => {
    const settings: Settings = {
      ...HOSTED,
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
      endpointModels: { 'http://localhost:11434': 'mistral:7b-instruct-v0.3-q4_K_M' },
    };
    expect(describeHosted(settings)).toMatchObject({
      label: 'Hugging Face API · mistral:7b-instruct-v0.3-q4_K_M',
      model: 'mistral:7b-instruct-v0.3-q4_K_M',
      detail: 'via localhost:11434',
    });
  });

  it('names nobody when nothing is known', () => {
    expect(describeHosted(HOSTED).detail).toBeUndefined();
  });
});
