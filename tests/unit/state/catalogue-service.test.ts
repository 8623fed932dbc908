import { describe, expect, it, vi } from 'vitest';
import type { Catalogue, CatalogueModel } from '../../../src/domain/catalogue.js';
import {
  CATALOGUE_CODE_UNAVAILABLE,
  CatalogueService,
  type CatalogueAccess,
  type CatalogueLookup,
} from '../../../src/state/catalogue-service.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';

const HOUR = 60 * 60 * 1000;
const HOSTED: Settings = { ...DEFAULT_SETTINGS, engine: 'hosted', hfToken: 'hf_secretToken' };

function model(id: string, live = true): CatalogueModel {
  return { id, providers: [{ provider: 'novita', status: live ? 'live' : 'staging' }], live };
}

function catalogue(models: CatalogueModel[], fetchedAt: number, source: Catalogue['source'] = 'router'): Catalogue {
  return { source, origin: 'https://router.huggingface.co', fetchedAt, models };
}

/** The catalogue code, with each look-up's answer scripted and every call recorded. */
function fakeAccess(answers: { huggingFace?: () => CatalogueLookup; endpoint?: () => CatalogueLookup }) {
  const endpointCalls: { url: string; credential: string | undefined }[] = [];
  const access: CatalogueAccess = {
    loadHuggingFace: vi.fn(async () => answers.huggingFace?.() ?? { fresh: false, error: 'unscripted' }),
    loadEndpoint: vi.fn(async (url: string, credential: string | undefined) => {
      endpointCalls.push({ url, credential });
      return answers.endpoint?.() ?? { fresh: false, error: 'unscripted' };
    }),
    isStale: (list, now) => now - list.fetchedAt >= HOUR,
    resolve: (list, typed) => {
      const found = list?.models.find((entry) => entry.id === typed);
      if (!list) return { kind: 'unknown' };
      return found?.live ? { kind: 'served', model: found } : { kind: 'not-served', id: typed };
    },
    closestLive: (models) => models.find((entry) => entry.live),
  };
  return { access, endpointCalls };
}

function service(access: CatalogueAccess, clock = { now: 1_000 }) {
  return new CatalogueService({
    loadAccess: async () => access,
    now: () => clock.now,
    formatDate: (ms) => `t=${ms}`,
  });
}

describe('CatalogueService', () => {
  it('never looks anything up in local mode', async () => {
    const { access } = fakeAccess({});
    const catalogues = service(access);
    await catalogues.refresh({ ...HOSTED, engine: 'local' });
    expect(access.loadHuggingFace).not.toHaveBeenCalled();
    expect(catalogues.view({ ...HOSTED, engine: 'local' }).resolution).toEqual({ kind: 'unknown' });
  });

  it('asks the router at most hourly, and again once the list is an hour old', async () => {
    const clock = { now: 1_000 };
    const { access } = fakeAccess({
      huggingFace: () => ({ catalogue: catalogue([model('a/b')], clock.now), fresh: true }),
    });
    const catalogues = service(access, clock);
    await catalogues.refresh(HOSTED);
    await catalogues.refresh(HOSTED);
    clock.now += HOUR - 1;
    await catalogues.refresh(HOSTED);
    expect(access.loadHuggingFace).toHaveBeenCalledTimes(1);
    clock.now += 1;
    await catalogues.refresh(HOSTED);
    expect(access.loadHuggingFace).toHaveBeenCalledTimes(2);
  });

  it('says the default is not served, from the list the router gave', async () => {
    const { access } = fakeAccess({
      huggingFace: () => ({ catalogue: catalogue([model('meta-llama/Llama-3.1-8B-Instruct')], 1_000), fresh: true }),
    });
    const catalogues = service(access);
    await catalogues.refresh(HOSTED);
    const view = catalogues.view(HOSTED);
    expect(view.resolution).toEqual({ kind: 'not-served', id: 'mistralai/Mistral-7B-Instruct-v0.3' });
    expect(view.models.map((entry) => entry.id)).toEqual(['meta-llama/Llama-3.1-8B-Instruct']);
    expect(view.asOf).toBeUndefined();
    expect(view.error).toBeUndefined();
  });

  it('keeps the last good list when a look-up fails, with its date and why', async () => {
    let answer: CatalogueLookup = { catalogue: catalogue([model('a/b')], 1_000), fresh: true };
    const { access } = fakeAccess({ huggingFace: () => answer });
    const catalogues = service(access);
    await catalogues.refresh(HOSTED);
    answer = { fresh: false, error: 'The router answered with HTML.' };
    await catalogues.refresh(HOSTED, { force: true });
    const view = catalogues.view(HOSTED);
    expect(view.models.map((entry) => entry.id)).toEqual(['a/b']);
    expect(view.error).toBe('The router answered with HTML.');
    expect(view.asOf).toBe('Models as of t=1000');
  });

  it('offline with a cached list: shows it as of its date', async () => {
    const { access } = fakeAccess({
      huggingFace: () => ({ catalogue: catalogue([model('a/b')], 500), fresh: false, error: 'You are offline.' }),
    });
    const catalogues = service(access);
    await catalogues.refresh(HOSTED);
    expect(catalogues.view(HOSTED)).toMatchObject({ asOf: 'Models as of t=500', error: 'You are offline.' });
  });

  it('says so when the catalogue code itself cannot load, and lets it be tried again', async () => {
    const { access } = fakeAccess({
      huggingFace: () => ({ catalogue: catalogue([model('a/b')], 1_000), fresh: true }),
    });
    let fails = true;
    const catalogues = new CatalogueService({
      loadAccess: async () => {
        if (fails) throw new TypeError('Failed to fetch dynamically imported module');
        return access;
      },
    });
    await catalogues.refresh(HOSTED);
    expect(catalogues.view(HOSTED).error).toBe(CATALOGUE_CODE_UNAVAILABLE);
    fails = false;
    await catalogues.refresh(HOSTED);
    expect(catalogues.view(HOSTED).models).toHaveLength(1);
  });

  it('asks an endpoint for its /models with its own key only, and never with the Hugging Face token', async () => {
    const { access, endpointCalls } = fakeAccess({
      endpoint: () => ({ catalogue: catalogue([model('mistral:7b')], 1_000, 'endpoint'), fresh: true }),
    });
    const catalogues = service(access);
    const ollama: Settings = { ...HOSTED, provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' };
    await catalogues.refresh(ollama);
    const keyed: Settings = {
      ...HOSTED,
      provider: 'vllm',
      endpointUrl: 'http://localhost:8000/v1',
      endpointKeys: { 'http://localhost:8000': 'sk-vllm', 'http://localhost:11434': 'sk-other' },
    };
    await catalogues.refresh(keyed);
    expect(endpointCalls).toEqual([
      { url: 'http://localhost:11434/v1', credential: undefined },
      { url: 'http://localhost:8000/v1', credential: 'sk-vllm' },
    ]);
    expect(access.loadHuggingFace).not.toHaveBeenCalled();
  });

  it('shows nothing of one provider’s list under another', async () => {
    const { access } = fakeAccess({
      huggingFace: () => ({ catalogue: catalogue([model('a/b')], 1_000), fresh: true }),
    });
    const catalogues = service(access);
    await catalogues.refresh(HOSTED);
    const ollama: Settings = { ...HOSTED, provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' };
    expect(catalogues.view(ollama)).toEqual({ models: [], loading: false, resolution: { kind: 'unknown' } });
  });

  it('offers another live model than the one refused, after asking for the list again', async () => {
    let models = [model('mistralai/Mistral-7B-Instruct-v0.3'), model('meta-llama/Llama-3.1-8B-Instruct')];
    const { access } = fakeAccess({ huggingFace: () => ({ catalogue: catalogue(models, 1_000), fresh: true }) });
    const catalogues = service(access);
    await catalogues.refresh(HOSTED);
    models = [model('mistralai/Mistral-7B-Instruct-v0.3', false), model('meta-llama/Llama-3.1-8B-Instruct')];
    await expect(catalogues.alternativeTo(HOSTED, 'mistralai/Mistral-7B-Instruct-v0.3:together')).resolves.toBe(
      'meta-llama/Llama-3.1-8B-Instruct',
    );
    expect(access.loadHuggingFace).toHaveBeenCalledTimes(2);
  });
});
