import { deleteModelAllInfoInCache, hasModelInCache, prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { listLocalModels } from '../../../src/engines/webllm/catalog.js';
import { probeGpu } from '../../../src/engines/webllm/gpu-probe.js';
import {
  cacheStorageApi,
  deleteAllModels,
  deleteModel,
  deleteModelRecordFromCache,
  hasModelRecordInCache,
  inspectRecordInCache,
  isModelCached,
  listCachedModels,
  listPartialDownloads,
  purgeModelRecordFromCache,
  readModelShape,
  WEBLLM_CACHE_NAMES,
} from '../../../src/engines/webllm/model-cache.js';

/** A download as WebLLM leaves it in Cache Storage, with tiny stand-in files: nothing here is fetched. */
interface FakeDownload {
  record: ModelRecord;
  shards: string[];
  /** Shards left out, as after an interrupted download. */
  missing?: string[];
  withoutIndex?: boolean;
}

async function store({ record, shards, missing = [], withoutIndex = false }: FakeDownload): Promise<void> {
  const base = baseUrl(record);
  const model = await caches.open('webllm/model');
  if (!withoutIndex) {
    const index = { metadata: {}, records: shards.map((dataPath) => ({ dataPath, nbytes: 4, records: [] })) };
    await model.put(`${base}tensor-cache.json`, new Response(JSON.stringify(index)));
  }
  for (const shard of shards.filter((name) => !missing.includes(name))) {
    await model.put(`${base}${shard}`, new Response(new Uint8Array(4)));
  }
  await model.put(`${base}tokenizer.json`, new Response('{}'));
  await model.put(`${base}tokenizer.model`, new Response('spm'));
  await (await caches.open('webllm/wasm')).put(record.model_lib, new Response('wasm'));
  const config = await caches.open('webllm/config');
  await config.put(`${base}mlc-chat-config.json`, new Response('{}'));
  if (record.model_manifest) await config.put(`${base}${record.model_manifest}`, new Response('{}'));
}

/** WebLLM keys its entries by the files' URLs under "<model>/resolve/main/". */
function baseUrl(record: ModelRecord): string {
  return `${record.model.replace(/\/$/, '')}/resolve/main/`;
}

/** Every entry of WebLLM's caches, by cache. */
async function snapshot(): Promise<Record<string, string[]>> {
  const entries: Record<string, string[]> = {};
  for (const name of WEBLLM_CACHE_NAMES) {
    const keys = (await caches.has(name)) ? await (await caches.open(name)).keys() : [];
    entries[name] = keys.map((request) => request.url).sort();
  }
  return entries;
}

const FAKE: ModelRecord = {
  model: 'https://huggingface.co/mlc-ai/Fake-Model-MLC',
  model_id: 'Fake-Model-MLC',
  model_lib:
    'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Fake-Model-webgpu.wasm',
};
/** A model whose record names a package manifest, which WebLLM deletes with the chat config. */
const FAKE_WITH_MANIFEST: ModelRecord = {
  model: 'https://huggingface.co/mlc-ai/Fake-Manifest-Model-MLC/',
  model_id: 'Fake-Manifest-Model-MLC',
  model_lib:
    'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Fake-Manifest-webgpu.wasm',
  model_manifest: 'mlc-model-manifest.json',
};
/** Another model on disk, which no delete may touch. */
const OTHER: ModelRecord = {
  model: 'https://huggingface.co/mlc-ai/Other-Model-MLC',
  model_id: 'Other-Model-MLC',
  model_lib:
    'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Other-webgpu.wasm',
  model_manifest: 'mlc-model-manifest.json',
};
const SHARDS = ['params_shard_0.bin', 'params_shard_1.bin', 'params_shard_2.bin'];
/** What the worker runs with: WebLLM's Cache API backend. */
const APP_CONFIG: AppConfig = { model_list: [FAKE, FAKE_WITH_MANIFEST, OTHER], cacheBackend: 'cache' };

// Anything WebLLM fetches goes through `fetch()` or `Cache.add()`: both are watched, and must stay unused.
let network: MockInstance[] = [];

beforeEach(() => {
  const refuse = (): never => {
    throw new Error('This test must not use the network');
  };
  network = [
    vi.spyOn(globalThis, 'fetch').mockImplementation(refuse),
    vi.spyOn(Cache.prototype, 'add').mockImplementation(refuse),
    vi.spyOn(Cache.prototype, 'addAll').mockImplementation(refuse),
  ];
});

afterEach(async () => {
  const calls = network.map((spy) => spy.mock.calls.length);
  vi.restoreAllMocks();
  await deleteAllModels();
  expect(calls).toEqual([0, 0, 0]);
});

describe('our Cache Storage reading agrees with WebLLM’s own functions', () => {
  test('the app never leaves WebLLM’s Cache API backend', () => {
    expect(prebuiltAppConfig.cacheBackend ?? 'cache').toBe('cache');
  });

  test.each<[string, Partial<FakeDownload>, boolean]>([
    ['every shard present', {}, true],
    ['one shard missing', { missing: ['params_shard_1.bin'] }, false],
    ['the weight index missing', { withoutIndex: true }, false],
  ])('%s: both say %s', async (_, download, expected) => {
    await store({ record: FAKE, shards: SHARDS, ...download });
    expect(await hasModelInCache(FAKE.model_id, APP_CONFIG)).toBe(expected);
    expect(await hasModelRecordInCache(FAKE)).toBe(expected);
    expect(await isModelCached(FAKE.model_id, cacheStorageApi([FAKE]))).toBe(expected);
  });

  test('nothing stored: both say no', async () => {
    expect(await hasModelInCache(FAKE.model_id, APP_CONFIG)).toBe(false);
    expect(await hasModelRecordInCache(FAKE)).toBe(false);
  });

  test.each([
    ['a complete download', FAKE, {}],
    ['an interrupted download', FAKE, { missing: ['params_shard_0.bin'] }],
    ['a model with a package manifest', FAKE_WITH_MANIFEST, {}],
  ])('deleting %s removes what WebLLM’s delete removes, and nothing else', async (_, record, download) => {
    const arrange = async (): Promise<void> => {
      await deleteAllModels();
      await store({ record: OTHER, shards: SHARDS });
      await store({ record, shards: SHARDS, ...download });
    };

    await arrange();
    await deleteModelAllInfoInCache(record.model_id, APP_CONFIG);
    const afterWebLlm = await snapshot();

    await arrange();
    await deleteModelRecordFromCache(record);
    const afterOurs = await snapshot();

    expect(afterOurs).toEqual(afterWebLlm);
    // The other model is untouched; of this one, WebLLM keeps only the few-kilobyte weight index.
    const base = baseUrl(record);
    expect(afterOurs['webllm/model']?.filter((url) => url.startsWith(base))).toEqual([`${base}tensor-cache.json`]);
    expect(afterOurs['webllm/wasm']).toHaveLength(1);
  });

  test('deleting a model whose weight index is gone removes the rest without going to the network', async () => {
    await store({ record: FAKE, shards: SHARDS, withoutIndex: true });
    await deleteModelRecordFromCache(FAKE);
    const left = await snapshot();
    // The shards cannot be named without the index; everything else is gone.
    expect(left['webllm/model']).toEqual(SHARDS.map((shard) => `${baseUrl(FAKE)}${shard}`));
    expect(left['webllm/wasm']).toEqual([]);
    expect(left['webllm/config']).toEqual([]);
  });
});

describe('what an interrupted or damaged download left', () => {
  test('nothing stored: not present, nothing to delete', async () => {
    expect(await inspectRecordInCache(FAKE)).toEqual({
      complete: false,
      present: false,
      storedBytes: 0,
      unreadable: false,
    });
  });

  test('a chat config that is a captive portal’s HTML page marks the download as damaged; purging removes it', async () => {
    await store({ record: OTHER, shards: SHARDS });
    await store({ record: FAKE, shards: SHARDS, missing: ['params_shard_1.bin'] });
    const config = await caches.open('webllm/config');
    await config.put(`${baseUrl(FAKE)}mlc-chat-config.json`, new Response('<!doctype html><title>Sign in</title>'));
    expect(await inspectRecordInCache(FAKE)).toEqual({
      complete: false,
      present: true,
      storedBytes: 8,
      unreadable: true,
    });

    await purgeModelRecordFromCache(FAKE);
    const left = await snapshot();
    expect(
      Object.values(left)
        .flat()
        .filter((url) => url.startsWith(baseUrl(FAKE))),
    ).toEqual([]);
    expect(left['webllm/wasm']).toEqual([OTHER.model_lib]);
    expect(await hasModelRecordInCache(OTHER)).toBe(true);
  });

  test('an unreadable weight index: present, nothing counted as stored', async () => {
    await store({ record: FAKE, shards: SHARDS, withoutIndex: true });
    await (await caches.open('webllm/model')).put(`${baseUrl(FAKE)}tensor-cache.json`, new Response('<html>'));
    expect(await inspectRecordInCache(FAKE)).toMatchObject({
      complete: false,
      present: true,
      storedBytes: 0,
      unreadable: true,
    });
  });
});

describe('what the speed test reads of a model on disk', () => {
  test('the exact weight bytes from the index, and the KV bytes per token from the chat config', async () => {
    await store({ record: FAKE, shards: SHARDS });
    const config = await caches.open('webllm/config');
    const modelConfig = { num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, hidden_size: 4096 };
    await config.put(
      `${baseUrl(FAKE)}mlc-chat-config.json`,
      new Response(JSON.stringify({ model_config: modelConfig })),
    );
    // Mistral 7B's shape in f16: 2 × 32 layers × 8 KV heads × 128 × 2 bytes.
    expect(await readModelShape(FAKE.model_id, async () => [FAKE])).toEqual({
      weightBytes: 12,
      kvBytesPerToken: 131_072,
    });
  });

  test('a chat config without its model_config leaves the KV cache out; no weight index, no shape', async () => {
    await store({ record: FAKE, shards: SHARDS });
    expect(await readModelShape(FAKE.model_id, async () => [FAKE])).toEqual({
      weightBytes: 12,
      kvBytesPerToken: undefined,
    });
    await deleteAllModels();
    expect(await readModelShape(FAKE.model_id, async () => [FAKE])).toBeUndefined();
  });
});

describe('models on disk, by id, through WebLLM’s prebuilt list', () => {
  const MODEL_ID = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
  const record = prebuiltAppConfig.model_list.find((model) => model.model_id === MODEL_ID)!;

  test('a model never downloaded is not cached, and deleting it touches nothing', async () => {
    expect(await isModelCached(MODEL_ID)).toBe(false);
    expect(await deleteModel(MODEL_ID)).toBe(false);
    expect(await isModelCached('No-Such-Model-MLC')).toBe(false);
  });

  test('a complete download is listed with its size, and deleting it frees all of its space', async () => {
    await store({ record, shards: SHARDS.slice(0, 2) });
    expect(await isModelCached(MODEL_ID)).toBe(true);

    const options = listLocalModels(await probeGpu(), prebuiltAppConfig.model_list);
    const cached = await listCachedModels(options);
    expect(cached).toEqual([
      { id: MODEL_ID, label: 'SmolLM2 360M Instruct · q4f32_1', bytes: expect.any(Number) as number },
    ]);
    expect(cached[0]?.bytes).toBeGreaterThan(100 * 1024 * 1024);

    expect(await deleteModel(MODEL_ID)).toBe(true);
    expect(await isModelCached(MODEL_ID)).toBe(false);
    expect(await snapshot()).toEqual({ 'webllm/model': [], 'webllm/config': [], 'webllm/wasm': [] });
  });

  test('an interrupted download is listed as partial, with the bytes already here, and deleting it frees them', async () => {
    await store({ record, shards: SHARDS, missing: ['params_shard_2.bin'] });
    const options = listLocalModels(await probeGpu(), prebuiltAppConfig.model_list);
    expect(await listCachedModels(options)).toEqual([]);
    expect(await listPartialDownloads(options)).toEqual([expect.objectContaining({ id: MODEL_ID, storedBytes: 8 })]);

    expect(await deleteModel(MODEL_ID)).toBe(true);
    expect(await listPartialDownloads(options)).toEqual([]);
    expect(await snapshot()).toEqual({ 'webllm/model': [], 'webllm/config': [], 'webllm/wasm': [] });
  });

  test('an interrupted download is not "cached", and deleting everything clears it', async () => {
    await store({ record, shards: SHARDS, missing: ['params_shard_2.bin'] });
    expect(await isModelCached(MODEL_ID)).toBe(false);
    await deleteAllModels();
    expect(await caches.has('webllm/model')).toBe(false);
  });
});
