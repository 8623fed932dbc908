import { describe, expect, test, vi } from 'vitest';
import { acquireGpu, GPU_LOCK_NAME, takeOverGpu } from '../../../src/engines/webllm/gpu-lock.js';
import type { LockManagerLike } from '../../../src/engines/webllm/gpu-lock.js';

/**
 * The Web Locks semantics the GPU lock relies on, for one exclusive lock name shared by every "tab" that uses this
 * manager: `ifAvailable` grants `null` when held; `steal` grants at once and rejects the holder's request with an
 * AbortError; the lock is held until the callback's promise settles.
 */
class FakeLocks implements LockManagerLike {
  readonly names: string[] = [];
  private holder: { reject: (error: unknown) => void } | undefined;

  request(name: string, ...args: unknown[]): Promise<unknown> {
    this.names.push(name);
    const [options, callback] = args as [LockOptions, (lock: Lock | null) => unknown];
    return new Promise((resolve, reject) => {
      if (this.holder && options.steal) {
        this.holder.reject(new DOMException('The lock was stolen', 'AbortError'));
        this.holder = undefined;
      }
      if (this.holder) {
        resolve(callback(null));
        return;
      }
      const me = { reject };
      this.holder = me;
      void Promise.resolve(callback({ name, mode: 'exclusive' } as Lock)).then((value) => {
        if (this.holder === me) this.holder = undefined;
        resolve(value);
      });
    });
  }
}

describe('GPU lock', () => {
  test('the first tab gets the GPU, a second is told it is taken, and can have it after release', async () => {
    const locks = new FakeLocks();
    const first = await acquireGpu({ locks });
    expect(first.held).toBe(true);
    expect(await acquireGpu({ locks })).toEqual({ held: false });
    expect(locks.names.every((name) => name === GPU_LOCK_NAME)).toBe(true);

    if (first.held) first.release();
    await vi.waitFor(async () => expect((await acquireGpu({ locks })).held).toBe(true));
  });

  test('"Use here" takes the GPU over, and the tab that had it is told to unload', async () => {
    const locks = new FakeLocks();
    const onStolen = vi.fn();
    const first = await acquireGpu({ locks, onStolen });
    expect(first.held).toBe(true);

    const second = await takeOverGpu({ locks });
    expect(second.held).toBe(true);
    await vi.waitFor(() => expect(onStolen).toHaveBeenCalledOnce());
    expect(await acquireGpu({ locks })).toEqual({ held: false });
  });

  test('releasing on purpose is not a theft', async () => {
    const locks = new FakeLocks();
    const onStolen = vi.fn();
    const lease = await acquireGpu({ locks, onStolen });
    if (lease.held) {
      lease.release();
      lease.release();
    }
    await takeOverGpu({ locks });
    expect(onStolen).not.toHaveBeenCalled();
  });

  test('without Web Locks, or when they fail, the tab proceeds alone', async () => {
    const failing: LockManagerLike = {
      request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')),
    };
    expect((await acquireGpu({ locks: failing })).held).toBe(true);
  });
});
