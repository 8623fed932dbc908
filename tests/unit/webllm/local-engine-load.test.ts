/** LocalEngine loading a model: the worker, its progress, retries of a broken download, cancelling and unloading. */
import { describe, expect, test, vi } from 'vitest';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { EngineError, isAbortError, type RetryNotice } from '../../../src/engines/types.js';
import type { LoadProgress } from '../../../src/engines/webllm/progress.js';
import { WORKER_ERROR_NAME } from '../../../src/engines/webllm/errors.js';
import { ERRORS, MISTRAL, PROGRESS } from './fixtures.js';
import { FakeWebLlmEngine, fakeFactory } from './fake-webllm.js';
import { OK, loadedEngine, rejection } from './local-engine-harness.js';

describe('LocalEngine.load', () => {
  test('loads in a worker created on first use and reports each phase', async () => {
    const engine = new FakeWebLlmEngine({
      progress: [PROGRESS.start, PROGRESS.fetchQuarter, PROGRESS.cacheHalf, PROGRESS.shaders, PROGRESS.finish],
      outcome: 'ok',
    });
    const factory = fakeFactory(engine);
    const local = new LocalEngine({ createEngine: factory.create });
    expect(factory.engines).toHaveLength(0);
    expect(local.isLoaded).toBe(false);
    expect(local.kind).toBe('local');

    const progress: LoadProgress[] = [];
    await local.load(MISTRAL, { onProgress: (report) => progress.push(report) });

    expect(engine.reloads).toEqual([MISTRAL]);
    expect(progress.map((report) => report.phase)).toEqual(['download', 'download', 'cache', 'shaders', 'finishing']);
    expect(progress[1]?.label).toMatch(/^Downloading the model: 973 of 3,892 MB/);
    expect(local.isLoaded).toBe(true);
    expect(local.model).toBe(MISTRAL);
  });

  test('a network failure is retried with backoff in a fresh worker, resuming the download', async () => {
    const factory = fakeFactory(
      new FakeWebLlmEngine({ progress: [PROGRESS.fetchFirst], outcome: { error: ERRORS.fetchFailed } }),
      new FakeWebLlmEngine({ outcome: { error: ERRORS.cacheAddFailed } }),
      new FakeWebLlmEngine({ progress: [PROGRESS.fetchDone, PROGRESS.finish], outcome: 'ok' }),
    );
    const delays: number[] = [];
    const local = new LocalEngine({
      createEngine: factory.create,
      retryDelayMs: (retry) => {
        delays.push(retry);
        return 0;
      },
    });
    const notices: RetryNotice[] = [];
    await local.load(MISTRAL, { onRetry: (notice) => notices.push(notice) });

    expect(local.isLoaded).toBe(true);
    expect(factory.engines).toHaveLength(3);
    expect(factory.terminated).toEqual([0, 1]);
    expect(delays).toEqual([1, 2]);
    expect(notices.map((notice) => [notice.attempt, notice.maxAttempts])).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  test('after three retries the download fails with "download-failed"', async () => {
    const failing = () => new FakeWebLlmEngine({ outcome: { error: ERRORS.fetchFailed } });
    const factory = fakeFactory(failing(), failing(), failing(), failing());
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
    const onRetry = vi.fn();

    const error = await rejection(local.load(MISTRAL, { onRetry }));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('download-failed');
    expect(onRetry).toHaveBeenCalledTimes(3);
    expect(factory.terminated).toEqual([0, 1, 2, 3]);
    expect(local.isLoaded).toBe(false);
  });

  test('a failure that a retry cannot fix is reported at once', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: { error: ERRORS.deviceLost } }));
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
    const error = await rejection(local.load(MISTRAL));
    expect((error as EngineError).kind).toBe('device-lost');
    expect(factory.engines).toHaveLength(1);
    expect(factory.terminated).toEqual([0]);
  });

  test('cancelling mid-download ends the worker and rejects with an AbortError; a new load starts afresh', async () => {
    const hanging = new FakeWebLlmEngine({ progress: [PROGRESS.start, PROGRESS.fetchFirst], outcome: 'hang' });
    const factory = fakeFactory(hanging, new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    const controller = new AbortController();
    const progress: LoadProgress[] = [];
    const loading = local.load(MISTRAL, {
      signal: controller.signal,
      onProgress: (report) => {
        progress.push(report);
        if (report.shardIndex === 1) controller.abort();
      },
    });

    expect(isAbortError(await rejection(loading))).toBe(true);
    expect(factory.terminated).toEqual([0]);
    expect(local.isLoaded).toBe(false);

    await local.load(MISTRAL);
    expect(local.isLoaded).toBe(true);
    expect(factory.engines).toHaveLength(2);
  });

  test('cancelling while waiting to retry stops the retries', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: { error: ERRORS.fetchFailed } }));
    const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 3_600_000 });
    const controller = new AbortController();
    const loading = local.load(MISTRAL, { signal: controller.signal, onRetry: () => controller.abort() });
    expect(isAbortError(await rejection(loading))).toBe(true);
    expect(factory.engines).toHaveLength(1);
  });

  test('an already aborted signal starts nothing', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    expect(isAbortError(await rejection(local.load(MISTRAL, { signal: AbortSignal.abort() })))).toBe(true);
    expect(factory.engines).toHaveLength(0);
  });

  test('a worker that dies while loading is reported instead of waiting forever', async () => {
    const factory = fakeFactory(new FakeWebLlmEngine({ outcome: 'hang' }));
    const local = new LocalEngine({ createEngine: factory.create });
    const loading = local.load(MISTRAL);
    await vi.waitFor(() => expect(factory.engines).toHaveLength(1));
    const crash = new Error('The model worker stopped: its script failed to load');
    crash.name = WORKER_ERROR_NAME;
    factory.failWorker(0, crash);
    const error = (await rejection(loading)) as EngineError;
    expect(error.kind).toBe('model-library');
    expect(error.userMessage).toMatch(/stopped unexpectedly/);
    expect(factory.terminated).toEqual([0]);
  });

  test('loading the loaded model again does nothing; another model replaces it in a fresh worker', async () => {
    const first = new FakeWebLlmEngine(OK);
    const factory = fakeFactory(first, new FakeWebLlmEngine(OK));
    const local = new LocalEngine({ createEngine: factory.create });
    await local.load(MISTRAL);
    await local.load(MISTRAL);
    expect(first.reloads).toEqual([MISTRAL]);

    await local.load('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(first.unloadCalls).toBe(1);
    expect(factory.terminated).toEqual([0]);
    expect(local.model).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
  });

  test('unload gives the GPU back: the model is unloaded and the worker ended', async () => {
    const { local, engine, factory } = await loadedEngine();
    await local.unload();
    expect(engine.unloadCalls).toBe(1);
    expect(factory.terminated).toEqual([0]);
    expect(local.isLoaded).toBe(false);
    expect(local.model).toBe('');
  });
});
