/**
 * One typed request/response channel over a dedicated worker, shared by both sides of the documents workers (text,
 * PDF text, passage search): the page calls and awaits, the worker answers each call by its id, may report progress
 * on the way, and stops a call when its signal aborts. The worker starts on the first call, not before.
 *
 * Only the messages are this protocol's own: the envelope, the error reply and its codec, the pending-call table and
 * how a dead worker is noticed are the kit every worker shares (../messaging/).
 */

import {
  errorReply,
  onMessage,
  onRequest,
  onWorkerFailure,
  type ErrorReply,
  type MessageEndpoint,
} from '../messaging/endpoint.js';
import { decodeError } from '../messaging/error-codec.js';
import { PendingCalls } from '../messaging/pending-calls.js';

export type RpcRequest<Call> = { id: number; type: 'call'; call: Call } | { id: number; type: 'cancel' };

export type RpcResponse<Result, Progress> =
  { id: number; type: 'progress'; progress: Progress } | { id: number; type: 'result'; result: Result } | ErrorReply;

export interface CallOptions<Progress> {
  transfer?: Transferable[];
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** The worker stopped (its script failed to load, it crashed, or it was stopped): nothing it was doing finished. */
export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';
}

interface Pending<Result, Progress> {
  resolve(result: Result): void;
  reject(error: unknown): void;
  onProgress: ((progress: Progress) => void) | undefined;
}

export class WorkerRpc<Call, Result, Progress = never> {
  #worker: Worker | null = null;
  readonly #pending = new PendingCalls<Pending<Result, Progress>>((call, error) => call.reject(error));
  readonly #startWorker: () => Worker;

  constructor(startWorker: () => Worker) {
    this.#startWorker = startWorker;
  }

  call(call: Call, options: CallOptions<Progress> = {}): Promise<Result> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const worker = this.#ensureWorker();
    return new Promise<Result>((resolve, reject) => {
      const onAbort = (): void => {
        // Taken first, so that whatever the worker still sends about this call is ignored.
        if (id === undefined || !this.#pending.take(id)) return;
        worker.postMessage({ id, type: 'cancel' } satisfies RpcRequest<Call>);
        reject(signal?.reason);
      };
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T): void => {
          signal?.removeEventListener('abort', onAbort);
          finish(value);
        };
      const id = this.#pending.add({
        resolve: settle(resolve),
        reject: settle(reject),
        onProgress: options.onProgress,
      });
      // Without an id the table has already failed the call, and with it this promise.
      if (id === undefined) return;
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ id, type: 'call', call } satisfies RpcRequest<Call>, options.transfer ?? []);
    });
  }

  /** Stops the worker; calls in flight reject. The next call starts a new one. */
  terminate(): void {
    this.#stop(new WorkerStoppedError('The worker was stopped.'));
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#startWorker();
    onMessage<RpcResponse<Result, Progress>>(worker, (response) => {
      switch (response.type) {
        case 'progress':
          this.#pending.get(response.id)?.onProgress?.(response.progress);
          return;
        case 'result':
          this.#pending.take(response.id)?.resolve(response.result);
          return;
        case 'error':
          this.#pending.fail(response.id, decodeError(response.error));
          return;
      }
    });
    onWorkerFailure(worker, (detail) => this.#stop(new WorkerStoppedError(`The worker stopped: ${detail}`)));
    this.#worker = worker;
    return worker;
  }

  #stop(error: WorkerStoppedError): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#pending.failAll(error);
  }
}

export interface CallContext<Progress> {
  signal: AbortSignal;
  progress(progress: Progress): void;
}

/**
 * The worker's side: answers every call with `handle`. A handler that throws answers with the error reply, and the
 * page's call rejects with the error as it was thrown (its name and message); expected failures belong in `Result`
 * as values.
 */
export function serveRpc<Call, Result, Progress = never>(
  scope: MessageEndpoint<RpcResponse<Result, Progress>>,
  handle: (call: Call, context: CallContext<Progress>) => Promise<Result> | Result,
  transferOf: (result: Result) => Transferable[] = () => [],
): void {
  const running = new Map<number, AbortController>();
  onRequest<RpcRequest<Call>>(scope, (request) => {
    const { id } = request;
    if (request.type === 'cancel') {
      running.get(id)?.abort(new DOMException('The call was cancelled.', 'AbortError'));
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    // A cancelled call is answered no more: the page has already rejected it.
    const answer = (response: RpcResponse<Result, Progress>, transfer: Transferable[] = []): void => {
      if (!controller.signal.aborted) scope.postMessage(response, transfer);
    };
    const context: CallContext<Progress> = {
      signal: controller.signal,
      progress: (progress) => answer({ id, type: 'progress', progress }),
    };
    Promise.resolve()
      .then(() => handle(request.call, context))
      .then(
        (result) => answer({ id, type: 'result', result }, transferOf(result)),
        (error: unknown) => answer(errorReply(id, error)),
      )
      .finally(() => running.delete(id));
  });
}
