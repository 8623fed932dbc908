/**
 * Joins what a worker streams to the page into batches, so a fast stream costs the page one task (and one render)
 * per batch rather than one per piece. A piece that comes after a quiet interval is passed on at once, so a slow
 * stream is passed on piece by piece, as it arrives.
 */

/**
 * At most 10 batches a second. Each batch costs the page a task whatever it holds (the worker's message, the client
 * reading it, the store's update and its timers), and often a render. When a reply's frames are expensive the page
 * shows it only about five times a second (render-cadence.ts), so more batches would only add tasks; when they are
 * cheap, every batch is a render. Ten updates a second is still faster than anyone reads, and a model slower than that
 * is passed on token by token. What 50 and 100 ms measured is in the README (Benchmarks).
 */
export const BATCH_INTERVAL_MS = 100;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Collects pieces and passes them on together: at once when the last batch went out at least `intervalMs` ago,
 * otherwise with the others that arrive until then.
 */
export class IntervalBatcher<Piece> {
  readonly #send: (pieces: Piece[]) => void;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #pending: Piece[] = [];
  #lastSentAt = -Infinity;
  #timer: unknown;

  constructor(send: (pieces: Piece[]) => void, intervalMs: number, clock: Clock = SYSTEM_CLOCK) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  push(piece: Piece): void {
    this.#pending.push(piece);
    if (this.#timer !== undefined) return;
    const wait = this.#lastSentAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0) this.flush();
    else this.#timer = this.#clock.setTimeout(() => this.flush(), wait);
  }

  /** Passes on whatever is waiting, now. */
  flush(): void {
    this.#cancelTimer();
    if (this.#pending.length === 0) return;
    const pieces = this.#pending;
    this.#pending = [];
    this.#lastSentAt = this.#clock.now();
    this.#send(pieces);
  }

  /** Drops whatever is waiting: nobody reads on. */
  discard(): void {
    this.#cancelTimer();
    this.#pending = [];
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
