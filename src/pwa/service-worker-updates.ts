/**
 * The service worker's lifecycle, as the user is told of it: "Ready to work offline" after the first install, and
 * "A new version is available — Reload" when a new version waits. Loaded with workbox-window once the page has
 * loaded (`register.ts`), so none of it is in the first screen's code.
 */
import type { Workbox } from 'workbox-window';
import type { ServiceWorkerCallbacks } from './register.js';

/** The part of workbox-window's `Workbox` the wiring uses, so tests can hand in a fake. */
export type ServiceWorkerHandle = Pick<Workbox, 'addEventListener' | 'register' | 'update' | 'messageSkipWaiting'>;

export interface WatchOptions {
  /** Reloads the page once the new version controls it. */
  reload(): void;
  /** Whether the browser has a network now; no update check is attempted without one. */
  isOnline(): boolean;
}

/**
 * An app tab can stay open for days, and browsers only look for a new worker on navigation: look once an hour too,
 * so a long-lived tab still learns about a new version.
 */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Turns the worker's lifecycle into the two things a user is told about, registers it, and starts the hourly
 * update check. Resolves once registration settled; rejects if it failed.
 */
export async function watchServiceWorker(
  worker: ServiceWorkerHandle,
  callbacks: ServiceWorkerCallbacks,
  options: WatchOptions,
): Promise<void> {
  let reloadRequested = false;

  const update = async (): Promise<void> => {
    reloadRequested = true;
    const registration = await registered;
    // Another tab may already have activated the waiting version: then this page only needs reloading.
    if (registration?.waiting) worker.messageSkipWaiting();
    else options.reload();
  };

  // `waiting` fires for a version this page registered and for one another tab installed ("external"): either way
  // this page runs old code until it reloads. It never fires for the very first install, which activates at once.
  worker.addEventListener('waiting', () => callbacks.onNeedRefresh(update));
  worker.addEventListener('activated', (event) => {
    if (!event.isUpdate && !event.isExternal) callbacks.onOfflineReady();
  });
  // Only the tab where the user chose "Reload" reloads; another tab may be in the middle of a reply.
  worker.addEventListener('controlling', () => {
    if (reloadRequested) options.reload();
  });

  const registered = worker.register();
  await registered;
  setInterval(() => {
    if (options.isOnline()) void worker.update().catch(() => undefined);
  }, UPDATE_CHECK_INTERVAL_MS);
}
