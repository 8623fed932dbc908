import { describe, expect, test, vi } from 'vitest';
import { EngineError } from '../../../src/engines/types.js';
import { ERRORS } from './fixtures.js';
import { GIB, LOCAL, Q4F32, setup } from './service-harness.js';

describe('LocalModelService: a partial download', () => {
  test('is listed with what is already here, and "Delete partial download" removes it', async () => {
    const { service, deps } = setup({ partial: { [Q4F32]: 1.5 * GIB } });
    await service.prepare(Q4F32);
    expect(service.getState().partial).toEqual([
      expect.objectContaining({
        id: Q4F32,
        storedBytes: 1.5 * GIB,
        sizeText: expect.stringMatching(/^1\.5 GB of about/),
      }),
    ]);

    await service.deleteModel(Q4F32);
    expect(deps.deleteModel).toHaveBeenCalledWith(Q4F32);
    expect(service.getState().partial).toEqual([]);
    expect(service.getState().notice).toMatch(/^The partial download of Mistral 7B .* was deleted\.$/);
  });

  test('the storage check counts only what is left to fetch, and the load is told what is on disk', async () => {
    const { service, deps, engine } = setup({ partial: { [Q4F32]: 3 * GIB } });
    await service.prepare(Q4F32);
    const option = service.getState().options.find((candidate) => candidate.id === Q4F32);
    await service.requestDownload();

    expect(deps.checkQuota).toHaveBeenCalledWith(option!.downloadBytes - 3 * GIB);
    expect(service.getState().phase).toMatchObject({ kind: 'consent', sizeText: expect.stringMatching(/left of/) });
    await service.confirmDownload();
    expect(engine.loads[0]?.storedBytes).toBe(3 * GIB);
  });

  test('with too little space for the rest only, the download can still start', async () => {
    const { service } = setup({ partial: { [Q4F32]: 4 * GIB }, freeBytes: 1 * GIB });
    await service.prepare(Q4F32);
    await service.requestDownload();
    expect(service.getState().phase.kind).toBe('consent');
  });
});

describe('LocalModelService: a failed load started from Settings', () => {
  test('is also raised for an alert, since Settings may be closed by then', async () => {
    const { service, deps, engine } = setup();
    engine.scripts.push({ outcome: { error: ERRORS.quota } });
    await service.prepare(Q4F32);
    await service.requestDownload();
    await service.confirmDownload();
    expect(service.getState().phase).toMatchObject({ kind: 'error', error: 'quota' });
    expect(deps.onLoadFailed).toHaveBeenCalledWith(expect.stringMatching(/ran out of storage space/));
  });

  test('a load a reply started reports through the reply only', async () => {
    const { service, deps, engine } = setup({ onDisk: [Q4F32] });
    engine.scripts.push({ outcome: { error: ERRORS.deviceLost } });
    await expect(service.engine(LOCAL)).rejects.toBeInstanceOf(EngineError);
    expect(deps.onLoadFailed).not.toHaveBeenCalled();
  });
});

describe('LocalModelService: another tab takes the GPU over', () => {
  test('the reply streaming here is told why, and the GPU is released only after the model is unloaded', async () => {
    const { service, engine, lock, log } = setup({ onDisk: [Q4F32] });
    await service.engine(LOCAL);
    const releasesBefore = lock.releases;
    lock.stealFromThisTab();
    await vi.waitFor(() => expect(lock.releases).toBe(releasesBefore + 1));

    expect(log.at(-1)).toBe('unload');
    expect(engine.unloadReasons.at(-1)).toMatchObject({
      kind: 'model-in-use',
      userMessage: expect.stringMatching(/^This reply stopped because another tab of this app took over/),
    });
    expect(service.getState().phase).toEqual({ kind: 'in-use-elsewhere', modelId: Q4F32 });
  });
});
