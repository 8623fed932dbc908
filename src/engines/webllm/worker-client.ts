/**
 * The page's side of the model worker: WebLLM's engine surface ({@link WebLlmEngineLike}) over the messages of
 * worker-protocol.ts, so the page never loads WebLLM itself. Replies stream in as the worker pushes them; the worker,
 * not the page, reads WebLLM's stream to its end.
 */

import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { DeviceLoss } from './device-loss.js';
import { onMessage, type MessageEndpoint } from '../../messaging/endpoint.js';
import { decodeError } from '../../messaging/error-codec.js';
import { PendingCalls } from '../../messaging/pending-calls.js';
import type { WebLlmEngineLike, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** A request before it is given an id; distributive, so each kind keeps its own fields. */
type WithoutId<Request> = Request extends unknown ? Omit<Request, 'id'> : never;
type RequestBody = WithoutId<WorkerRequest>;

interface Pending {
  settle(error?: Error): void;
  chunk?(chunk: ChatCompletionChunk): void;
}

export class WorkerEngineClient implements WebLlmEngineLike {
  readonly chat = {
    completions: {
      create: (request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> =>
        Promise.resolve(this.stream(request)),
    },
  };

  private readonly endpoint: MessageEndpoint<WorkerRequest>;
  private readonly pending = new PendingCalls<Pending>((call, error) => call.settle(error));
  private progressCallback: ((report: InitProgressReport) => void) | undefined;
  private lostDevice: DeviceLoss | undefined;

  constructor(endpoint: MessageEndpoint<WorkerRequest>) {
    this.endpoint = endpoint;
    onMessage<WorkerResponse>(endpoint, (response) => this.receive(response));
  }

  /** The first GPU device loss the worker reported; after it, WebLLM's own errors no longer tell the cause. */
  get deviceLoss(): DeviceLoss | undefined {
    return this.lostDevice;
  }

  setInitProgressCallback(callback: (report: InitProgressReport) => void): void {
    this.progressCallback = callback;
  }

  reload(modelId: string): Promise<void> {
    return this.call({ type: 'reload', modelId });
  }

  unload(): Promise<void> {
    return this.call({ type: 'unload' });
  }

  interruptGenerate(): void {
    this.call({ type: 'interrupt' }).catch(() => undefined);
  }

  /**
   * Fails every request still waiting, and any later one, with `reason`: the worker is gone and will not answer.
   * Safe to call twice; the first reason stays.
   */
  close(reason: Error): void {
    this.pending.close(reason);
  }

  private call(body: RequestBody): Promise<void> {
    return new Promise((resolve, reject) => {
      this.send(body, { settle: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private send(body: RequestBody, pending: Pending): void {
    const id = this.pending.add(pending);
    if (id !== undefined) this.endpoint.postMessage({ ...body, id } as WorkerRequest);
  }

  private stream(request: ChatCompletionRequestStreaming): AsyncIterableIterator<ChatCompletionChunk> {
    const queue = new ChunkQueue(() => this.interruptGenerate());
    this.send({ type: 'chat', request }, { chunk: (chunk) => queue.push(chunk), settle: (error) => queue.end(error) });
    return queue;
  }

  private receive(response: WorkerResponse): void {
    switch (response.type) {
      case 'device-lost':
        this.lostDevice ??= response.loss;
        return;
      case 'progress':
        this.progressCallback?.(response.report);
        return;
      case 'chunks': {
        const pending = this.pending.get(response.id);
        for (const chunk of response.chunks) pending?.chunk?.(chunk);
        return;
      }
      case 'done':
        this.pending.take(response.id)?.settle();
        return;
      case 'error':
        this.pending.fail(response.id, decodeError(response.error));
        return;
    }
  }
}

/** A reply as it arrives: chunks wait here until read; the worker's `done` or `error` ends it. */
class ChunkQueue implements AsyncIterableIterator<ChatCompletionChunk> {
  private readonly chunks: ChatCompletionChunk[] = [];
  private readonly readers: {
    resolve: (result: IteratorResult<ChatCompletionChunk>) => void;
    reject: (error: Error) => void;
  }[] = [];
  private ended: { error?: Error } | undefined;
  private abandoned = false;

  constructor(private readonly interrupt: () => void) {}

  push(chunk: ChatCompletionChunk): void {
    if (this.abandoned) return;
    const reader = this.readers.shift();
    if (reader) reader.resolve({ done: false, value: chunk });
    else this.chunks.push(chunk);
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = error ? { error } : {};
    for (const reader of this.readers.splice(0)) {
      if (error) reader.reject(error);
      else reader.resolve({ done: true, value: undefined });
    }
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    const chunk = this.chunks.shift();
    if (chunk) return Promise.resolve({ done: false, value: chunk });
    if (this.ended) {
      const { error } = this.ended;
      // An error is said once, after the chunks that came before it.
      this.ended = {};
      return error ? Promise.reject(error) : Promise.resolve({ done: true, value: undefined });
    }
    return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
  }

  /** Leaving a `for await` early: the reply is stopped and its rest dropped; the worker still reads it to the end. */
  return(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.ended && !this.abandoned) this.interrupt();
    this.abandoned = true;
    this.chunks.length = 0;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatCompletionChunk> {
    return this;
  }
}
