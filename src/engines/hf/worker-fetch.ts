/**
 * The page's side of fetch-worker.ts: a `fetch` whose request is made, and whose body is read, in a worker (see
 * fetch-protocol.ts for why). What it returns is a real `Response`; what it throws is what a page's own fetch throws
 * (`TypeError` for network and CORS failures, the signal's reason after an abort), so its caller cannot tell.
 *
 * The worker starts on the first request and serves every later one. Where it cannot start (no workers, a policy
 * that forbids it), and for requests it cannot carry (a `Request` object, a body that is not text), the page's own
 * `fetch` is used instead.
 */

import { watchWorker } from '../../messaging/endpoint.js';
import { decodeError } from '../../messaging/error-codec.js';
import { PendingCalls } from '../../messaging/pending-calls.js';
import type { FetchWorkerRequest, FetchWorkerResponse, SerializedRequest } from './fetch-protocol.js';

/** A started worker, seen from the page. */
export interface FetchChannel {
  post(message: FetchWorkerRequest): void;
  /** Every message from the worker after `ready`, in order. */
  onMessage(listener: (message: FetchWorkerResponse) => void): void;
  /** Called once if the worker stops after it has started. */
  onFailure(listener: (error: Error) => void): void;
}

/** Starts a worker and settles once it is ready, or rejects if it cannot start. */
export type ConnectFetchWorker = () => Promise<FetchChannel>;

export interface WorkerFetchOptions {
  connect?: ConnectFetchWorker;
  /** Used where the worker cannot be: defaults to the page's own `fetch`. */
  fallback?: typeof fetch;
}

/** A worker this slow to start is given up on, and the page fetches by itself. */
const START_TIMEOUT_MS = 10_000;

/** Statuses whose responses have no body; a `Response` with one of them must be built without one. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

export function startFetchWorker(): Promise<FetchChannel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fetch-worker.ts', import.meta.url), { type: 'module', name: 'hosted-fetch' });
    const messageListeners: ((message: FetchWorkerResponse) => void)[] = [];
    const failureListeners: ((error: Error) => void)[] = [];
    let ready = false;
    watchWorker<FetchWorkerResponse>(worker, {
      startTimeoutMs: START_TIMEOUT_MS,
      onReady: () => {
        ready = true;
        resolve({
          post: (message) => worker.postMessage(message),
          onMessage: (listener) => messageListeners.push(listener),
          onFailure: (listener) => failureListeners.push(listener),
        });
      },
      onMessage: (message) => {
        for (const listener of messageListeners) listener(message);
      },
      onFailure: (detail) => {
        const error = new TypeError(`The network worker stopped: ${detail}`);
        if (!ready) reject(error);
        else for (const listener of failureListeners.splice(0)) listener(error);
      },
    });
  });
}

/** One request in flight: waiting for its head, then streaming its body. */
interface InFlight {
  head: { resolve(response: Response): void; reject(error: unknown): void } | null;
  body: ReadableStreamDefaultController<Uint8Array> | null;
  /** Stops listening to the request's signal. */
  release(): void;
}

function serialize(input: RequestInfo | URL, init: RequestInit | undefined): SerializedRequest | null {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  const body = init?.body ?? null;
  if (url === null || (body !== null && typeof body !== 'string')) return null;
  return {
    url,
    method: init?.method ?? 'GET',
    headers: [...new Headers(init?.headers)],
    body,
    credentials: init?.credentials,
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Ends `request` with `error`: its `fetch` call rejects, or its body errors, as a page's own would. */
function failRequest(request: InFlight, error: unknown): void {
  request.release();
  if (request.head) request.head.reject(error);
  else request.body?.error(error);
}

/** A `fetch` that runs in a worker started on first use (see the module comment). */
export function createWorkerFetch(options: WorkerFetchOptions = {}): typeof fetch {
  const connect = options.connect ?? startFetchWorker;
  const fallback = options.fallback ?? ((input, init) => fetch(input, init));
  const inFlight = new PendingCalls<InFlight>(failRequest);
  let channel: Promise<FetchChannel | null> | undefined;

  /** Request `id` has had its last message: it stops listening to its signal. */
  const finish = (id: number): InFlight | undefined => {
    const request = inFlight.take(id);
    request?.release();
    return request;
  };

  const receive = (post: (message: FetchWorkerRequest) => void, message: FetchWorkerResponse): void => {
    if (message.type === 'ready') return;
    const request = inFlight.get(message.id);
    if (!request) return;
    switch (message.type) {
      case 'head': {
        const { head } = request;
        request.head = null;
        const empty = NULL_BODY_STATUSES.has(message.status);
        const body = empty
          ? null
          : new ReadableStream<Uint8Array>({
              start: (controller) => {
                request.body = controller;
              },
              cancel: () => {
                finish(message.id);
                post({ id: message.id, type: 'abort' });
              },
            });
        head?.resolve(
          new Response(body, { status: message.status, statusText: message.statusText, headers: message.headers }),
        );
        return;
      }
      case 'body':
        request.body?.enqueue(message.bytes);
        return;
      case 'end':
        finish(message.id)?.body?.close();
        return;
      case 'error':
        inFlight.fail(message.id, decodeError(message.error));
        return;
    }
  };

  const open = (): Promise<FetchChannel | null> => {
    channel ??= connect().then(
      (opened) => {
        opened.onMessage((message) => receive((request) => opened.post(request), message));
        opened.onFailure((error) => {
          // The next request starts a new worker; the ones it carried fail as a dropped connection would.
          channel = undefined;
          inFlight.failAll(error);
        });
        return opened;
      },
      () => null,
    );
    return channel;
  };

  return async (input, init) => {
    const serialized = serialize(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);
    const opened = serialized ? await open() : null;
    if (!serialized || !opened) return fallback(input, init);
    if (signal?.aborted) throw abortReason(signal);

    return new Promise<Response>((resolve, reject) => {
      const request: InFlight = { head: { resolve, reject }, body: null, release: () => undefined };
      const id = inFlight.add(request);
      // Without an id the table has already failed the request, and with it this promise.
      if (id === undefined) return;
      const onAbort = (): void => {
        opened.post({ id, type: 'abort' });
        // Rejected with the signal's own reason, whatever it is, as a page's own fetch would be.
        if (inFlight.take(id)) failRequest(request, abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.release = () => signal?.removeEventListener('abort', onAbort);
      opened.post({ id, type: 'fetch', request: serialized });
    });
  };
}
