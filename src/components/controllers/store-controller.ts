import type { ReactiveController, ReactiveControllerHost } from 'lit';

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
  /** Called with each state as it becomes `value`, before the host renders it. */
  onApply?: (state: T) => void;
}

/** rAF never fires in a background tab; this timer still does (throttled), so streamed text keeps arriving. */
export const BACKGROUND_RENDER_MS = 250;

/**
 * Keeps `value` in step with a store while the host is connected: subscribes on connect (or when `source` changes),
 * unsubscribes on disconnect, and asks the host to render each new state, at most once a frame while `coalesce` says
 * so.
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
  #frame: { raf: number; timer: ReturnType<typeof setTimeout> } | null = null;

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
      this.#apply();
    } else if (this.#frame === null) {
      const apply = () => this.#apply();
      this.#frame = { raf: requestAnimationFrame(apply), timer: setTimeout(apply, BACKGROUND_RENDER_MS) };
    }
  }

  #apply(): void {
    this.#cancelFrame();
    const state = this.#latest;
    if (state === null || state === this.value) return;
    this.value = state;
    this.#options.onApply?.(state);
    this.#host.requestUpdate();
  }

  #cancelFrame(): void {
    if (this.#frame === null) return;
    cancelAnimationFrame(this.#frame.raf);
    clearTimeout(this.#frame.timer);
    this.#frame = null;
  }
}
