import { describe, expect, test, vi } from 'vitest';
import { acquireGpu, GPU_LOCK_NAME, takeOverGpu } from '../../../src/engines/webllm/gpu-lock.js';

// Web Locks are shared by every tab of an origin; two requests from this page behave like two tabs.
describe('GPU lock on this browser’s real Web Locks', () => {
  test('one holder at a time; "Use here" steals it, the first holder is told, and its "released" is heard', async () => {
    let first: Awaited<ReturnType<typeof acquireGpu>> = { held: false };
    // As the app does: unload (here, a moment), then release, which tells the tab that took over.
    const onStolen = vi.fn(() => setTimeout(() => (first.held ? first.release() : undefined), 20));
    first = await acquireGpu({ onStolen });
    expect(first.held).toBe(true);
    expect((await navigator.locks.query()).held?.map((lock) => lock.name)).toContain(GPU_LOCK_NAME);
    expect(await acquireGpu()).toEqual({ held: false });

    const started = performance.now();
    const second = await takeOverGpu();
    expect(onStolen).toHaveBeenCalledOnce();
    // Well before the 5 s bound: the BroadcastChannel message ended the wait.
    expect(performance.now() - started).toBeLessThan(2_000);
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
