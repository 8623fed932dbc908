import { LitElement, html } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BACKGROUND_RENDER_MS,
  MAX_SPACED_DELAY_MS,
  StoreController,
  type Subscribable,
} from '../../../../src/components/controllers/store-controller.js';

interface Counter {
  count: number;
  /** While true, states come in bursts: they render once a frame. */
  streaming: boolean;
}

class FakeStore implements Subscribable<Counter> {
  readonly listeners = new Set<(state: Counter) => void>();
  constructor(public state: Counter = { count: 0, streaming: false }) {}
  getState(): Counter {
    return this.state;
  }
  subscribe(listener: (state: Counter) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(patch: Partial<Counter>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

class StoreHost extends LitElement {
  readonly applied: Counter[] = [];
  readonly store = new StoreController<Counter>(this, {
    coalesce: (state) => state.streaming,
    onApply: (state) => this.applied.push(state),
  });
  renders = 0;

  override render() {
    this.renders++;
    return html`<p>${this.store.value?.count ?? 'none'}</p>`;
  }
}
customElements.define('test-store-host', StoreHost);

/** Streamed states below 100 only carry on what was shown; from 100 on, something else changed too. */
class SpacingHost extends StoreHost {
  readonly spaced = new StoreController<Counter>(this, {
    coalesce: (state) => state.streaming,
    spaceOut: (next, applied) => next.streaming && applied.streaming && next.count < 100,
  });
}
customElements.define('test-spacing-host', SpacingHost);

async function mountHost(store?: FakeStore): Promise<StoreHost> {
  const host = document.createElement('test-store-host') as StoreHost;
  host.store.source = store;
  document.body.append(host);
  await host.updateComplete;
  return host;
}

const text = (host: StoreHost) => host.shadowRoot?.querySelector('p')?.textContent;
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** How long the frame `afterAnExpensiveFrame` times took, by the mocked clock. */
const EXPENSIVE_FRAME_MS = 40;

/** A host whose last streamed frame (count 2) was timed at EXPENSIVE_FRAME_MS: the next that may wait, waits. */
async function afterAnExpensiveFrame(): Promise<{ host: SpacingHost; store: FakeStore }> {
  let clock = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const store = new FakeStore();
  const host = document.createElement('test-spacing-host') as SpacingHost;
  host.spaced.source = store;
  document.body.append(host);
  store.set({ count: 1, streaming: true });
  await nextFrame();
  store.set({ count: 2 });
  await nextFrame();
  await host.updateComplete;
  clock += EXPENSIVE_FRAME_MS;
  // The frame is timed in a task after it.
  await nextTask();
  expect(host.spaced.value?.count).toBe(2);
  return { host, store };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('StoreController', () => {
  it('subscribes while the host is connected, and only then', async () => {
    const store = new FakeStore({ count: 4, streaming: false });
    const host = await mountHost(store);
    expect(store.listeners.size).toBe(1);
    expect(text(host)).toBe('4');

    host.remove();
    expect(store.listeners.size).toBe(0);
    store.set({ count: 5 });
    document.body.append(host);
    // Back in the page, it reads the state it missed.
    expect(store.listeners.size).toBe(1);
    await host.updateComplete;
    expect(text(host)).toBe('5');
  });

  it('moves to a new source, leaving the old one', async () => {
    const first = new FakeStore({ count: 1, streaming: false });
    const second = new FakeStore({ count: 2, streaming: false });
    const host = await mountHost(first);
    host.store.source = second;
    expect(first.listeners.size).toBe(0);
    expect(second.listeners.size).toBe(1);
    await host.updateComplete;
    expect(text(host)).toBe('2');
    first.set({ count: 10 });
    await host.updateComplete;
    expect(text(host)).toBe('2');
  });

  it('renders a change at once when it does not coalesce', async () => {
    const store = new FakeStore();
    const host = await mountHost(store);
    store.set({ count: 1 });
    expect(host.store.value?.count).toBe(1);
    await host.updateComplete;
    expect(text(host)).toBe('1');
    expect(host.applied.map(({ count }) => count)).toEqual([0, 1]);
  });

  it('renders a burst of streamed states once per frame, ending on the latest', async () => {
    const store = new FakeStore();
    const host = await mountHost(store);
    const rendersBefore = host.renders;
    for (let count = 1; count <= 50; count++) store.set({ count, streaming: true });
    expect(host.store.value?.count).toBe(0);
    await nextFrame();
    await host.updateComplete;
    expect(host.renders - rendersBefore).toBe(1);
    expect(text(host)).toBe('50');
    expect(host.applied.map(({ count }) => count)).toEqual([0, 50]);
  });

  it('still renders streamed states when animation frames do not come (a background tab)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal('requestAnimationFrame', () => 0);
    const store = new FakeStore();
    const host = await mountHost(store);
    store.set({ count: 7, streaming: true });
    vi.advanceTimersByTime(BACKGROUND_RENDER_MS - 1);
    expect(host.store.value?.count).toBe(0);
    vi.advanceTimersByTime(1);
    expect(host.store.value?.count).toBe(7);
  });

  it('drops a frame still to come when the host leaves the page', async () => {
    const store = new FakeStore();
    const host = await mountHost(store);
    store.set({ count: 3, streaming: true });
    host.remove();
    await nextFrame();
    expect(host.store.value?.count).toBe(0);
  });

  it('renders nothing from a store before it has one', async () => {
    const host = await mountHost();
    expect(host.store.value).toBeNull();
    expect(text(host)).toBe('none');
  });

  it('holds a state that may wait back after an expensive frame, no longer than the longest delay after it', async () => {
    const { host, store } = await afterAnExpensiveFrame();
    const heldAt = Date.now();
    store.set({ count: 3 });
    await nextFrame();
    await nextFrame();
    expect(host.spaced.value?.count).toBe(2);
    while (host.spaced.value?.count !== 3) await nextFrame();
    // Counted from the start of the last render, which was EXPENSIVE_FRAME_MS before the state came.
    const wanted = MAX_SPACED_DELAY_MS - EXPENSIVE_FRAME_MS;
    expect(Date.now() - heldAt).toBeGreaterThanOrEqual(wanted - 20);
    expect(Date.now() - heldAt).toBeLessThan(wanted + 500);
  });

  it('renders at the next frame a state that may not wait, even while one is held back', async () => {
    const { host, store } = await afterAnExpensiveFrame();
    store.set({ count: 3 });
    await nextFrame();
    expect(host.spaced.value?.count).toBe(2);
    store.set({ count: 100 });
    await nextFrame();
    expect(host.spaced.value?.count).toBe(100);
  });

  it('renders at once a state that does not coalesce (the end of a reply), even while one is held back', async () => {
    const { host, store } = await afterAnExpensiveFrame();
    store.set({ count: 3 });
    await nextFrame();
    store.set({ count: 4, streaming: false });
    expect(host.spaced.value?.count).toBe(4);
  });
});
