/**
 * This tab's writes, and the re-reads that must not interleave with them, one at a time. A re-read of another tab's
 * change never starts before one of this tab's writes has landed and then lands after it, taking the write back off
 * the screen. The streaming writer's periodic saves stay outside the queue: the reply being streamed always keeps its
 * in-memory copy.
 */
export class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pendingWrites = 0;

  /** This tab's writes queued or running: while there are any, the branch shown stays this tab's choice. */
  get pendingWrites(): number {
    return this.#pendingWrites;
  }

  /** Runs `step` after every step queued before it; its failure is the caller's and does not stop the queue. */
  exclusive<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(step);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** A write of this tab's: queued like any step, and counted while it waits or runs. */
  async write<T>(step: () => Promise<T>): Promise<T> {
    this.#pendingWrites++;
    try {
      return await this.exclusive(step);
    } finally {
      this.#pendingWrites--;
    }
  }

  /** Resolves once every step queued so far has run. */
  settled(): Promise<void> {
    return this.exclusive(async () => undefined);
  }
}
