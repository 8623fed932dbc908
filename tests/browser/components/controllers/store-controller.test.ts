import { LitElement, html } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BACKGROUND_RENDER_MS,
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

async function mountHost(store?: FakeStore): Promise<StoreHost> {
  const host = document.createElement('test-store-host') as StoreHost;
  host.store.source = store;
  document.body.append(host);
  await host.updateComplete;
  return host;
}

const text = (host: StoreHost) => host.shadowRoot?.querySelector('p')?.textContent;
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
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
});
