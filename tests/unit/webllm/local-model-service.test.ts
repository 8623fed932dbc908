import { describe, expect, test, vi } from 'vitest';
import { EngineError, isAbortError, type ChatChunk, type ChatRequest } from '../../../src/engines/types.js';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { NO_WEBGPU_MESSAGE } from '../../../src/engines/webllm/gpu-probe.js';
import {
  DOWNLOAD_CANCELLED_NOTICE,
  localAvailability,
  shortModelName,
} from '../../../src/engines/webllm/local-model-state.js';
import { DEFAULT_SAMPLING } from '../../../src/domain/settings.js';
import { FakeWebLlmEngine, fakeFactory } from './fake-webllm.js';
import { ERRORS, PROGRESS } from './fixtures.js';
import { GIB, Q4F16, Q4F32, LLAMA_1B, LOCAL, gpu, NO_F16_GPU, NO_WEBGPU, setup } from './service-harness.js';

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(EngineError);
  return outcome as EngineError;
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const HELLO: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }], params: DEFAULT_SAMPLING };

describe('LocalModelService: the catalogue', () => {
  test('nothing is probed or imported until prepare(), and prepare() runs once', async () => {
    const { service, deps } = setup();
    expect(deps.probeGpu).not.toHaveBeenCalled();
    expect(deps.loadModelList).not.toHaveBeenCalled();
    expect(service.getState()).toMatchObject({ gpu: null, catalogue: 'idle', options: [] });

    await Promise.all([service.prepare(Q4F16), service.prepare()]);
    await service.prepare();
    expect(deps.probeGpu).toHaveBeenCalledOnce();
    expect(deps.loadModelList).toHaveBeenCalledOnce();
  });

  test('a GPU without shader-f16: Mistral first, the saved q4f16_1 choice falls back to q4f32_1', async () => {
    const { service } = setup({ onDisk: [LLAMA_1B] });
    await service.prepare(Q4F16);
    const state = service.getState();

    expect(state.gpu).toBe(NO_F16_GPU);
    expect(state.gpuSummary).toEqual({ level: 'ok', message: NO_F16_GPU.message });
    expect(state.options.map((option) => option.id).slice(0, 2)).toEqual([Q4F32, Q4F16]);
    expect(state.options[1]?.disabledReason).toMatch(/shader-f16/);
    expect(state.selectedId).toBe(Q4F32);
    expect(state.cached).toEqual([expect.objectContaining({ id: LLAMA_1B, sizeText: expect.stringMatching(/MB$/) })]);
    expect(state.phase).toEqual({ kind: 'idle' });
    expect(state.status).toBe('Mistral 7B Instruct v0.3 · q4f32_1 is not downloaded yet.');
  });

  test('a model list that fails to load is an error with next steps, and the next prepare() retries', async () => {
    const { service, deps } = setup();
    const offline = new TypeError('Failed to fetch dynamically imported module');
    deps.loadModelList.mockRejectedValueOnce(offline).mockRejectedValueOnce(offline);
    await service.prepare();
    expect(service.getState().catalogue).toBe('failed');
    expect(service.getState().status).toMatch(/list of local models could not be loaded.*Hugging Face API/);
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'model list not loaded' });
    expect((await rejection(service.engine(LOCAL))).kind).toBe('network');

    await service.prepare();
    expect(service.getState()).toMatchObject({ catalogue: 'ready', selectedId: Q4F32, phase: { kind: 'idle' } });
  });
});

describe('LocalModelService: consent before any download', () => {
  test('Download model on a model not on disk shows its size and the free space, and starts nothing', async () => {
    const { service, deps, engine } = setup({ freeBytes: 100 * GIB });
    await service.prepare();
    await service.requestDownload();

    expect(service.getState().phase).toEqual({
      kind: 'consent',
      modelId: Q4F32,
      sizeText: expect.stringMatching(/^about \d+\.\d GB$/),
      freeText: '100.0 GB',
    });
    expect(service.getState().status).toMatch(
      /^About \d+\.\d GB to download; 100\.0 GB free for this site\. Nothing is downloaded until you choose Start download\.$/,
    );
    expect(deps.checkQuota).toHaveBeenCalledWith(service.getState().options[0]?.downloadBytes);
    expect(engine.loads).toEqual([]);
    expect(deps.requestPersistence).not.toHaveBeenCalled();
    expect(deps.acquireGpu).not.toHaveBeenCalled();
  });

  test('too little storage ends in an error that says so, with nothing started', async () => {
    const { service, deps, engine } = setup({ freeBytes: 1 * GIB });
    await service.prepare();
    await service.requestDownload();

    expect(service.getState().phase).toMatchObject({ kind: 'error', error: 'quota', modelId: Q4F32 });
    expect(service.getState().status).toMatch(/needs about .* GB.*only 1.0 GB more/);
    expect(engine.loads).toEqual([]);
    expect(deps.requestPersistence).not.toHaveBeenCalled();
    expect(deps.acquireGpu).not.toHaveBeenCalled();
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'not enough storage' });
  });

  test('Cancel on the consent step goes back without a trace', async () => {
    const { service, engine } = setup();
    await service.prepare();
    await service.requestDownload();
    await service.cancelDownload();
    expect(service.getState()).toMatchObject({ phase: { kind: 'idle' }, notice: null });
    expect(engine.loads).toEqual([]);
  });

  test('Start download asks to keep storage, takes the GPU, then loads with its progress in the state', async () => {
    let log: string[] = [];
    const fake = new FakeWebLlmEngine({
      progress: [PROGRESS.start, PROGRESS.fetchQuarter, PROGRESS.fetchDone, PROGRESS.cacheHalf, PROGRESS.finish],
      outcome: 'ok',
    });
    const factory = fakeFactory(fake);
    const local = new LocalEngine({
      createEngine: () => {
        log.push('start worker');
        return factory.create();
      },
    });
    const { service, deps, states, log: serviceLog } = setup({ engine: local });
    log = serviceLog;
    await service.prepare();
    await service.requestDownload();
    await service.confirmDownload();

    expect(log).toEqual(['persist', 'acquire gpu', 'start worker']);
    expect(deps.requestPersistence).toHaveBeenCalledOnce();
    expect(fake.reloads).toEqual([Q4F32]);
    const loading = states.flatMap((state) => (state.phase.kind === 'loading' ? [state] : []));
    expect(loading[0]?.status).toBe('Downloading Mistral 7B Instruct v0.3 · q4f32_1…');
    expect(loading.map((state) => state.phase.kind === 'loading' && state.phase.progress?.label)).toContain(
      'Downloading the model: 973 of 3,892 MB (25 %), about 2 min left',
    );
    expect(loading.map((state) => state.status)).toContain('Loading Mistral 7B Instruct v0.3 · q4f32_1 onto the GPU…');
    expect(service.getState()).toMatchObject({ phase: { kind: 'ready', modelId: Q4F32 }, storagePersisted: true });
    expect(service.describe(LOCAL)).toEqual({
      engine: 'local',
      label: 'This device · Mistral 7B',
      model: Q4F32,
      available: true,
      detail: 'loaded',
    });
  });

  test('an interrupted download says it will resume, in the state', async () => {
    const { service, engine, states } = setup();
    engine.scripts.push({
      progress: [PROGRESS.fetchFirst],
      retry: {
        attempt: 1,
        maxAttempts: 3,
        delayMs: 2000,
        reason: 'The model download was interrupted; resuming where it stopped.',
      },
      outcome: 'ok',
    });
    await service.prepare();
    await service.requestDownload();
    await service.confirmDownload();
    const retrying = states.find((state) => state.phase.kind === 'loading' && state.phase.retryText);
    expect(retrying?.status).toBe(
      'The model download was interrupted; resuming where it stopped. Retry 1 of 3 in 2 s.',
    );
  });

  test('Cancel mid-download aborts it, gives the GPU back, and says a later download resumes', async () => {
    const { service, engine, lock } = setup();
    engine.scripts.push({ progress: [PROGRESS.start, PROGRESS.fetchFirst], outcome: 'hang' });
    await service.prepare();
    await service.requestDownload();
    const downloading = service.confirmDownload();
    await vi.waitFor(() => expect(engine.loads).toHaveLength(1));
    // The status line changes with the phase only; the progress bar carries the percent.
    expect(service.describe(LOCAL).detail).toBe('downloading');

    await service.cancelDownload();
    await downloading;
    expect(engine.loads[0]?.signal?.aborted).toBe(true);
    expect(lock.releases).toBe(1);
    expect(service.getState()).toMatchObject({ phase: { kind: 'idle' }, notice: DOWNLOAD_CANCELLED_NOTICE });
    expect(service.getState().status).toMatch(/parts already downloaded are kept.*resumes where it stopped/);

    // Still not on disk: the next Download model asks again before fetching.
    await service.requestDownload();
    expect(service.getState().phase.kind).toBe('consent');
    expect(engine.loads).toHaveLength(1);
  });
});

describe('LocalModelService: models already on disk', () => {
  test('Download model loads a cached model at once: no consent, no storage check', async () => {
    const { service, deps, engine, states } = setup({ onDisk: [Q4F32] });
    await service.prepare();
    expect(service.getState().status).toBe('Mistral 7B Instruct v0.3 · q4f32_1 is on this device, ready offline.');
    expect(service.describe(LOCAL).detail).toBe('ready offline');

    await service.requestDownload();
    expect(engine.loads.map((load) => load.modelId)).toEqual([Q4F32]);
    expect(deps.checkQuota).not.toHaveBeenCalled();
    expect(deps.requestPersistence).not.toHaveBeenCalled();
    expect(states.some((state) => state.phase.kind === 'loading' && state.phase.fromDisk)).toBe(true);
    expect(service.getState().phase).toEqual({ kind: 'ready', modelId: Q4F32 });
  });

  test('selecting another model unloads the loaded one and gives the GPU back', async () => {
    const { service, engine, lock } = setup({ onDisk: [Q4F32] });
    await service.prepare();
    await service.requestDownload();
    await service.selectModel(LLAMA_1B);

    expect(engine.unloadCalls).toBe(1);
    expect(engine.isLoaded).toBe(false);
    expect(lock.releases).toBe(1);
    expect(service.getState()).toMatchObject({ selectedId: LLAMA_1B, phase: { kind: 'idle' } });
  });

  test('a model that cannot run here cannot be selected', async () => {
    const { service } = setup();
    await service.prepare();
    await service.selectModel(Q4F16);
    expect(service.getState().selectedId).toBe(Q4F32);
  });

  test('deleting the loaded model unloads it first, then removes it from disk', async () => {
    const { service, engine, disk, lock } = setup({ onDisk: [Q4F32, LLAMA_1B] });
    await service.prepare();
    await service.requestDownload();
    await service.deleteModel(Q4F32);

    expect(engine.unloadCalls).toBe(1);
    expect(lock.releases).toBe(1);
    expect([...disk]).toEqual([LLAMA_1B]);
    expect(service.getState().cached.map((entry) => entry.id)).toEqual([LLAMA_1B]);
    expect(service.getState()).toMatchObject({ phase: { kind: 'idle' } });
    expect(service.getState().status).toBe('Mistral 7B Instruct v0.3 · q4f32_1 was deleted from this device.');
  });

  test('a failed load is an error state with its message, and the GPU is given back', async () => {
    const { service, lock } = setup({
      onDisk: [Q4F32],
      engine: new LocalEngine({
        createEngine: fakeFactory(new FakeWebLlmEngine({ outcome: { error: ERRORS.missingModelLib } })).create,
      }),
    });
    await service.prepare();
    await service.requestDownload();

    expect(service.getState().phase).toMatchObject({ kind: 'error', error: 'model-library', modelId: Q4F32 });
    expect(service.getState().status).toMatch(/program could not be loaded.*Reload the page/);
    expect(lock.releases).toBe(1);
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'failed to load' });
  });
});

describe('LocalModelService: one tab at a time on the GPU', () => {
  test('when another tab holds the GPU, it says so; Use here takes it over and loads', async () => {
    const { service, engine, lock, log } = setup({ onDisk: [Q4F32] });
    lock.heldElsewhere = true;
    await service.prepare();
    await service.requestDownload();

    expect(service.getState().phase).toEqual({ kind: 'in-use-elsewhere', modelId: Q4F32 });
    expect(service.getState().status).toBe('The model is in use in another tab.');
    expect(engine.loads).toEqual([]);
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'in use in another tab' });

    await service.useHere();
    expect(log).toEqual(['acquire gpu', 'take over gpu', `load ${Q4F32}`]);
    expect(service.getState().phase).toEqual({ kind: 'ready', modelId: Q4F32 });
  });

  test('Use here resumes a download the user agreed to without asking again', async () => {
    const { service, engine, lock } = setup();
    lock.heldElsewhere = true;
    await service.prepare();
    await service.requestDownload();
    await service.confirmDownload();
    expect(service.getState().phase.kind).toBe('in-use-elsewhere');

    await service.useHere();
    expect(lock.takeOverGpu).toHaveBeenCalledOnce();
    expect(engine.loads.map((load) => load.modelId)).toEqual([Q4F32]);
  });

  test('when another tab takes the GPU over, the model is unloaded and Use here is offered', async () => {
    const { service, engine, lock } = setup({ onDisk: [Q4F32] });
    await service.prepare();
    const chatEngine = await service.engine(LOCAL);
    expect(chatEngine.model).toBe(Q4F32);

    lock.stealFromThisTab();
    await vi.waitFor(() => expect(engine.unloadCalls).toBe(1));
    expect(service.getState().phase).toEqual({ kind: 'in-use-elsewhere', modelId: Q4F32 });
    const error = await rejection(service.engine(LOCAL));
    expect(error.kind).toBe('model-in-use');
    expect(error.userMessage).toMatch(/Use here/);
  });
});

describe('LocalModelService as the resolver’s LocalEngineAccess', () => {
  test('a model not on this device is never fetched: the error says how to download it', async () => {
    const { service, deps, engine } = setup();
    const error = await rejection(service.engine(LOCAL));

    expect(error.kind).toBe('model-not-loaded');
    expect(error.userMessage).toMatch(
      /^The model is not on this device yet\. Open Settings and choose Download model \(about \d+\.\d GB\), or switch to the Hugging Face API\.$/,
    );
    expect(engine.loads).toEqual([]);
    expect(deps.checkQuota).not.toHaveBeenCalled();
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'not downloaded' });
  });

  test('a model on disk is loaded on first use, without consent, and answers', async () => {
    const { service, deps, engine } = setup({ onDisk: [Q4F32] });
    engine.replies.push([{ delta: 'Bonjour' }, { finishReason: 'stop' }]);
    const chatEngine = await service.engine(LOCAL);

    expect(chatEngine).toMatchObject({ kind: 'local', model: Q4F32 });
    expect(deps.checkQuota).not.toHaveBeenCalled();
    expect(await collect(chatEngine.chat(HELLO, new AbortController().signal))).toEqual([
      { delta: 'Bonjour' },
      { finishReason: 'stop' },
    ]);
    // The loaded engine is reused.
    await service.engine(LOCAL);
    expect(engine.loads).toHaveLength(1);
  });

  test('a reply waits for the load the panel already started', async () => {
    const { service, engine } = setup({ onDisk: [Q4F32] });
    await service.prepare();
    const loading = service.requestDownload();
    const chatEngine = await service.engine(LOCAL);
    await loading;
    expect(chatEngine.model).toBe(Q4F32);
    expect(engine.loads).toHaveLength(1);
  });

  test('a GPU lost mid-reply turns the state to an error naming a smaller model; the next reply loads again', async () => {
    const { service, engine, lock } = setup({ onDisk: [Q4F32] });
    engine.replies.push([{ delta: 'Hi' }, { error: ERRORS.deviceLost }]);
    const chatEngine = await service.engine(LOCAL);
    const failure = await rejection(collect(chatEngine.chat(HELLO, new AbortController().signal)));

    expect(failure.kind).toBe('device-lost');
    expect(failure.userMessage).toMatch(/such as Llama 3\.2 3B Instruct · q4f32_1, in Settings\.$/);
    expect(service.getState().phase).toMatchObject({ message: failure.userMessage });
    expect(service.getState().phase).toMatchObject({ kind: 'error', error: 'device-lost' });
    expect(lock.releases).toBe(1);
    await service.engine(LOCAL);
    expect(engine.loads).toHaveLength(2);
  });

  test('a reply cancelled while its model loads from disk says so', async () => {
    const { service, engine } = setup({ onDisk: [Q4F32] });
    engine.scripts.push({ outcome: 'hang' });
    const resolving = service.engine(LOCAL);
    await vi.waitFor(() => expect(engine.loads).toHaveLength(1));
    expect(service.describe(LOCAL).detail).toBe('starting…');
    await service.cancelDownload();

    const error = await rejection(resolving);
    expect(error.kind).toBe('model-not-loaded');
    expect(isAbortError(error)).toBe(false);
    expect(service.getState().notice).toBe('Loading cancelled. The model stays on this device.');
  });

  test('without WebGPU: every option disabled, the probe’s message as the error', async () => {
    const { service } = setup({ gpu: NO_WEBGPU });
    await service.prepare();
    const state = service.getState();

    expect(state.gpuSummary).toEqual({ level: 'unavailable', message: NO_WEBGPU_MESSAGE });
    expect(state.options.every((option) => option.disabledReason !== undefined)).toBe(true);
    expect(state.selectedId).toBe('');
    expect(localAvailability(state)).toEqual({ available: false, reason: NO_WEBGPU_MESSAGE });
    const error = await rejection(service.engine(LOCAL));
    expect(error).toMatchObject({ kind: 'webgpu-unavailable', userMessage: NO_WEBGPU_MESSAGE });
    expect(service.describe(LOCAL)).toMatchObject({ available: false, detail: 'no WebGPU in this browser' });
  });

  test('a software renderer works but is flagged as very slow', async () => {
    const software = gpu({ software: true, message: 'WebGPU runs on a software renderer here.' });
    const { service } = setup({ gpu: software, onDisk: [Q4F32] });
    expect(service.describe(LOCAL)).toMatchObject({ detail: 'checking this device…' });
    await service.prepare();

    expect(service.getState().gpuSummary).toEqual({ level: 'slow', message: software.message });
    expect(localAvailability(service.getState()).available).toBe(true);
    expect(service.describe(LOCAL)).toMatchObject({
      available: true,
      detail: 'ready offline · software GPU — very slow',
    });
  });

  test('short model names for the status line', () => {
    expect(shortModelName(Q4F16)).toBe('Mistral 7B');
    expect(shortModelName(LLAMA_1B)).toBe('Llama 3.2 1B');
    expect(shortModelName('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe('Qwen2.5 0.5B');
  });
});
