/**
 * One typed request/response channel over a dedicated worker, shared by both sides of the documents workers (PDF
 * text, passage search): the page calls and awaits, the worker answers each call by its id, may report progress on
 * the way, and stops a call when its signal aborts. The worker starts on the first call, not before.
 */

/** What both a `Worker` and a worker's global scope offer. */
export interface MessageEndpoint<Outgoing> {
  postMessage(message: Outgoing, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export type RpcRequest<Call> = { id: number; call: Call } | { id: number; cancel: true };

export type RpcResponse<Result, Progress> =
  { id: number; progress: Progress } | { id: number; result: Result } | { id: number; error: string };

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
  #nextId = 1;
  readonly #pending = new Map<number, Pending<Result, Progress>>();
  readonly #startWorker: () => Worker;

  constructor(startWorker: () => Worker) {
    this.#startWorker = startWorker;
  }

  call(call: Call, options: CallOptions<Progress> = {}): Promise<Result> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise<Result>((resolve, reject) => {
      const onAbort = (): void => {
        this.#pending.delete(id);
        worker.postMessage({ id, cancel: true } satisfies RpcRequest<Call>);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T): void => {
          signal?.removeEventListener('abort', onAbort);
          finish(value);
        };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress: options.onProgress });
      worker.postMessage({ id, call } satisfies RpcRequest<Call>, options.transfer ?? []);
    });
  }

  /** Stops the worker; calls in flight reject. The next call starts a new one. */
  terminate(): void {
    this.#stop(new WorkerStoppedError('The worker was stopped.'));
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#startWorker();
    worker.addEventListener('message', (event: MessageEvent<RpcResponse<Result, Progress>>) => {
      const response = event.data;
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      if ('progress' in response) {
        pending.onProgress?.(response.progress);
        return;
      }
      this.#pending.delete(response.id);
      if ('result' in response) pending.resolve(response.result);
      else pending.reject(new WorkerStoppedError(response.error));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#stop(new WorkerStoppedError(event.message || 'The worker failed to start.'));
    });
    worker.addEventListener('messageerror', () => this.#stop(new WorkerStoppedError('A message could not be read.')));
    this.#worker = worker;
    return worker;
  }

  #stop(error: WorkerStoppedError): void {
    this.#worker?.terminate();
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(error);
  }
}

export interface CallContext<Progress> {
  signal: AbortSignal;
  progress(progress: Progress): void;
}

/**
 * The worker's side: answers every call with `handle`. A handler that throws answers with the error's message (the
 * page sees a `WorkerStoppedError`); expected failures belong in `Result` as values.
 */
export function serveRpc<Call, Result, Progress = never>(
  scope: MessageEndpoint<RpcResponse<Result, Progress>>,
  handle: (call: Call, context: CallContext<Progress>) => Promise<Result> | Result,
  transferOf: (result: Result) => Transferable[] = () => [],
): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', (event: MessageEvent<RpcRequest<Call>>) => {
    const request = event.data;
    if ('cancel' in request) {
      running.get(request.id)?.abort(new DOMException('The call was cancelled.', 'AbortError'));
      return;
    }
    const { id } = request;
    const controller = new AbortController();
    running.set(id, controller);
    const context: CallContext<Progress> = {
      signal: controller.signal,
      progress: (progress) => {
        if (!controller.signal.aborted) scope.postMessage({ id, progress });
      },
    };
    Promise.resolve()
      .then(() => handle(request.call, context))
      .then(
        (result) => {
          if (!controller.signal.aborted) scope.postMessage({ id, result }, transferOf(result));
        },
        (error: unknown) => {
          if (!controller.signal.aborted) scope.postMessage({ id, error: describe(error) });
        },
      )
      .finally(() => running.delete(id));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
