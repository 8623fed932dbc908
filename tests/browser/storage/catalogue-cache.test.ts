import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRouterModels } from '../../../src/engines/hf/catalogue.js';
import type { Catalogue } from '../../../src/domain/catalogue.js';
import { IdbCatalogueCache } from '../../../src/storage/catalogue-cache.js';
import routerPresent from '../../fixtures/hf-catalogue/router-mistral-present.json';
import { useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: IdbCatalogueCache[] = [];

function cacheNamed(name: string): IdbCatalogueCache {
  const cache = new IdbCatalogueCache({ name });
  opened.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const catalogue: Catalogue = {
  source: 'router',
  origin: 'https://router.huggingface.co',
  fetchedAt: Date.UTC(2026, 11, 1, 21, 0),
  models: parseRouterModels(routerPresent),
};

describe('the catalogue cache in Chromium', () => {
  it('keeps each list, with its date, across a reload (a new connection)', async () => {
    const name = newDatabaseName();
    const endpoint = { ...catalogue, source: 'endpoint' as const, origin: 'http://localhost:11434' };
    await cacheNamed(name).write('huggingface', catalogue);
    await cacheNamed(name).write('endpoint:http://localhost:11434/v1/models', endpoint);

    const reloaded = cacheNamed(name);
    expect(await reloaded.read('huggingface')).toEqual(catalogue);
    expect(await reloaded.read('endpoint:http://localhost:11434/v1/models')).toEqual(endpoint);
    expect(await reloaded.read('endpoint:http://localhost:1234/v1/models')).toBeUndefined();
  });

  it('a stored record of another shape (another version of the app) counts as no list', async () => {
    const name = newDatabaseName();
    await cacheNamed(name).write('huggingface', catalogue);
    const db = await openDB(name, 1);
    await db.put('catalogues', { source: 'router', list: ['mistralai/Mistral-7B-Instruct-v0.3'] }, 'huggingface');
    db.close();
    expect(await cacheNamed(name).read('huggingface')).toBeUndefined();
  });

  it('keeps lists in memory for this tab when the browser refuses IndexedDB', async () => {
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(() => {
      throw new DOMException('Access to IndexedDB is denied in this context.', 'SecurityError');
    });
    const cache = cacheNamed(newDatabaseName());
    await expect(cache.write('huggingface', catalogue)).resolves.toBeUndefined();
    expect(await cache.read('huggingface')).toEqual(catalogue);
  });

  it('keeps lists in memory when IndexedDB does not exist at all', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const cache = cacheNamed(newDatabaseName());
    expect(await cache.read('huggingface')).toBeUndefined();
    await cache.write('huggingface', catalogue);
    expect(await cache.read('huggingface')).toEqual(catalogue);
  });
});
