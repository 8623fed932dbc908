/**
 * The hosted engine's network reads, moved off the page's main thread. A fast model streams one server-sent event per
 * token; read on the page, every event is a task of its own there (the network hands over the bytes, the body stream
 * wakes the reader, the parser runs), however many arrive within one frame. In a worker those reads cost the page
 * nothing: the worker passes the bytes on at most once per {@link BATCH_INTERVAL_MS}, so the page reads, parses and
 * renders whatever arrived meanwhile in one go. A slow stream loses nothing: a read that comes after a quiet interval
 * is passed on at once.
 *
 * Only the transport moves. @huggingface/inference still makes the request and parses the stream on the page, so
 * retries, errors and aborts behave exactly as with the page's own `fetch`: the page gets a real `Response` (status,
 * headers, body) or the same `TypeError` / `AbortError` a failed fetch gives.
 *
 * Shared by both sides so neither can drift: the worker's side is {@link serveFetch} (fetch-worker.ts), the page's
 * is worker-fetch.ts. Every `fetch` is answered by one `head` and then `body` chunks and one `end`, or by one
 * `error` at any point; an `abort` from the page ends it early. The envelope, the error codec (a network failure
 * crosses as a `TypeError`) and the pending-call table are the shared kit's, in ../messaging/.
 */

import { onRequest, replyWhenDone, type ErrorReply, type MessageEndpoint } from '../../messaging/endpoint.js';

/**
 * At most 20 batches a second. Each batch costs the page one render of the growing reply whatever it holds (styles,
 * layout, paint, and the compositor's commit, about the same for one token as for thirty), so a model streaming
 * hundreds of tokens a second would otherwise keep the main thread busy rendering every frame. Twenty updates a second
 * is faster than anyone reads, and a model slower than that is passed on token by token.
 */
export const BATCH_INTERVAL_MS = 50;

/** What crosses to the worker of a `fetch(url, init)` call; the signal stays on the page and crosses as `abort`. */
export interface SerializedRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body: string | null;
  credentials: RequestCredentials | undefined;
}

export type FetchWorkerRequest =
  { id: number; type: 'fetch'; request: SerializedRequest } | { id: number; type: 'abort' };

export type FetchWorkerResponse =
  /** The worker's script has loaded: requests may be sent. */
  | { type: 'ready' }
  | { id: number; type: 'head'; status: number; statusText: string; headers: [string, string][] }
  | { id: number; type: 'body'; bytes: Uint8Array }
  | { id: number; type: 'end' }
  | ErrorReply;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/**
 * The page's Content-Security-Policy (`connect-src 'self' https: http://localhost:* http://127.0.0.1:*` in
 * index.html) does not reach a worker served without one, so the worker applies the same rule itself: a request the
 * page could not make is not made from the worker either. Keep in step with index.html.
 */
export function isAllowedConnection(url: string, pageOrigin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === pageOrigin) return true;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Joins the reads of one body into batches: a read is passed on at once when the last batch went out at least
 * `intervalMs` ago, otherwise it waits with the others until then.
 */
export class ByteBatcher {
  readonly #send: (bytes: Uint8Array) => void;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #pending: Uint8Array[] = [];
  #lastSentAt = -Infinity;
  #timer: unknown;

  constructor(send: (bytes: Uint8Array) => void, intervalMs = BATCH_INTERVAL_MS, clock: Clock = SYSTEM_CLOCK) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#pending.push(bytes);
    if (this.#timer !== undefined) return;
    const wait = this.#lastSentAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0) this.flush();
    else this.#timer = this.#clock.setTimeout(() => this.flush(), wait);
  }

  /** Passes on whatever is waiting, now. */
  flush(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const parts = this.#pending;
    this.#pending = [];
    this.#lastSentAt = this.#clock.now();
    this.#send(parts.length === 1 && parts[0] ? parts[0] : concat(parts));
  }

  /** Drops whatever is waiting: the request was aborted, nobody reads on. */
  discard(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

export interface ServeFetchOptions {
  fetch: typeof fetch;
  /** The page's origin: its own files may always be fetched (see {@link isAllowedConnection}). */
  pageOrigin: string;
  intervalMs?: number;
  clock?: Clock;
}

/**
 * The worker's side: makes each request with `options.fetch` and streams the answer back in batches. The request
 * never sends a Referer (the page's own policy is `no-referrer`, which a worker does not inherit).
 */
export function serveFetch(endpoint: MessageEndpoint<FetchWorkerResponse>, options: ServeFetchOptions): void {
  const active = new Map<number, AbortController>();
  const post = (response: FetchWorkerResponse, transfer: Transferable[] = []): void =>
    endpoint.postMessage(response, transfer);

  const run = async (id: number, request: SerializedRequest, abort: AbortController): Promise<void> => {
    if (!isAllowedConnection(request.url, options.pageOrigin)) {
      throw new TypeError(`Refused to connect to ${request.url}: the app's Content-Security-Policy does not allow it.`);
    }
    const response = await options.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      ...(request.credentials ? { credentials: request.credentials } : {}),
      referrerPolicy: 'no-referrer',
      signal: abort.signal,
    });
    post({
      id,
      type: 'head',
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers],
    });
    if (!response.body) return;
    const batcher = new ByteBatcher(
      (bytes) => post({ id, type: 'body', bytes }, [bytes.buffer]),
      options.intervalMs,
      options.clock,
    );
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        batcher.push(value);
      }
      batcher.flush();
    } catch (error) {
      batcher.discard();
      throw error;
    } finally {
      reader.releaseLock();
    }
  };

  onRequest<FetchWorkerRequest>(endpoint, (message) => {
    switch (message.type) {
      case 'abort':
        active.get(message.id)?.abort();
        return;
      case 'fetch': {
        const { id } = message;
        const abort = new AbortController();
        active.set(id, abort);
        void replyWhenDone(
          post,
          id,
          () => run(id, message.request, abort),
          () => ({ id, type: 'end' }) as const,
        ).finally(() => active.delete(id));
        return;
      }
    }
  });
  post({ type: 'ready' });
}
