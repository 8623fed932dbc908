/**
 * The plumbing every worker of the app shares (the WebLLM worker, the hosted engine's fetch worker, the documents
 * workers and the conversation-search worker): one endpoint type for either end of a channel, one way to hear
 * messages that drops what is not a message of ours, one error reply, and one way to notice that a worker died or
 * never started. Each protocol keeps its own messages; they only agree on the envelope: a `type`, and an `id` for
 * what belongs to one call.
 */

import { encodeError, type SerializedError } from './error-codec.js';

/** What a side hears from: a `Worker`, the worker's global scope, a `MessagePort`, or a fake in tests. */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** One end of a channel. `transfer` moves buffers instead of copying them (a streamed body's bytes). */
export interface MessageEndpoint<Outgoing> extends MessageSource {
  postMessage(message: Outgoing, transfer?: Transferable[]): void;
}

/** What every message of every protocol is: a kind, and the call it belongs to where it belongs to one. */
interface Envelope {
  type: string;
  id?: number;
}

/** The one error reply every protocol uses: call `id` failed with `error`. */
export interface ErrorReply {
  id: number;
  type: 'error';
  error: SerializedError;
}

/** The error reply to call `id`, with what it threw encoded for the other side. */
export function errorReply(id: number, error: unknown): ErrorReply {
  return { id, type: 'error', error: encodeError(error) };
}

function isEnvelope(data: unknown): data is Envelope {
  if (typeof data !== 'object' || data === null) return false;
  const { type, id } = data as { type?: unknown; id?: unknown };
  return typeof type === 'string' && (id === undefined || Number.isSafeInteger(id));
}

/**
 * Hears each message from `source` that has the envelope of ours. Anything else (another script's message, a
 * payload that is not an object) is dropped here, so neither side acts on it; a message of a type the protocol does
 * not know, or for an id it is not waiting on, is the protocol's to ignore.
 */
export function onMessage<Incoming extends Envelope>(
  source: MessageSource,
  listener: (message: Incoming) => void,
): void {
  source.addEventListener('message', (event) => {
    if (isEnvelope(event.data)) listener(event.data as Incoming);
  });
}

/** A request: every one belongs to a call, so one without an id is not a request of ours and is dropped too. */
export function onRequest<Incoming extends Envelope & { id: number }>(
  source: MessageSource,
  listener: (request: Incoming) => void,
): void {
  onMessage<Incoming>(source, (message) => {
    if (message.id !== undefined) listener(message);
  });
}

/**
 * The worker's own global scope as an endpoint. Typing it through the DOM lib keeps worker globals
 * (DedicatedWorkerGlobalScope) out of the page's types; both scopes post and deliver MessageEvents alike.
 */
export function workerScope<Outgoing>(): MessageEndpoint<Outgoing> {
  return globalThis as unknown as MessageEndpoint<Outgoing>;
}

/**
 * Calls `listener` with what went wrong when `worker` fails: its script did not load or threw, or a message could not
 * be read. After either, the worker answers nothing more that can be trusted, so the caller ends its pending calls.
 * The error is handled there, with words of ours, so it is not reported again as an uncaught error of the page.
 */
export function onWorkerFailure(worker: Worker, listener: (detail: string) => void): void {
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    listener(event.message || 'its script failed to load');
  });
  worker.addEventListener('messageerror', () => listener('a message could not be read'));
}

/** What a worker that says when it is ready posts first, once its script has loaded and it takes requests. */
export interface ReadyMessage {
  type: 'ready';
}

export interface WorkerWatch<Incoming> {
  /** A worker that has not said `ready` by then is taken for one that failed to start. */
  startTimeoutMs: number;
  onReady?(): void;
  /** Every message of ours after `ready`, in order. */
  onMessage(message: Exclude<Incoming, ReadyMessage>): void;
  /** Once, with what went wrong, when the worker fails to start or stops later; it has been terminated by then. */
  onFailure(detail: string): void;
}

/**
 * Watches a worker that posts `ready` when it has started: its messages go to `onMessage`, and a failure, or no
 * `ready` within the timeout, ends it and is said once to `onFailure`. Returns how to end it on purpose, which is
 * no failure and is not said.
 */
export function watchWorker<Incoming extends Envelope>(worker: Worker, watch: WorkerWatch<Incoming>): () => void {
  let ended = false;
  const end = (): boolean => {
    if (ended) return false;
    ended = true;
    clearTimeout(startTimer);
    worker.terminate();
    return true;
  };
  const fail = (detail: string): void => {
    if (end()) watch.onFailure(detail);
  };
  const startTimer = setTimeout(() => fail('it did not start'), watch.startTimeoutMs);
  onWorkerFailure(worker, fail);
  onMessage<Incoming | ReadyMessage>(worker, (message) => {
    if (message.type !== 'ready') {
      watch.onMessage(message as Exclude<Incoming, ReadyMessage>);
      return;
    }
    clearTimeout(startTimer);
    watch.onReady?.();
  });
  return () => void end();
}

/**
 * The worker's answer to call `id`: the protocol's own reply made by `done` from what `task` gave, once it has
 * finished, or the error reply with what it threw, so every call ends with exactly one of them.
 */
export async function replyWhenDone<Reply, Result>(
  post: (reply: Reply | ErrorReply) => void,
  id: number,
  task: () => Promise<Result>,
  // `Reply` is taken from `post` alone, so what `done` makes is checked against the protocol's replies (callers
  // write `as const` to keep its literal `type`).
  done: (result: Result) => NoInfer<Reply>,
): Promise<void> {
  try {
    post(done(await task()));
  } catch (error) {
    post(errorReply(id, error));
  }
}
