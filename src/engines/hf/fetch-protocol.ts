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
 * headers, body) or the same `TypeError` / `AbortError` a failed fetch gives. The one change to a body: in a streamed
 * reply, a batch's run of plain text deltas arrives as one event with their text joined (sse-delta-merger.ts), which
 * the client reads as the same text at the cost of one token.
 *
 * Shared by both sides so neither can drift: the worker's side is {@link serveFetch} (fetch-worker.ts), the page's
 * is worker-fetch.ts. Every `fetch` is answered by one `head` and then `body` chunks and one `end`, or by one
 * `error` at any point; an `abort` from the page ends it early. The envelope, the error codec (a network failure
 * crosses as a `TypeError`) and the pending-call table are the shared kit's, in ../messaging/.
 */

import { onRequest, replyWhenDone, type ErrorReply, type MessageEndpoint } from '../../messaging/endpoint.js';
import { BATCH_INTERVAL_MS, IntervalBatcher, type Clock } from '../../messaging/interval-batcher.js';
import { SseDeltaMerger } from './sse-delta-merger.js';

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

export type { Clock };

/** Joins the reads of one body into batches (see {@link IntervalBatcher}), passed on as one array of bytes each. */
export class ByteBatcher {
  readonly #batcher: IntervalBatcher<Uint8Array>;

  constructor(send: (bytes: Uint8Array) => void, intervalMs = BATCH_INTERVAL_MS, clock?: Clock) {
    this.#batcher = new IntervalBatcher(
      (parts) => send(parts.length === 1 && parts[0] ? parts[0] : concat(parts)),
      intervalMs,
      clock,
    );
  }

  push(bytes: Uint8Array): void {
    if (bytes.byteLength > 0) this.#batcher.push(bytes);
  }

  /** Passes on whatever is waiting, now. */
  flush(): void {
    this.#batcher.flush();
  }

  /** Drops whatever is waiting: the request was aborted, nobody reads on. */
  discard(): void {
    this.#batcher.discard();
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

function isEventStream(response: Response): boolean {
  return response.ok && (response.headers.get('Content-Type') ?? '').toLowerCase().startsWith('text/event-stream');
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
    const sendBytes = (bytes: Uint8Array) => {
      if (bytes.byteLength > 0) post({ id, type: 'body', bytes }, [bytes.buffer]);
    };
    // A streamed reply's runs of text deltas go to the page as one event per batch (see sse-delta-merger.ts).
    const merger = isEventStream(response) ? new SseDeltaMerger() : undefined;
    const batcher = new ByteBatcher(
      (bytes) => sendBytes(merger ? merger.push(bytes) : bytes),
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
      if (merger) sendBytes(merger.finish());
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
