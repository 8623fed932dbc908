/**
 * The calls one side has sent and not yet heard the end of, by id. Every worker client keeps one: the id goes out with
 * the request and comes back on every message about it, so replies that arrive interleaved reach the right caller,
 * and a reply for an id that is not waiting (one that ended, or one never sent) is ignored.
 */
export class PendingCalls<Call> {
  readonly #calls = new Map<number, Call>();
  readonly #end: (call: Call, error: Error) => void;
  #nextId = 1;
  #closedBy: Error | undefined;

  /** `end` fails one call with an error: rejects its promise, errors its stream. */
  constructor(end: (call: Call, error: Error) => void) {
    this.#end = end;
  }

  /** Gives `call` its id; once the table is closed, fails it at once with the reason instead, and gives none. */
  add(call: Call): number | undefined {
    if (this.#closedBy) {
      this.#end(call, this.#closedBy);
      return undefined;
    }
    const id = this.#nextId++;
    this.#calls.set(id, call);
    return id;
  }

  /** The call waiting on `id`, if any. */
  get(id: number | undefined): Call | undefined {
    return id === undefined ? undefined : this.#calls.get(id);
  }

  /** The call waiting on `id`, which waits no more: its end has come. */
  take(id: number | undefined): Call | undefined {
    const call = this.get(id);
    if (id !== undefined) this.#calls.delete(id);
    return call;
  }

  /** Fails the call waiting on `id`, if any, with `error`. */
  fail(id: number | undefined, error: Error): void {
    const call = this.take(id);
    if (call) this.#end(call, error);
  }

  /** Fails every call waiting with `error` (its worker died); later calls are taken, for a new worker to carry. */
  failAll(error: Error): void {
    const waiting = [...this.#calls.values()];
    this.#calls.clear();
    for (const call of waiting) this.#end(call, error);
  }

  /** Fails every call waiting, and every later one, with `reason`: no worker will answer. The first reason stays. */
  close(reason: Error): void {
    this.#closedBy ??= reason;
    this.failAll(this.#closedBy);
  }
}
