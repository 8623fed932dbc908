import { afterEach, describe, expect, it } from 'vitest';
import { createConnectivity, type Connectivity } from '../../../src/pwa/connectivity.js';

// The real window: the browser fires `online`/`offline` there, and so do these tests.
let connectivity: Connectivity | undefined;

afterEach(() => {
  connectivity?.dispose();
  connectivity = undefined;
});

function goOffline(): void {
  window.dispatchEvent(new Event('offline'));
}

function goOnline(): void {
  window.dispatchEvent(new Event('online'));
}

describe('connectivity', () => {
  it('starts from what the browser says now', () => {
    connectivity = createConnectivity();
    expect(connectivity.online).toBe(navigator.onLine);
    connectivity.dispose();

    connectivity = createConnectivity(window, false);
    expect(connectivity.online).toBe(false);
  });

  it('tells subscribers when the network goes away and comes back', () => {
    connectivity = createConnectivity(window, true);
    const seen: boolean[] = [];
    connectivity.subscribe((online) => seen.push(online));

    goOffline();
    expect(connectivity.online).toBe(false);
    goOnline();

    expect(seen).toEqual([false, true]);
    expect(connectivity.online).toBe(true);
  });

  it('announces a change once, however many events repeat it', () => {
    connectivity = createConnectivity(window, true);
    const seen: boolean[] = [];
    connectivity.subscribe((online) => seen.push(online));

    goOnline();
    goOffline();
    goOffline();

    expect(seen).toEqual([false]);
  });

  it('stops telling a listener that unsubscribed, and everyone once disposed', () => {
    connectivity = createConnectivity(window, true);
    const gone: boolean[] = [];
    const staying: boolean[] = [];
    const unsubscribe = connectivity.subscribe((online) => gone.push(online));
    connectivity.subscribe((online) => staying.push(online));

    unsubscribe();
    goOffline();
    connectivity.dispose();
    goOnline();

    expect(gone).toEqual([]);
    expect(staying).toEqual([false]);
    expect(connectivity.online).toBe(false);
  });
});
