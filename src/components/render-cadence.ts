/**
 * How often a streaming reply may render. A render's cost is not its script alone: the style, layout, paint and
 * compositing it causes cost more, and most of that does not grow with the tokens it shows. So a render's whole cost
 * is timed (from its start to the end of the frame that shows it), and the next one waits until renders have taken no
 * more than `share` of the main thread since; cheap renders (a short reply, a fast machine) are not held back at all.
 * Never more than `maxDelayMs` after the last render started, so the text grows on screen at a steady pace and stays
 * close behind the stream.
 */
export class RenderCadence {
  readonly #share: number;
  readonly #maxDelayMs: number;
  /** When the next render may start without exceeding the share; 0 before any render was timed. */
  #nextAt = 0;
  /** When the last timed render started; -Infinity before any. */
  #lastStartedAt = Number.NEGATIVE_INFINITY;

  constructor(share: number, maxDelayMs: number) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], not ${share}`);
    this.#share = share;
    this.#maxDelayMs = maxDelayMs;
  }

  /** How long a render wanted at `now` should wait; 0: render now. */
  delay(now: number): number {
    const until = Math.min(this.#nextAt, this.#lastStartedAt + this.#maxDelayMs);
    return Math.max(0, until - now);
  }

  /** A render started at `startedAt`, and the frame that showed it was done at `doneAt`. */
  record(startedAt: number, doneAt: number): void {
    const cost = Math.max(0, doneAt - startedAt);
    this.#lastStartedAt = startedAt;
    this.#nextAt = doneAt + cost * (1 / this.#share - 1);
  }

  /** Renders are no longer spaced out by earlier ones (a new reply starts, or the stream ended). */
  reset(): void {
    this.#nextAt = 0;
    this.#lastStartedAt = Number.NEGATIVE_INFINITY;
  }
}

/** Calls `callback` in a task of its own: after the current task, and so after the frame it is rendering, if any. */
export function afterCurrentTask(callback: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(undefined);
}
