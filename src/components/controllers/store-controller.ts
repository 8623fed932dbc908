import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterCurrentTask, RenderCadence } from '../render-cadence.js';

/** Anything that holds a state and says when it changes (the app's `StateSource` is one). */
export interface Subscribable<T> {
  getState(): T;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: T) => void): () => void;
}

export interface StoreControllerOptions<T> {
  /**
   * True for a state likely to be followed by many more within a frame (a reply streaming in token by token): it is
   * rendered at the next animation frame, together with any that came after it. Any other state renders at once.
   */
  coalesce?: (state: T) => boolean;
  /**
   * True when a coalesced `next` state may wait beyond the next frame: it only carries on what `applied` (the state
   * rendered last) showed, such as more of a streaming reply. Such frames are spaced out when they are expensive (see
   * `SPACED_RENDER_SHARE`); any other state still renders at the next frame.
   */
  spaceOut?: (next: T, applied: T) => boolean;
  /** Called with each state as it becomes `value`, before the host renders it. */
  onApply?: (state: T) => void;
}

/** rAF never fires in a background tab; this timer still does (throttled), so streamed text keeps arriving. */
export const BACKGROUND_RENDER_MS = 250;

/**
 * The share of the main thread the frames of states that may wait (`spaceOut`) may take, timed from the start of
 * their render to the end of their frame (see render-cadence.ts). That timing misses what those frames cause after
 * them (the auto-scroll's scroll event and the frame it needs, hover) and the stream's own messages, about as much
 * again: 3% keeps a streaming reply to about 6% of the main thread, however expensive its frames are. On a fast
 * machine frames are cheap and the reply updates often; on a slow one, long replies update less often (see below).
 */
export const SPACED_RENDER_SHARE = 0.03;
/**
 * The longest time from the start of one render of a state that may wait to the next, whatever they cost: while a
 * reply streams it grows on screen about four times a second at least, and stays this close behind the stream. Every
 * update costs its frame, the scroll that follows and the frame that needs, whatever it shows (about 12 ms on a 2-core
 * machine for a long Markdown reply), so this bound and the share decide what a long reply costs; `npm run bench`
 * shows both sides of the trade in its per-token and updates-per-second rows, and the README's Benchmarks section
 * gives the figures each setting measured.
 */
export const MAX_SPACED_DELAY_MS = 230;

interface PendingFrame {
  raf: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  spaced: boolean;
}

/**
 * Keeps `value` in step with a store while the host is connected: subscribes on connect (or when `source` changes),
 * unsubscribes on disconnect, and asks the host to render each new state, at most once a frame while `coalesce` says
 * so, and less often while `spaceOut` says so and those frames are expensive.
 */
export class StoreController<T> implements ReactiveController {
  /** The state to render; null until a source is connected. */
  value: T | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #options: StoreControllerOptions<T>;
  #source: Subscribable<T> | undefined;
  #connected = false;
  #unsubscribe: (() => void) | null = null;
  /** The newest state not yet rendered, while coalescing. */
  #latest: T | null = null;
  /** The render to come while coalescing; `spaced` when it waits beyond the next frame. */
  #frame: PendingFrame | null = null;
  readonly #cadence = new RenderCadence(SPACED_RENDER_SHARE, MAX_SPACED_DELAY_MS);

  constructor(host: ReactiveControllerHost, options: StoreControllerOptions<T> = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get source(): Subscribable<T> | undefined {
    return this.#source;
  }

  set source(source: Subscribable<T> | undefined) {
    if (source === this.#source) return;
    this.#source = source;
    if (this.#connected) this.#subscribe();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#cancelFrame();
  }

  #subscribe(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#cancelFrame();
    const source = this.#source;
    if (source === undefined) return;
    this.#unsubscribe = source.subscribe((next) => this.#receive(next));
    this.#latest = source.getState();
    this.#apply();
  }

  #receive(next: T): void {
    this.#latest = next;
    if (!(this.#options.coalesce?.(next) ?? false)) {
      this.#cadence.reset();
      this.#apply();
      return;
    }
    const applied = this.value;
    const mayWait = applied !== null && (this.#options.spaceOut?.(next, applied) ?? false);
    if (this.#frame?.spaced && !mayWait) this.#cancelFrame();
    if (this.#frame !== null) return;
    const delay = mayWait ? this.#cadence.delay(performance.now()) : 0;
    const apply = () => this.#apply(mayWait);
    if (delay === 0) {
      this.#frame = {
        raf: requestAnimationFrame(apply),
        timer: setTimeout(apply, BACKGROUND_RENDER_MS),
        spaced: false,
      };
      return;
    }
    const frame: PendingFrame = { raf: undefined, timer: undefined, spaced: true };
    // Then in a frame, as any other, so the timing covers the style, layout and paint it causes.
    frame.timer = setTimeout(() => {
      if (document.hidden) apply();
      else frame.raf = requestAnimationFrame(apply);
    }, delay);
    this.#frame = frame;
  }

  #apply(timed = false): void {
    this.#cancelFrame();
    const state = this.#latest;
    if (state === null || state === this.value) return;
    this.value = state;
    this.#options.onApply?.(state);
    this.#host.requestUpdate();
    if (!timed) return;
    const startedAt = performance.now();
    afterCurrentTask(() => this.#cadence.record(startedAt, performance.now()));
  }

  #cancelFrame(): void {
    if (this.#frame === null) return;
    if (this.#frame.raf !== undefined) cancelAnimationFrame(this.#frame.raf);
    clearTimeout(this.#frame.timer);
    this.#frame = null;
  }
}
