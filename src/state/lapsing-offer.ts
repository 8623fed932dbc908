/**
 * One offer that lapses on its own after a few seconds, such as the Undo after a deletion: what it would bring back,
 * until when, and the timer that withdraws it. The deleters hold their records here.
 */
import type { TimerHandle } from '../storage/streaming-writer.js';

/** How long Undo is offered after a deletion. */
export const UNDO_MS = 6_000;

export interface LapsingOfferClock {
  setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
  now: () => number;
}

export interface HeldOffer<T> {
  value: T;
  expiresAt: number;
}

export class LapsingOffer<T> {
  readonly #clock: LapsingOfferClock;
  readonly #onLapse: () => void;
  #held: (HeldOffer<T> & { timer: TimerHandle }) | null = null;

  /** `onLapse` runs when the offer's time is up while it is still the one held. */
  constructor(clock: LapsingOfferClock, onLapse: () => void) {
    this.#clock = clock;
    this.#onLapse = onLapse;
  }

  get current(): HeldOffer<T> | null {
    return this.#held;
  }

  /** Whether the offer's time is up (it may not have lapsed yet: timers run late). */
  expired(offer: HeldOffer<T>): boolean {
    return this.#clock.now() > offer.expiresAt;
  }

  /** Holds `value` until `expiresAt` (default: `UNDO_MS` from now), replacing any offer held; returns `expiresAt`. */
  hold(value: T, expiresAt = this.#clock.now() + UNDO_MS): number {
    this.clear();
    const timer = this.#clock.setTimer(() => {
      if (this.#held?.timer === timer) this.#onLapse();
    }, expiresAt - this.#clock.now());
    this.#held = { value, expiresAt, timer };
    return expiresAt;
  }

  /** Withdraws the offer held; returns whether there was one. */
  clear(): boolean {
    if (!this.#held) return false;
    this.#clock.clearTimer(this.#held.timer);
    this.#held = null;
    return true;
  }
}
