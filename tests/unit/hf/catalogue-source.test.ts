import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Catalogue } from '../../../src/domain/catalogue.js';
import {
  CATALOGUE_MAX_AGE_MS,
  HUB_MODELS_URL,
  isCatalogueStale,
  loadEndpointCatalogue,
  loadHuggingFaceCatalogue,
  ROUTER_MODELS_URL,
} from '../../../src/engines/hf/catalogue-source.js';
import type { CatalogueCache } from '../../../src/domain/catalogue.js';
import { MemoryCatalogueCache } from '../../../src/storage/catalogue-cache.js';
import routerAbsent from '../../fixtures/hf-catalogue/router-mistral-absent.json';
import hubPresent from '../../fixtures/hf-catalogue/hub-mistral-present.json';
import endpointOllama from '../../fixtures/hf-catalogue/endpoint-ollama.json';

const NOW = Date.UTC(2026, 11, 1, 21, 0);
const MISTRAL_7B = 'mistralai/Mistral-7B-Instruct-v0.3';

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

/** A fake `fetch` by exact URL; any other URL fails as an unreachable host does, with a TypeError. */
function fakeFetch(routes: Record<string, Route>): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    seen.push({ url, init });
    const route = routes[url];
    if (!route) throw new TypeError('Failed to fetch');
    return route(init);
  };
  return { fetch: fetchImpl as typeof fetch, seen };
}

const json =
  (body: unknown, init: ResponseInit = {}): Route =>
  () =>
    new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' }, ...init });

const text =
  (body: string, type: string): Route =>
  () =>
    new Response(body, { headers: { 'Content-Type': type } });

/** Never answers; like a real fetch, rejects with an AbortError once the request's signal aborts. */
const hanging: Route = (init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });

const cachedList: Catalogue = {
  source: 'router',
  origin: 'https://router.huggingface.co',
  fetchedAt: NOW - 86_400_000,
  models: [{ id: MISTRAL_7B, live: true, providers: [{ provider: 'together', status: 'live' }] }],
};

async function cacheWith(key: string, catalogue: Catalogue): Promise<MemoryCatalogueCache> {
  const cache = new MemoryCatalogueCache();
  await cache.write(key, catalogue);
  return cache;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('loadHuggingFaceCatalogue', () => {
  test('reads the router’s list, sends no token and no cookie, and keeps the list for the next visit', async () => {
    const { fetch, seen } = fakeFetch({ [ROUTER_MODELS_URL]: json(routerAbsent) });
    const cache = new MemoryCatalogueCache();
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache, now: () => NOW });
    expect(outcome.fresh).toBe(true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.catalogue).toMatchObject({
      source: 'router',
      origin: 'https://router.huggingface.co',
      fetchedAt: NOW,
    });
    expect(outcome.catalogue?.models).toHaveLength(routerAbsent.data.length);
    expect(seen).toHaveLength(1);
    expect(new Headers(seen[0]!.init?.headers).has('Authorization')).toBe(false);
    expect(seen[0]!.init?.credentials).toBe('omit');
    expect(await cache.read('huggingface')).toEqual(outcome.catalogue);
  });

  test('router unreachable, Hub API working: the Hub’s list, fresh', async () => {
    const { fetch, seen } = fakeFetch({ [HUB_MODELS_URL]: json(hubPresent) });
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache(), now: () => NOW });
    expect(seen.map((request) => request.url)).toEqual([ROUTER_MODELS_URL, HUB_MODELS_URL]);
    expect(outcome).toMatchObject({ fresh: true, catalogue: { source: 'hub', origin: 'https://huggingface.co' } });
    expect(outcome.catalogue?.models[0]?.id).toBe(MISTRAL_7B);
  });

  test('a router answer of a changed shape falls back to the Hub as well', async () => {
    const { fetch } = fakeFetch({
      [ROUTER_MODELS_URL]: json({ models: [] }),
      [HUB_MODELS_URL]: json(hubPresent),
    });
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache() });
    expect(outcome.catalogue?.source).toBe('hub');
  });

  test('the Hub’s next pages are read, but never a page off the Hub', async () => {
    const page2 = 'https://huggingface.co/api/models?cursor=abc';
    const { fetch, seen } = fakeFetch({
      [HUB_MODELS_URL]: json(hubPresent.slice(0, 2), { headers: { Link: `<${page2}>; rel="next"` } }),
      [page2]: json(hubPresent.slice(2), { headers: { Link: '<https://evil.example/api/models>; rel="next"' } }),
    });
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache() });
    expect(seen.map((request) => request.url)).toEqual([ROUTER_MODELS_URL, HUB_MODELS_URL, page2]);
    // Every conversational model of both pages (gpt2 has text-generation only).
    expect(outcome.catalogue?.models).toHaveLength(hubPresent.length - 1);
  });

  test('both unreachable, a list cached: the cached list stays in use and the user is told why', async () => {
    const { fetch } = fakeFetch({});
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: await cacheWith('huggingface', cachedList) });
    expect(outcome).toEqual({
      catalogue: cachedList,
      fresh: false,
      error:
        'Hugging Face’s model list could not be reached (offline, or the server does not allow this site). The list loaded before stays in use.',
    });
  });

  test('both unreachable, nothing cached: no list, and typing an id is still possible', async () => {
    const { fetch } = fakeFetch({});
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache() });
    expect(outcome.catalogue).toBeUndefined();
    expect(outcome.error).toMatch(/could not be reached.*You can still type a model id\.$/);
  });

  test.each([
    ['malformed JSON', text('{"object":"list","data":[{"id":', 'application/json'), /is not valid JSON\./],
    ['a changed shape', json({ object: 'list', models: [] }), /has changed its format: it has no “data” list/],
    ['an HTTP error', json({ error: 'busy' }, { status: 503 }), /failed with HTTP 503\./],
  ])('%s: a clear message, and the last good list kept', async (_name, route, message) => {
    const { fetch } = fakeFetch({ [ROUTER_MODELS_URL]: route });
    const cache = await cacheWith('huggingface', cachedList);
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache });
    expect(outcome.error).toMatch(message);
    expect(outcome.catalogue).toBe(cachedList);
    expect(await cache.read('huggingface')).toBe(cachedList);
  });

  test('a huge answer is read only up to 20 MB, then dropped', async () => {
    let pulled = 0;
    const megabyte = new Uint8Array(1024 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(megabyte);
      },
    });
    const { fetch } = fakeFetch({ [ROUTER_MODELS_URL]: () => new Response(endless) });
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: await cacheWith('huggingface', cachedList) });
    expect(outcome.error).toMatch(/sent more than 20 MB, far more than a model list\./);
    expect(outcome.catalogue).toBe(cachedList);
    expect(pulled).toBeLessThanOrEqual(22);
  });

  test('an answer that declares more than 20 MB is not read at all', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const { fetch } = fakeFetch({
      [ROUTER_MODELS_URL]: () => new Response(body, { headers: { 'Content-Length': String(50 * 1024 * 1024) } }),
    });
    const outcome = await loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache() });
    expect(outcome.error).toMatch(/more than 20 MB/);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  test('a slow router is given up after 8 seconds; the Hub is asked next', async () => {
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch({ [ROUTER_MODELS_URL]: hanging, [HUB_MODELS_URL]: hanging });
    const pending = loadHuggingFaceCatalogue({ fetch, cache: await cacheWith('huggingface', cachedList) });
    await vi.advanceTimersByTimeAsync(7_999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(8_000);
    const outcome = await pending;
    expect(outcome.error).toMatch(/^Hugging Face’s model list did not answer within 8 seconds\./);
    expect(outcome.catalogue).toBe(cachedList);
  });

  test('a body that stalls after the headers times out too', async () => {
    vi.useFakeTimers();
    const stalled: Route = (init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"data":['));
          init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body);
    };
    const { fetch } = fakeFetch({ [ROUTER_MODELS_URL]: stalled });
    const pending = loadHuggingFaceCatalogue({ fetch, cache: new MemoryCatalogueCache() });
    await vi.advanceTimersByTimeAsync(8_000);
    expect((await pending).error).toMatch(/did not answer within 8 seconds/);
  });

  test('aborted by the caller: rejects with the abort, nothing cached is changed', async () => {
    const controller = new AbortController();
    const { fetch } = fakeFetch({ [ROUTER_MODELS_URL]: hanging });
    const cache = await cacheWith('huggingface', cachedList);
    const pending = loadHuggingFaceCatalogue({ fetch, cache, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(await cache.read('huggingface')).toBe(cachedList);
  });

  test('a cache that cannot be read or written does not stand in the way', async () => {
    const broken: CatalogueCache = {
      read: () => Promise.reject(new Error('IndexedDB closed')),
      write: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
    };
    const working = fakeFetch({ [ROUTER_MODELS_URL]: json(routerAbsent) });
    expect((await loadHuggingFaceCatalogue({ fetch: working.fetch, cache: broken })).fresh).toBe(true);
    const failing = fakeFetch({});
    const outcome = await loadHuggingFaceCatalogue({ fetch: failing.fetch, cache: broken });
    expect(outcome.fresh).toBe(false);
    expect(outcome.catalogue).toBeUndefined();
    expect(outcome.error).toMatch(/could not be reached/);
  });
});

describe('loadEndpointCatalogue', () => {
  const OLLAMA_MODELS = 'http://localhost:11434/v1/models';

  test.each([
    ['http://localhost:11434/v1', OLLAMA_MODELS],
    ['http://localhost:11434', OLLAMA_MODELS],
    ['http://localhost:11434/v1/chat/completions', OLLAMA_MODELS],
    ['https://my-mistral.endpoints.huggingface.cloud', 'https://my-mistral.endpoints.huggingface.cloud/v1/models'],
    ['https://api.mistral.ai/v1/', 'https://api.mistral.ai/v1/models'],
  ])('%s asks %s', async (endpointUrl, modelsUrl) => {
    const { fetch, seen } = fakeFetch({ [modelsUrl]: json(endpointOllama) });
    const outcome = await loadEndpointCatalogue(endpointUrl, undefined, { fetch, cache: new MemoryCatalogueCache() });
    expect(seen.map((request) => request.url)).toEqual([modelsUrl]);
    expect(outcome).toMatchObject({
      fresh: true,
      catalogue: { source: 'endpoint', origin: new URL(modelsUrl).origin },
    });
  });

  test('sends the endpoint’s key to that URL only, and refuses to follow a redirect with it', async () => {
    const { fetch, seen } = fakeFetch({ 'https://api.mistral.ai/v1/models': json(endpointOllama) });
    await loadEndpointCatalogue('https://api.mistral.ai/v1', 'sk-mistral-key', {
      fetch,
      cache: new MemoryCatalogueCache(),
    });
    expect(seen).toHaveLength(1);
    expect(new Headers(seen[0]!.init?.headers).get('Authorization')).toBe('Bearer sk-mistral-key');
    expect(seen[0]!.init?.redirect).toBe('error');
  });

  test('an answer in HTML: a clear message, and that server’s last good list kept', async () => {
    const cache = await cacheWith(`endpoint:${OLLAMA_MODELS}`, { ...cachedList, source: 'endpoint' });
    const { fetch } = fakeFetch({ [OLLAMA_MODELS]: text('<!doctype html><title>Welcome</title>', 'text/html') });
    const outcome = await loadEndpointCatalogue('http://localhost:11434/v1', undefined, { fetch, cache });
    expect(outcome.error).toBe(
      'The model list at http://localhost:11434 is a web page, not a list of models. The list loaded before stays in use.',
    );
    expect(outcome.catalogue?.source).toBe('endpoint');
  });

  test('each server has its own cached list', async () => {
    const cache = await cacheWith(`endpoint:${OLLAMA_MODELS}`, { ...cachedList, source: 'endpoint' });
    const { fetch } = fakeFetch({});
    const outcome = await loadEndpointCatalogue('http://localhost:1234/v1', undefined, { fetch, cache });
    expect(outcome.catalogue).toBeUndefined();
  });

  test.each([
    [401, /refused the API key \(HTTP 401\): check the key in Settings\./],
    [404, /was not found \(HTTP 404\): this server may not offer one\. You can still type a model id\./],
  ])('HTTP %i says what to do', async (status, message) => {
    const { fetch } = fakeFetch({ [OLLAMA_MODELS]: json({ error: 'no' }, { status }) });
    const outcome = await loadEndpointCatalogue('http://localhost:11434', 'key', {
      fetch,
      cache: new MemoryCatalogueCache(),
    });
    expect(outcome.error).toMatch(message);
  });

  test('an Endpoint URL edited into something invalid: its message, and no request', async () => {
    const { fetch, seen } = fakeFetch({});
    const outcome = await loadEndpointCatalogue('localhost:11434', undefined, {
      fetch,
      cache: new MemoryCatalogueCache(),
    });
    expect(outcome).toEqual({
      fresh: false,
      error: expect.stringMatching(/^The Endpoint URL must start with http:\/\/ or https:\/\//),
    });
    expect(seen).toEqual([]);
  });
});

describe('isCatalogueStale', () => {
  test('fresh for an hour, stale after, stale with no list or a list from the future', () => {
    const list = { ...cachedList, fetchedAt: NOW };
    expect(isCatalogueStale(list, NOW + CATALOGUE_MAX_AGE_MS - 1)).toBe(false);
    expect(isCatalogueStale(list, NOW + CATALOGUE_MAX_AGE_MS)).toBe(true);
    expect(isCatalogueStale(undefined, NOW)).toBe(true);
    expect(isCatalogueStale(list, NOW - 60_000)).toBe(true);
  });
});
