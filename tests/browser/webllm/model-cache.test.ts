import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { afterEach, describe, expect, test } from 'vitest';
import { listLocalModels } from '../../../src/engines/webllm/catalog.js';
import { probeGpu } from '../../../src/engines/webllm/gpu-probe.js';
import {
  deleteAllModels,
  deleteModel,
  isModelCached,
  listCachedModels,
} from '../../../src/engines/webllm/model-cache.js';

const MODEL_ID = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const record = prebuiltAppConfig.model_list.find((model) => model.model_id === MODEL_ID);
// WebLLM keys its Cache Storage entries by the files' URLs under "<model>/resolve/main/".
const base = `${record?.model ?? ''}/resolve/main/`;
const SHARDS = ['params_shard_0.bin', 'params_shard_1.bin'];

/** What a finished download leaves in Cache Storage, with tiny stand-in files: nothing is fetched. */
async function storeFakeDownload(shards: string[]): Promise<void> {
  const cache = await caches.open('webllm/model');
  const index = { metadata: {}, records: SHARDS.map((dataPath) => ({ dataPath, nbytes: 4, records: [] })) };
  await cache.put(new Request(`${base}tensor-cache.json`), new Response(JSON.stringify(index)));
  for (const shard of shards) await cache.put(new Request(`${base}${shard}`), new Response(new Uint8Array(4)));
  await cache.put(new Request(`${base}tokenizer.json`), new Response('{}'));
  await (await caches.open('webllm/wasm')).put(new Request(record?.model_lib ?? ''), new Response('wasm'));
  await (await caches.open('webllm/config')).put(new Request(`${base}mlc-chat-config.json`), new Response('{}'));
}

afterEach(() => deleteAllModels());

describe('models on disk, through WebLLM’s real cache functions and this browser’s Cache Storage', () => {
  test('a model never downloaded is not cached, and deleting it touches nothing', async () => {
    expect(await isModelCached(MODEL_ID)).toBe(false);
    expect(await deleteModel(MODEL_ID)).toBe(false);
  });

  test('a complete download is listed with its size, and deleting it frees its space', async () => {
    await storeFakeDownload(SHARDS);
    expect(await isModelCached(MODEL_ID)).toBe(true);

    const options = listLocalModels(await probeGpu(), prebuiltAppConfig.model_list);
    const cached = await listCachedModels(options);
    expect(cached).toEqual([
      { id: MODEL_ID, label: 'SmolLM2 360M Instruct · q4f32_1', bytes: expect.any(Number) as number },
    ]);
    expect(cached[0]?.bytes).toBeGreaterThan(100 * 1024 * 1024);

    expect(await deleteModel(MODEL_ID)).toBe(true);
    expect(await isModelCached(MODEL_ID)).toBe(false);
    // WebLLM keeps only the few-kilobyte weight index; every shard and the tokenizer are gone.
    const left = (await (await caches.open('webllm/model')).keys()).map((request) => request.url);
    expect(left).toEqual([`${base}tensor-cache.json`]);
    expect(await (await caches.open('webllm/wasm')).keys()).toHaveLength(0);
    expect(await (await caches.open('webllm/config')).keys()).toHaveLength(0);
  });

  test('an interrupted download is not "cached", and deleting everything clears it', async () => {
    await storeFakeDownload(SHARDS.slice(0, 1));
    expect(await isModelCached(MODEL_ID)).toBe(false);
    await deleteAllModels();
    expect(await caches.has('webllm/model')).toBe(false);
  });
});
