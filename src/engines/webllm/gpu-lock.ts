/**
 * One tab at a time on the GPU. Two tabs each loading a 4.5 GB model would exhaust GPU memory and lose the device in
 * both, so the tab that runs the local model holds a Web Lock; another tab sees it is taken ("The model is in use in
 * another tab") and may take it over with `steal`, which tells the first tab to unload.
 *
 * A steal is granted at once, long before the first tab's worker has ended and its GPU memory is free; on a GPU
 * without room for two copies the new load would fail. So the tab that lost the lock says "released" on a
 * BroadcastChannel once its worker has ended, and the tab taking over waits for that (bounded) before it loads.
 */

import { isAbortError } from '../types.js';

export const GPU_LOCK_NAME = 'mc-gpu';
/** Long enough for a worker to end and its GPU memory to be freed; a tab that never answers must not block for good. */
export const RELEASE_TIMEOUT_MS = 5000;

const RELEASED = 'released';

export type LockManagerLike = Pick<LockManager, 'request'> & Partial<Pick<LockManager, 'query'>>;
export type ChannelLike = Pick<BroadcastChannel, 'postMessage' | 'addEventListener' | 'removeEventListener' | 'close'>;

export interface HeldGpu {
  held: true;
  /**
   * Lets another tab have the GPU; call it after unloading the model. After a takeover it tells the tab that took the
   * GPU that this one's memory is free. Safe to call twice.
   */
  release: () => void;
}

export type GpuLockResult = HeldGpu | { held: false };

export interface GpuLockOptions {
  locks?: LockManagerLike;
  /** Another tab took the GPU over: unload the model, then `release()`, and tell the user, offering "Use here". */
  onStolen?: () => void;
  /** Where tabs say "released"; a BroadcastChannel by default. */
  openChannel?: () => ChannelLike | undefined;
  releaseTimeoutMs?: number;
}

/** Takes the GPU if no other tab holds it; never waits. */
export function acquireGpu(options: GpuLockOptions = {}): Promise<GpuLockResult> {
  return requestGpu({ ifAvailable: true }, options);
}

/**
 * "Use here": takes the GPU from whichever tab holds it; that tab's `onStolen` runs. Resolves once that tab has
 * released the GPU's memory, or after {@link RELEASE_TIMEOUT_MS}.
 */
export async function takeOverGpu(options: GpuLockOptions = {}): Promise<HeldGpu> {
  const { locks = defaultLocks(), openChannel = defaultChannel, releaseTimeoutMs = RELEASE_TIMEOUT_MS } = options;
  const heldElsewhere = (await locks?.query?.().catch(() => undefined))?.held?.some(
    (lock) => lock.name === GPU_LOCK_NAME,
  );
  const released = heldElsewhere ? waitForRelease(openChannel(), releaseTimeoutMs) : Promise.resolve();
  const result = await requestGpu({ steal: true }, options);
  await released;
  // A steal is always granted; the fallback only satisfies the type.
  return result.held ? result : { held: true, release: () => undefined };
}

function waitForRelease(channel: ChannelLike | undefined, timeoutMs: number): Promise<void> {
  if (!channel) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      channel.removeEventListener('message', onMessage);
      channel.close();
      resolve();
    };
    const onMessage = (event: Event): void => {
      if ((event as MessageEvent).data === RELEASED) done();
    };
    const timer = setTimeout(done, timeoutMs);
    channel.addEventListener('message', onMessage);
  });
}

function requestGpu(
  lockOptions: LockOptions,
  { locks = defaultLocks(), onStolen, openChannel = defaultChannel }: GpuLockOptions,
) {
  // Without Web Locks (very old browsers, opaque origins) tabs cannot coordinate; the GPU's own out-of-memory
  // handling is then the only guard, so proceed as if the lock were free.
  const uncoordinated: HeldGpu = { held: true, release: () => undefined };
  if (!locks) return Promise.resolve<GpuLockResult>(uncoordinated);

  return new Promise<GpuLockResult>((resolve) => {
    let granted = false;
    let released = false;
    let stolen = false;
    let release = (): void => undefined;
    const heldUntilRelease = new Promise<void>((resolveHeld) => {
      release = () => {
        if (stolen) {
          stolen = false;
          const channel = openChannel();
          channel?.postMessage(RELEASED);
          channel?.close();
        }
        released = true;
        resolveHeld();
      };
    });
    locks
      .request(GPU_LOCK_NAME, lockOptions, (lock) => {
        if (!lock) {
          resolve({ held: false });
          return undefined;
        }
        granted = true;
        resolve({ held: true, release });
        return heldUntilRelease;
      })
      .catch((error: unknown) => {
        if (!granted) {
          resolve(uncoordinated);
          return;
        }
        // The browser rejects a held lock's request with AbortError when another tab steals it.
        if (!released && isAbortError(error)) {
          stolen = true;
          onStolen?.();
        }
      });
  });
}

function defaultChannel(): ChannelLike | undefined {
  return typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(GPU_LOCK_NAME);
}

function defaultLocks(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);
}
