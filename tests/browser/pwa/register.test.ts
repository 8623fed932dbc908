import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkboxEventMap } from 'workbox-window';
import {
  UPDATE_CHECK_INTERVAL_MS,
  watchServiceWorker,
  type ServiceWorkerHandle,
} from '../../../src/pwa/service-worker-updates.js';

type Listener = (event: never) => unknown;

/** Stands in for workbox-window's `Workbox`: the test plays the browser and fires its lifecycle events. */
class FakeWorker implements ServiceWorkerHandle {
  readonly registration = { waiting: null as ServiceWorker | null } as ServiceWorkerRegistration;
  skipWaitingMessages = 0;
  updateChecks = 0;
  registerError: Error | undefined;
  private readonly listeners = new Map<string, Listener[]>();

  addEventListener<K extends keyof WorkboxEventMap>(type: K, listener: (event: WorkboxEventMap[K]) => unknown): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener as Listener]);
  }

  register(): Promise<ServiceWorkerRegistration | undefined> {
    return this.registerError ? Promise.reject(this.registerError) : Promise.resolve(this.registration);
  }

  update(): Promise<void> {
    this.updateChecks++;
    return Promise.resolve();
  }

  messageSkipWaiting(): void {
    this.skipWaitingMessages++;
  }

  emit<K extends keyof WorkboxEventMap>(type: K, props: Partial<WorkboxEventMap[K]> = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ type, ...props } as never);
  }

  /** A new version finished installing and waits for the open pages. */
  newVersionWaiting(): void {
    Object.defineProperty(this.registration, 'waiting', { value: {} as ServiceWorker, configurable: true });
    this.emit('waiting', { isUpdate: true });
  }
}

let worker: FakeWorker;
let online: boolean;
let reloads: number;
let offlineReady: number;
let updates: (() => Promise<void>)[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval'] });
  worker = new FakeWorker();
  online = true;
  reloads = 0;
  offlineReady = 0;
  updates = [];
});

afterEach(() => {
  vi.useRealTimers();
});

function watch(): Promise<void> {
  return watchServiceWorker(
    worker,
    { onNeedRefresh: (update) => updates.push(update), onOfflineReady: () => offlineReady++ },
    { reload: () => reloads++, isOnline: () => online },
  );
}

describe('service worker lifecycle', () => {
  it('says the app works offline once the first version is active, and only then', async () => {
    await watch();
    worker.emit('installed', {});
    expect(offlineReady).toBe(0);

    worker.emit('activated', {});

    expect(offlineReady).toBe(1);
    expect(updates).toEqual([]);
  });

  it('does not repeat "works offline" when an update activates', async () => {
    await watch();
    worker.emit('activated', { isUpdate: true });
    worker.emit('activated', { isExternal: true });
    expect(offlineReady).toBe(0);
  });

  it('offers a new version without reloading until the user asks', async () => {
    await watch();
    worker.newVersionWaiting();

    expect(updates).toHaveLength(1);
    expect(worker.skipWaitingMessages).toBe(0);
    expect(reloads).toBe(0);
  });

  it('"Reload" activates the waiting version and reloads once it controls the page', async () => {
    await watch();
    worker.newVersionWaiting();

    await updates[0]!();
    expect(worker.skipWaitingMessages).toBe(1);
    expect(reloads).toBe(0);

    worker.emit('controlling', { isUpdate: true });
    expect(reloads).toBe(1);
  });

  it('a tab whose user did not ask is not reloaded when another tab activates the new version', async () => {
    await watch();
    worker.newVersionWaiting();

    worker.emit('controlling', { isUpdate: true, isExternal: true });

    expect(reloads).toBe(0);
  });

  it('"Reload" after another tab already activated the new version just reloads', async () => {
    await watch();
    worker.emit('waiting', { isExternal: true });

    await updates[0]!();

    expect(worker.skipWaitingMessages).toBe(0);
    expect(reloads).toBe(1);
  });

  it('looks for a new version every hour while online', async () => {
    await watch();
    expect(worker.updateChecks).toBe(0);

    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    expect(worker.updateChecks).toBe(1);

    online = false;
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    expect(worker.updateChecks).toBe(1);
  });

  it('a failed registration is reported to the caller and starts no update checks', async () => {
    worker.registerError = new Error('SecurityError: storage disabled');

    await expect(watch()).rejects.toThrow('storage disabled');
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    expect(worker.updateChecks).toBe(0);
  });
});
