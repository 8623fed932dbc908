/**
 * The messages between the page and the model worker, shared by both sides so neither can drift. WebLLM runs only in
 * the worker (worker.ts); the page talks to it through {@link WorkerEngineClient} (worker-client.ts), which offers
 * the same {@link WebLlmEngineLike} surface as WebLLM's own engine, so LocalEngine cannot tell them apart.
 *
 * Every request is answered by exactly one `done` or `error` carrying its id; before that, a `reload` may report
 * `progress` and a `chat` streams its `chunk`s. Errors cross as `{ name, message }`: WebLLM's error classes
 * ("DeviceLostError", "ModelNotFoundError" …) survive by name, which is how errors.ts tells them apart.
 *
 * WebLLM's own worker protocol (WebWorkerMLCEngineHandler) is not used: it is internal to the package, pulls every
 * chunk with a round trip, and re-sends the model list with each request so its handler can reload behind our back.
 */

import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { DeviceLoss, DeviceLossSource } from './device-loss.js';

/** What LocalEngine uses of a WebLLM engine: WebLLM's `MLCEngine` in the worker, the worker client in the page. */
export interface WebLlmEngineLike {
  reload(modelId: string): Promise<void>;
  unload(): Promise<void>;
  interruptGenerate(): void;
  setInitProgressCallback(callback: (report: InitProgressReport) => void): void;
  chat: {
    completions: {
      create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
    };
  };
}

export type WorkerRequest =
  | { id: number; type: 'reload'; modelId: string }
  | { id: number; type: 'unload' }
  /** Streams the reply as `chunk`s; the worker reads WebLLM's stream to its end whatever happens on the page. */
  | { id: number; type: 'chat'; request: ChatCompletionRequestStreaming }
  /** Stops the reply being generated; it still ends with its last chunks (finish_reason "abort", usage). */
  | { id: number; type: 'interrupt' };

export interface WorkerErrorData {
  /** WebLLM's error class, e.g. "DeviceLostError"; "Error" when it threw something nameless. */
  name: string;
  message: string;
}

export type WorkerResponse =
  | { id: number; type: 'progress'; report: InitProgressReport }
  | { id: number; type: 'chunk'; chunk: ChatCompletionChunk }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; error: WorkerErrorData }
  /** The GPU device went away outside an unload: every later call into WebLLM fails, whatever it says. */
  | { type: 'device-lost'; loss: DeviceLoss };

/** One end of the channel: the worker's global scope, a `Worker`, or a `MessagePort` in tests. */
export interface MessageEndpoint<Outgoing> {
  postMessage(message: Outgoing): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** "Name: message", the form WebLLM and tvmjs use when they throw strings or stringify errors. */
const NAMED_MESSAGE = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/;

export function encodeError(error: unknown): WorkerErrorData {
  if (typeof error === 'string') {
    const match = NAMED_MESSAGE.exec(error);
    return match?.[1] && match[2] !== undefined
      ? { name: match[1], message: match[2] }
      : { name: 'Error', message: error };
  }
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return { name: typeof name === 'string' && name ? name : 'Error', message };
  }
  return { name: 'Error', message: String(error) };
}

/** An Error that prints as WebLLM's own does ("DeviceLostError: The WebGPU device was lost …"). */
export function decodeError({ name, message }: WorkerErrorData): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * The worker's side: answers requests from `endpoint` with `engine` (WebLLM's MLCEngine in worker.ts, a fake in
 * tests). Requests run as they arrive: an `interrupt` or `unload` is not queued behind a reply being generated.
 * `devices` reports lost GPU devices; a loss after an unload was asked for is WebLLM freeing its own, and not said.
 */
export function serveEngine(
  engine: WebLlmEngineLike,
  endpoint: MessageEndpoint<WorkerResponse>,
  devices?: DeviceLossSource,
): void {
  const post = (response: WorkerResponse): void => endpoint.postMessage(response);
  /** The replies being generated, and whether each was asked to stop. */
  const streams = new Set<{ interrupted: boolean }>();
  let reloadId: number | undefined;
  let unloading = false;

  devices?.onLost((loss) => {
    if (!unloading) post({ type: 'device-lost', loss });
  });

  engine.setInitProgressCallback((report) => {
    if (reloadId !== undefined) post({ id: reloadId, type: 'progress', report });
  });

  const interrupt = (): void => {
    try {
      engine.interruptGenerate();
    } catch {
      // Nothing is being generated.
    }
  };

  const stream = async (id: number, request: ChatCompletionRequestStreaming): Promise<void> => {
    const state = { interrupted: false };
    streams.add(state);
    try {
      const chunks = await engine.chat.completions.create(request);
      // Read to the end even when the page has stopped listening: WebLLM frees the model only then.
      for await (const chunk of chunks) {
        post({ id, type: 'chunk', chunk });
        // WebLLM clears its interrupt flag when the reply takes the model, so an early interrupt is lost: repeat it.
        if (state.interrupted) interrupt();
      }
    } finally {
      streams.delete(state);
    }
  };

  const answer = async (id: number, task: () => Promise<void>): Promise<void> => {
    try {
      await task();
      post({ id, type: 'done' });
    } catch (error) {
      post({ id, type: 'error', error: encodeError(error) });
    }
  };

  endpoint.addEventListener('message', (event) => {
    const request = event.data as WorkerRequest;
    switch (request.type) {
      case 'reload':
        unloading = false;
        reloadId = request.id;
        void answer(request.id, () => engine.reload(request.modelId)).finally(() => {
          if (reloadId === request.id) reloadId = undefined;
        });
        return;
      case 'unload':
        unloading = true;
        void answer(request.id, () => engine.unload());
        return;
      case 'chat':
        void answer(request.id, () => stream(request.id, request.request));
        return;
      case 'interrupt':
        for (const state of streams) state.interrupted = true;
        interrupt();
        post({ id: request.id, type: 'done' });
        return;
    }
  });
}
