import { describe, expect, test, vi } from 'vitest';
import { acquireGpu, GPU_LOCK_NAME, takeOverGpu } from '../../../src/engines/webllm/gpu-lock.js';

// Web Locks are shared by every tab of an origin; two requests from this page behave like two tabs.
describe('GPU lock on this browser’s real Web Locks', () => {
  test('one holder at a time; "Use here" steals it and the first holder is told', async () => {
    const onStolen = vi.fn();
    const first = await acquireGpu({ onStolen });
    expect(first.held).toBe(true);
    expect((await navigator.locks.query()).held?.map((lock) => lock.name)).toContain(GPU_LOCK_NAME);
    expect(await acquireGpu()).toEqual({ held: false });

    const second = await takeOverGpu();
    await vi.waitFor(() => expect(onStolen).toHaveBeenCalledOnce());
    second.release();
    await vi.waitFor(async () => expect((await navigator.locks.query()).held ?? []).toHaveLength(0));
  });

  test('after a release the next tab gets the GPU', async () => {
    const first = await acquireGpu();
    if (first.held) first.release();
    await vi.waitFor(async () => {
      const next = await acquireGpu();
      expect(next.held).toBe(true);
      if (next.held) next.release();
    });
  });
});
