import type { MessageRecord } from '../domain/records.js';

/** Persists a reply while it streams, so a closed tab keeps what was already shown. */
export interface StreamingWriter {
  /** Remembers the latest state; it is written promptly the first time, then at most once per interval. */
  update(message: MessageRecord): void;
  /**
   * Writes the latest state now, after any write in flight, and resolves once it is saved. Call it at the end of
   * the stream and when the page is hidden (`pagehide`, `visibilitychange` to hidden). Rejects if that write fails.
   */
  flush(): Promise<void>;
  /** Drops anything not yet written and ignores later updates; a write already in flight still finishes. */
  dispose(): void;
}

export type TimerHandle = unknown;

export interface StreamingWriterOptions {
  /** The shortest time between the starts of two writes. */
  intervalMs?: number;
  now?: () => number;
  setTimer?: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  /**
   * Told when a write made between flushes fails. The failed state stays pending and is retried by the next update
   * or flush, so without this callback the failure still surfaces at the next `flush()`.
   */
  onError?: (error: unknown) => void;
}

/**
 * Writes are serialised and each one takes the latest state when it starts, so they never overlap and a later state
 * is never overwritten by an earlier one; states superseded while waiting are simply skipped.
 */
export function createStreamingWriter(
  save: (message: MessageRecord) => Promise<void>,
  {
    intervalMs = 500,
    now = () => Date.now(),
    setTimer = (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimer = (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    onError,
  }: StreamingWriterOptions = {},
): StreamingWriter {
  let pending: MessageRecord | null = null;
  /** Settles (never rejects) when the write in flight ends. */
  let inFlight: Promise<void> | null = null;
  let timer: TimerHandle | null = null;
  let lastWriteStartedAt = Number.NEGATIVE_INFINITY;
  /** After a failed write, wait for the next update or flush instead of retrying on the timer. */
  let waitingAfterFailure = false;
  let disposed = false;

  function cancelTimer(): void {
    if (timer === null) return;
    clearTimer(timer);
    timer = null;
  }

  function schedule(): void {
    if (disposed || waitingAfterFailure || pending === null || inFlight !== null || timer !== null) return;
    const wait = lastWriteStartedAt + intervalMs - now();
    if (wait > 0) {
      timer = setTimer(() => {
        timer = null;
        schedule();
      }, wait);
      return;
    }
    writePending().catch((error: unknown) => onError?.(error));
  }

  /** Precondition: `pending` is set and nothing is in flight. */
  function writePending(): Promise<void> {
    const message = pending as MessageRecord;
    pending = null;
    lastWriteStartedAt = now();
    const write = (async () => save(message))();
    inFlight = write.then(
      () => {
        inFlight = null;
        schedule();
      },
      () => {
        inFlight = null;
        if (disposed) return;
        if (pending === null) {
          pending = message;
          waitingAfterFailure = true;
        } else {
          schedule();
        }
      },
    );
    return write;
  }

  return {
    update(message) {
      if (disposed) return;
      pending = message;
      waitingAfterFailure = false;
      schedule();
    },
    async flush() {
      while (inFlight !== null) await inFlight;
      cancelTimer();
      if (disposed || pending === null) return;
      waitingAfterFailure = false;
      await writePending();
    },
    dispose() {
      disposed = true;
      pending = null;
      cancelTimer();
    },
  };
}
