import { describe, expect, test, vi } from 'vitest';
import { EngineError } from '../../../src/engines/types.js';
import {
  LazyLocalModelService,
  LOCAL_SERVICE_LOAD_FAILED,
} from '../../../src/engines/webllm/lazy-local-model-service.js';
import { LocalModelService } from '../../../src/engines/webllm/local-model-service.js';
import { INITIAL_LOCAL_MODEL_STATE } from '../../../src/engines/webllm/local-model-state.js';
import { LOCAL, NO_WEBGPU, Q4F16, setup } from './service-harness.js';

describe('LazyLocalModelService', () => {
  test('before any call it loads nothing and describes the device as being checked, as the service does', () => {
    const load = vi.fn(async () => setup().service);
    const lazy = new LazyLocalModelService({ onLoadFailed: vi.fn(), load });
    expect(lazy.getState()).toBe(INITIAL_LOCAL_MODEL_STATE);
    expect(lazy.describe(LOCAL)).toEqual(new LocalModelService().describe(LOCAL));
    expect(lazy.describe(LOCAL).detail).toBe('checking this device…');
    expect(load).not.toHaveBeenCalled();
  });

  test('prepare loads the service once, and subscribers hear its changes and read its state', async () => {
    const { service } = setup({ gpu: NO_WEBGPU });
    const load = vi.fn(async () => service);
    const lazy = new LazyLocalModelService({ onLoadFailed: vi.fn(), load });
    const heard = vi.fn();
    lazy.subscribe(heard);
    await Promise.all([lazy.prepare(Q4F16), lazy.prepare()]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(heard).toHaveBeenCalled();
    expect(lazy.getState()).toBe(service.getState());
    expect(lazy.getState().gpu).toEqual(NO_WEBGPU);
    expect(lazy.describe(LOCAL)).toEqual(service.describe(LOCAL));
  });

  test('a service that cannot be loaded is an alert from an action, a clear error from a reply, and is retried', async () => {
    const onLoadFailed = vi.fn();
    const load = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'));
    load.mockResolvedValueOnce(setup().service);
    const lazy = new LazyLocalModelService({ onLoadFailed, load });

    await expect(lazy.prepare()).resolves.toBeUndefined();
    expect(onLoadFailed).toHaveBeenCalledWith(LOCAL_SERVICE_LOAD_FAILED);
    expect(lazy.getState()).toBe(INITIAL_LOCAL_MODEL_STATE);

    await lazy.prepare();
    expect(load).toHaveBeenCalledTimes(2);
    expect(lazy.getState().catalogue).toBe('ready');
  });

  test('a reply asked for while the service cannot load fails with what to do', async () => {
    const load = vi.fn().mockRejectedValue(new TypeError('Failed to fetch dynamically imported module'));
    const lazy = new LazyLocalModelService({ onLoadFailed: vi.fn(), load });
    const error = await lazy.engine(LOCAL).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toBe(LOCAL_SERVICE_LOAD_FAILED);
  });
});
