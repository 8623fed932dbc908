/**
 * One tab at a time on the GPU. Two tabs each loading a 4.5 GB model would exhaust GPU memory and lose the device in
 * both, so the tab that runs the local model holds a Web Lock; another tab sees it is taken ("The model is in use in
 * another tab") and may take it over with `steal`, which tells the first tab to unload.
 */

import { isAbortError } from '../types.js';

export const GPU_LOCK_NAME = 'mc-gpu';

export type LockManagerLike = Pick<LockManager, 'request'>;

export interface HeldGpu {
  held: true;
  /** Lets another tab have the GPU; call it after unloading the model. Safe to call twice. */
  release: () => void;
}

export type GpuLockResult = HeldGpu | { held: false };

export interface GpuLockOptions {
  locks?: LockManagerLike;
  /** Another tab took the GPU over: unload the model and tell the user, offering "Use here". */
  onStolen?: () => void;
}

/** Takes the GPU if no other tab holds it; never waits. */
export function acquireGpu(options: GpuLockOptions = {}): Promise<GpuLockResult> {
  return requestGpu({ ifAvailable: true }, options);
}

/** "Use here": takes the GPU from whichever tab holds it; that tab's `onStolen` runs. */
export async function takeOverGpu(options: GpuLockOptions = {}): Promise<HeldGpu> {
  const result = await requestGpu({ steal: true }, options);
  // A steal is always granted; the fallback only satisfies the type.
  return result.held ? result : { held: true, release: () => undefined };
}

function requestGpu(lockOptions: LockOptions, { locks = defaultLocks(), onStolen }: GpuLockOptions) {
  // Without Web Locks (very old browsers, opaque origins) tabs cannot coordinate; the GPU's own out-of-memory
  // handling is then the only guard, so proceed as if the lock were free.
  const uncoordinated: HeldGpu = { held: true, release: () => undefined };
  if (!locks) return Promise.resolve<GpuLockResult>(uncoordinated);

  return new Promise<GpuLockResult>((resolve) => {
    let granted = false;
    let released = false;
    let release = (): void => undefined;
    const heldUntilRelease = new Promise<void>((resolveHeld) => {
      release = () => {
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
          released = true;
          onStolen?.();
        }
      });
  });
}

function defaultLocks(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);
}
