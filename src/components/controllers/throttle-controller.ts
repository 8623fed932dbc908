import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * At most one `run` per `intervalMs`: a request after a quiet spell runs at once, and requests made meanwhile run
 * once more when the interval ends, so the last one is never lost. Nothing runs after the host leaves the page.
 */
export class ThrottleController implements ReactiveController {
  readonly #intervalMs: number;
  readonly #run: () => void;
  /** Set while a run just happened: the next one waits until it runs out. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A request came while `#timer` ran: run when it runs out. */
  #queued = false;

  constructor(host: ReactiveControllerHost, intervalMs: number, run: () => void) {
    this.#intervalMs = intervalMs;
    this.#run = run;
    host.addController(this);
  }

  request(): void {
    if (this.#timer !== undefined) {
      this.#queued = true;
      return;
    }
    this.#run();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#queued) return;
      this.#queued = false;
      this.request();
    }, this.#intervalMs);
  }

  /** Drops a run still to come; the next request runs at once. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queued = false;
  }

  hostDisconnected(): void {
    this.cancel();
  }
}
