/**
 * Runs an action at most once per task of the event loop, however often it is asked for within that task. A
 * streaming reply's chunks come in bursts: one message from a worker carries many tokens, and the engine yields
 * them one by one within the same task. Showing the reply once per burst instead of once per token saves a store
 * update, its listeners and a copy of the message for every token; the text itself is accumulated by the caller and
 * never dropped.
 */

/** Runs `callback` in a later task (not a microtask: the burst's own microtasks come first). */
export type ScheduleTask = (callback: () => void) => void;

const nextTask: ScheduleTask = (callback) => {
  setTimeout(callback, 0);
};

export class TaskCoalescer {
  readonly #action: () => void;
  readonly #schedule: ScheduleTask;
  #wanted = false;
  #scheduled = false;

  constructor(action: () => void, schedule: ScheduleTask = nextTask) {
    this.#action = action;
    this.#schedule = schedule;
  }

  /** Asks for the action: it runs once, in a later task, for every request made until then. */
  request(): void {
    this.#wanted = true;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Runs the action now if it was asked for and has not run since (the reply ends, the page is being hidden). */
  flush(): void {
    if (!this.#wanted) return;
    this.#wanted = false;
    this.#action();
  }

  /** Forgets a request not yet run: what it would have shown is superseded. */
  cancel(): void {
    this.#wanted = false;
  }
}
