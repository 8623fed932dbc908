/**
 * The messages between the page and the model worker, shared by both sides so neither can drift. WebLLM runs only in
 * the worker (worker.ts); the page talks to it through {@link WorkerEngineClient} (worker-client.ts), which offers
 * the same {@link WebLlmEngineLike} surface as WebLLM's own engine, so LocalEngine cannot tell them apart.
 *
 * Every request is answered by exactly one `done` or `error` carrying its id; before that, a `reload` may report
 * `progress` and a `chat` streams its `chunk`s. Errors cross through the shared codec (messaging/error-codec.ts):
 * WebLLM's error classes ("DeviceLostError", "ModelNotFoundError" …) survive by name, which is how errors.ts tells
 * them apart.
 *
 * WebLLM's own worker protocol (WebWorkerMLCEngineHandler) is not used: it is internal to the package, pulls every
 * chunk with a round trip, and re-sends the model list with each request so its handler can reload behind our back.
 */

import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import { onRequest, replyWhenDone, type ErrorReply, type MessageEndpoint } from '../../messaging/endpoint.js';
import { BATCH_INTERVAL_MS, IntervalBatcher, type Clock } from '../../messaging/interval-batcher.js';
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

export type WorkerResponse =
  | { id: number; type: 'progress'; report: InitProgressReport }
  /** The chunks WebLLM wrote since the last batch, in order: at most one batch per {@link BATCH_INTERVAL_MS}. */
  | { id: number; type: 'chunks'; chunks: ChatCompletionChunk[] }
  | { id: number; type: 'done' }
  | ErrorReply
  /** The GPU device went away outside an unload: every later call into WebLLM fails, whatever it says. */
  | { type: 'device-lost'; loss: DeviceLoss };

/**
 * The worker's side: answers requests from `endpoint` with `engine` (WebLLM's MLCEngine in worker.ts, a fake in
 * tests). Requests run as they arrive: an `interrupt` or `unload` is not queued behind a reply being generated.
 * `devices` reports lost GPU devices; a loss after an unload was asked for is WebLLM freeing its own, and not said.
 * A reply's chunks cross in batches (see interval-batcher.ts): a model writing 200 tokens a second would otherwise
 * cost the page a task and a render for every token. `clock` times the batches (tests pass their own).
 */
export function serveEngine(
  engine: WebLlmEngineLike,
  endpoint: MessageEndpoint<WorkerResponse>,
  devices?: DeviceLossSource,
  clock?: Clock,
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
    const batcher = new IntervalBatcher<ChatCompletionChunk>(
      (chunks) => post({ id, type: 'chunks', chunks }),
      BATCH_INTERVAL_MS,
      clock,
    );
    try {
      const chunks = await engine.chat.completions.create(request);
      // Read to the end even when the page has stopped listening: WebLLM frees the model only then.
      for await (const chunk of chunks) {
        batcher.push(chunk);
        // WebLLM clears its interrupt flag when the reply takes the model, so an early interrupt is lost: repeat it.
        if (state.interrupted) interrupt();
      }
    } finally {
      // Whatever WebLLM wrote reaches the page before the reply's `done` or `error`.
      batcher.flush();
      streams.delete(state);
    }
  };

  const answer = (id: number, task: () => Promise<void>): Promise<void> =>
    replyWhenDone(post, id, task, () => ({ id, type: 'done' }) as const);

  onRequest<WorkerRequest>(endpoint, (request) => {
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
