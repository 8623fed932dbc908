/**
 * The plumbing both workers share (the WebLLM worker and the hosted engine's fetch worker): one endpoint type for
 * either end of a channel, one way to hear messages that drops what is not a message of ours, and one way to notice
 * that a worker died. Each protocol keeps its own messages; they only agree on the envelope: a `type`, and an `id`
 * for what belongs to one call.
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

/** What every message of both protocols is: a kind, and the call it belongs to where it belongs to one. */
interface Envelope {
  type: string;
  id?: number;
}

/** The one error reply both protocols use: call `id` failed with `error`. */
export interface ErrorReply {
  id: number;
  type: 'error';
  error: SerializedError;
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
 */
export function onWorkerFailure(worker: Worker, listener: (detail: string) => void): void {
  worker.addEventListener('error', (event) => listener(event.message || 'its script failed to load'));
  worker.addEventListener('messageerror', () => listener('a message could not be read'));
}

/**
 * The worker's answer to call `id`: `done` once `task` has finished, or the error reply with what it threw, so every
 * call ends with exactly one of them.
 */
export async function replyWhenDone<Reply>(
  post: (reply: Reply | ErrorReply) => void,
  id: number,
  task: () => Promise<unknown>,
  done: Reply,
): Promise<void> {
  try {
    await task();
    post(done);
  } catch (error) {
    post({ id, type: 'error', error: encodeError(error) });
  }
}
