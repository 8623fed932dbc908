/**
 * The page's side of the model worker: WebLLM's engine surface ({@link WebLlmEngineLike}) over the messages of
 * worker-protocol.ts, so the page never loads WebLLM itself. Replies stream in as the worker pushes them; the worker,
 * not the page, reads WebLLM's stream to its end.
 */

import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { DeviceLoss } from './device-loss.js';
import { decodeError } from './worker-protocol.js';
import type { MessageEndpoint, WebLlmEngineLike, WorkerRequest, WorkerResponse } from './worker-protocol.js';

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
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private progressCallback: ((report: InitProgressReport) => void) | undefined;
  private closedBy: Error | undefined;
  private lostDevice: DeviceLoss | undefined;

  constructor(endpoint: MessageEndpoint<WorkerRequest>) {
    this.endpoint = endpoint;
    endpoint.addEventListener('message', (event) => this.receive(event.data as WorkerResponse));
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
    this.closedBy ??= reason;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const request of waiting) request.settle(this.closedBy);
  }

  private call(body: RequestBody): Promise<void> {
    return new Promise((resolve, reject) => {
      this.send(body, { settle: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private send(body: RequestBody, pending: Pending): void {
    if (this.closedBy) {
      pending.settle(this.closedBy);
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, pending);
    this.endpoint.postMessage({ ...body, id } as WorkerRequest);
  }

  private stream(request: ChatCompletionRequestStreaming): AsyncIterableIterator<ChatCompletionChunk> {
    const queue = new ChunkQueue(() => this.interruptGenerate());
    this.send({ type: 'chat', request }, { chunk: (chunk) => queue.push(chunk), settle: (error) => queue.end(error) });
    return queue;
  }

  private receive(response: WorkerResponse): void {
    if (response.type === 'device-lost') {
      this.lostDevice ??= response.loss;
      return;
    }
    if (response.type === 'progress') {
      this.progressCallback?.(response.report);
      return;
    }
    const pending = this.pending.get(response.id);
    if (!pending) return;
    if (response.type === 'chunk') {
      pending.chunk?.(response.chunk);
      return;
    }
    this.pending.delete(response.id);
    pending.settle(response.type === 'error' ? decodeError(response.error) : undefined);
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
