import type { MessageEndpoint } from '../../../src/messaging/endpoint.js';

export interface FakeMessageChannel<Request, Response> {
  /** The page's end: posts requests, hears responses. */
  page: MessageEndpoint<Request>;
  /** The worker's end: posts responses, hears requests. */
  worker: MessageEndpoint<Response>;
  /** Like `worker.terminate()`: nothing more is delivered either way. */
  close(): void;
}

/**
 * A MessageChannel stand-in between a page and a worker: each message is structured-cloned as it is posted, with its
 * transfer list (so only what a real channel carries gets through, and a transferred buffer is gone from the sender),
 * and delivered later, in order, as its own task.
 */
export function fakeMessageChannel<Request, Response>(): FakeMessageChannel<Request, Response> {
  type Listener = (event: MessageEvent) => void;
  const toPage: Listener[] = [];
  const toWorker: Listener[] = [];
  let closed = false;
  const deliver = (listeners: Listener[], message: unknown, transfer: Transferable[] = []): void => {
    if (closed) return;
    const data: unknown = structuredClone(message, { transfer });
    setTimeout(() => {
      if (closed) return;
      for (const listener of listeners) listener({ data } as MessageEvent);
    }, 0);
  };
  return {
    page: {
      postMessage: (message, transfer) => deliver(toWorker, message, transfer),
      addEventListener: (_type, listener) => toPage.push(listener),
    },
    worker: {
      postMessage: (message, transfer) => deliver(toPage, message, transfer),
      addEventListener: (_type, listener) => toWorker.push(listener),
    },
    close: () => {
      closed = true;
    },
  };
}
