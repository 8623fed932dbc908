import { describe, expect, test, vi } from 'vitest';
import {
  acquireGpu,
  GPU_LOCK_NAME,
  takeOverGpu,
  type ChannelLike,
  type LockManagerLike,
} from '../../../src/engines/webllm/gpu-lock.js';

/**
 * The Web Locks semantics the GPU lock relies on, for one exclusive lock name shared by every "tab" that uses this
 * manager: `ifAvailable` grants `null` when held; `steal` grants at once and rejects the holder's request with an
 * AbortError; the lock is held until the callback's promise settles.
 */
class FakeLocks implements LockManagerLike {
  readonly names: string[] = [];
  private holder: { reject: (error: unknown) => void } | undefined;

  query(): Promise<LockManagerSnapshot> {
    return Promise.resolve({ held: this.holder ? [{ name: GPU_LOCK_NAME, mode: 'exclusive' }] : [], pending: [] });
  }

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

/** BroadcastChannels of one name between "tabs": a message reaches every other open channel, later. */
function channelHub(): () => ChannelLike {
  const open = new Set<EventTarget>();
  return () => {
    const target = new EventTarget();
    open.add(target);
    return {
      postMessage: (data: unknown) => {
        for (const other of open) {
          if (other !== target) setTimeout(() => other.dispatchEvent(new MessageEvent('message', { data })), 0);
        }
      },
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
      close: () => open.delete(target),
    } as ChannelLike;
  };
}

// One holder at a time, "Use here" taking the GPU and telling the holder, and the next tab getting it after a
// release are tested on the browser's real Web Locks (tests/browser/webllm/gpu-lock.test.ts). These need what only
// the fake gives: a tab that takes its time or never answers, and Web Locks that fail.
describe('GPU lock', () => {
  test('"Use here" resolves only once the other tab has unloaded and said so', async () => {
    const locks = new FakeLocks();
    const openChannel = channelHub();
    let first: Awaited<ReturnType<typeof acquireGpu>> = { held: false };
    let unloaded = false;
    first = await acquireGpu({
      locks,
      openChannel,
      onStolen: () => {
        // The worker takes a while to end and free its GPU memory.
        setTimeout(() => {
          unloaded = true;
          if (first.held) first.release();
        }, 30);
      },
    });

    await takeOverGpu({ locks, openChannel, releaseTimeoutMs: 5_000 });
    expect(unloaded).toBe(true);
  });

  test('"Use here" stops waiting for a tab that never says it released', async () => {
    const locks = new FakeLocks();
    const openChannel = channelHub();
    await acquireGpu({ locks, openChannel, onStolen: () => undefined });
    const started = Date.now();
    const taken = await takeOverGpu({ locks, openChannel, releaseTimeoutMs: 40 });
    expect(taken.held).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  test('"Use here" with no other holder does not wait', async () => {
    const started = Date.now();
    await takeOverGpu({ locks: new FakeLocks(), openChannel: channelHub(), releaseTimeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('releasing on purpose is not a theft', async () => {
    const locks = new FakeLocks();
    const onStolen = vi.fn();
    const lease = await acquireGpu({ locks, onStolen });
    if (lease.held) {
      lease.release();
      lease.release();
    }
    await takeOverGpu({ locks, openChannel: channelHub(), releaseTimeoutMs: 10 });
    expect(onStolen).not.toHaveBeenCalled();
  });

  test('without Web Locks, or when they fail, the tab proceeds alone', async () => {
    const failing: LockManagerLike = {
      request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')),
    };
    expect((await acquireGpu({ locks: failing })).held).toBe(true);
  });
});
