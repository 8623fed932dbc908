/**
 * The local engine: WebLLM in a dedicated worker, created on first use. The page never loads WebLLM (6 MB, 2.1 MB
 * gzipped): it speaks to the worker through worker-protocol.ts, and nothing of the model runs until the user asks
 * for it on this device.
 */

import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionRequestStreaming,
  CompletionUsage,
} from '@mlc-ai/web-llm';
import { normalizeHistory } from '../normalize-history.js';
import { EngineError } from '../types.js';
import type {
  ChatChunk,
  ChatEngine,
  ChatRequest,
  ChatTurn,
  FinishReason,
  RetryNotice,
  SamplingParams,
  Usage,
} from '../types.js';
import { fitToContextWindow } from './context-window.js';
import type { ContextFit } from './context-window.js';
import { localEngineError, toEngineError, WORKER_ERROR_NAME } from './errors.js';
import { parseProgress } from './progress.js';
import type { LoadProgress } from './progress.js';
import { WorkerEngineClient } from './worker-client.js';
import type { WebLlmEngineLike } from './worker-protocol.js';

/** What LocalEngine uses of a WebLLM engine (the worker client); a test passes a fake that replays WebLLM's shapes. */
export type { WebLlmEngineLike };

export interface EngineHandle {
  engine: WebLlmEngineLike;
  /** Rejects if the worker dies (its script failed to load, it crashed); WebLLM itself would wait forever. */
  failed?: Promise<never>;
  /** Ends the worker: frees the GPU device and everything the model held. */
  terminate(): void;
}

export interface LocalEngineOptions {
  createEngine?: () => Promise<EngineHandle>;
  /** Retries after a network failure while downloading, before giving up with 'download-failed'. */
  maxDownloadRetries?: number;
  retryDelayMs?: (retry: number) => number;
  /** Every prebuilt model this app offers runs with a 4,096-token window. */
  contextWindow?: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Said before each automatic retry of a failed download. */
  onRetry?: (notice: RetryNotice) => void;
  /** Cancels the download or load at any point; shards already downloaded stay cached, so a new load resumes. */
  signal?: AbortSignal;
}

export interface PreparedContext extends ContextFit {
  /** What is sent: the fitted turns shaped for Mistral's template, system turn first. */
  messages: ChatTurn[];
}

export const MAX_DOWNLOAD_RETRIES = 3;
export const DEFAULT_CONTEXT_WINDOW = 4096;

const ABORTED: ChatChunk = { finishReason: 'abort' };
const STOPPED = Symbol('stopped');

interface ActiveEngine {
  handle: EngineHandle;
  /** Rejects with {@link ENGINE_CLOSED} when we end the worker, or with the worker's error when it dies. */
  gone: Promise<never>;
  close(): void;
}

const ENGINE_CLOSED = new Error('The local engine was closed');

/**
 * Loads a model on request and streams replies from it. One model at a time: loading another one replaces the
 * first, in a fresh worker.
 *
 * - `load()` reports progress, retries a download cut by the network up to {@link MAX_DOWNLOAD_RETRIES} times with
 *   backoff (each retry resumes: WebLLM keeps finished shards), and cancels through its signal by ending the worker,
 *   rejecting with an AbortError.
 * - `chat()` follows the hosted engine's contract: `{ delta }` chunks, then one last `{ finishReason, usage? }`. On
 *   abort it asks WebLLM to stop and ends at once with `{ finishReason: 'abort' }`, while the rest of WebLLM's stream
 *   is still read to its end in the background: an abandoned stream would keep the model locked.
 * - The system prompt travels as a leading system turn of `request.messages`, as for the hosted engine; the history
 *   is trimmed to the context window first (see {@link prepareContext}).
 */
export class LocalEngine implements ChatEngine {
  readonly kind = 'local' as const;

  private readonly createEngine: () => Promise<EngineHandle>;
  private readonly maxDownloadRetries: number;
  private readonly retryDelayMs: (retry: number) => number;
  private readonly contextWindow: number;
  private active: ActiveEngine | undefined;
  private loadedModelId: string | undefined;
  private loading: AbortController | undefined;
  /** The remains of a stopped reply, still being read so WebLLM releases the model. */
  private draining: Promise<void> = Promise.resolve();

  constructor(options: LocalEngineOptions = {}) {
    this.createEngine = options.createEngine ?? createWorkerEngine;
    this.maxDownloadRetries = options.maxDownloadRetries ?? MAX_DOWNLOAD_RETRIES;
    this.retryDelayMs = options.retryDelayMs ?? ((retry) => 2000 * 2 ** (retry - 1));
    this.contextWindow = options.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  }

  /** The loaded model's id; empty while none is loaded. */
  get model(): string {
    return this.loadedModelId ?? '';
  }

  get isLoaded(): boolean {
    return this.loadedModelId !== undefined;
  }

  /**
   * Downloads (or reads from the cache) and loads `modelId` onto the GPU. Rejects with an AbortError when cancelled,
   * else with an {@link EngineError}. Starting another load cancels this one.
   */
  async load(modelId: string, { onProgress, onRetry, signal }: LoadOptions = {}): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const forwardAbort = (): void => controller.abort();
    signal?.addEventListener('abort', forwardAbort, { once: true });
    if (signal?.aborted) controller.abort();
    try {
      if (controller.signal.aborted) throw abortError();
      if (this.loadedModelId === modelId && this.active) {
        onProgress?.({ phase: 'finishing', fraction: 1, label: 'Model ready' });
        return;
      }
      await this.closeEngine();
      for (let retry = 0; ; retry += 1) {
        try {
          await this.loadOnce(modelId, onProgress, controller.signal);
          this.loadedModelId = modelId;
          return;
        } catch (error) {
          if (controller.signal.aborted) throw abortError();
          const engineError = toEngineError(error);
          if (engineError.kind !== 'download-failed' || retry >= this.maxDownloadRetries) throw engineError;
          const delayMs = this.retryDelayMs(retry + 1);
          onRetry?.({
            attempt: retry + 1,
            maxAttempts: this.maxDownloadRetries,
            delayMs,
            reason: 'The model download was interrupted; resuming where it stopped.',
          });
          await sleep(delayMs, controller.signal);
        }
      }
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
      if (this.loading === controller) this.loading = undefined;
    }
  }

  /** Cancels any load, unloads the model and ends the worker, giving the GPU back. */
  async unload(): Promise<void> {
    this.loading?.abort();
    await this.closeEngine();
  }

  /**
   * What {@link chat} will send for `request`: the latest turns that fit the context window beside the reply, and
   * how many older turns were left out, so the UI can mark them.
   */
  prepareContext(request: ChatRequest): PreparedContext {
    const fit = fitToContextWindow(request.messages, {
      contextWindow: this.contextWindow,
      maxNewTokens: request.params.maxNewTokens,
    });
    return { ...fit, messages: normalizeHistory(fit.turns, '') };
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const active = this.active;
    if (!active || this.loadedModelId === undefined) throw localEngineError('model-not-loaded');
    const context = this.prepareContext(request);
    if (context.tooLong) {
      throw new EngineError(
        'context-window',
        `Your message is too long for the local model's ${this.contextWindow.toLocaleString('en-US')}-token context. ` +
          'Shorten it, or use the Hugging Face API.',
      );
    }
    if (!context.messages.some((turn) => turn.role === 'user')) {
      throw new EngineError('bad-request', 'There is no message to answer. Type a message, then send it.');
    }
    if (signal.aborted) {
      yield ABORTED;
      return;
    }
    await Promise.race([this.draining, active.gone]).catch(() => undefined);
    if (signal.aborted) {
      yield ABORTED;
      return;
    }

    if (context.omittedCount > 0) yield { omittedTurns: context.omittedCount };

    const { engine } = active.handle;
    const created = engine.chat.completions.create(toWebLlmRequest(context.messages, request.params));
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    const pull = async (): Promise<IteratorResult<ChatCompletionChunk>> => {
      iterator ??= (await created)[Symbol.asyncIterator]();
      return iterator.next();
    };
    let stopListening = (): void => undefined;
    const stopped = new Promise<typeof STOPPED>((resolve) => {
      const onAbort = (): void => resolve(STOPPED);
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      stopListening = () => signal.removeEventListener('abort', onAbort);
    });

    let pending = pull();
    let finished = false;
    let finishReason: FinishReason = null;
    let usage: Usage | undefined;
    try {
      for (;;) {
        const outcome = await Promise.race([pending, active.gone, stopped]);
        if (outcome === STOPPED) break;
        if (outcome.done) {
          finished = true;
          break;
        }
        const chunk = outcome.value;
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        if (chunk.usage) usage = toUsage(chunk.usage);
        pending = pull();
        const delta = choice?.delta.content;
        if (delta && !signal.aborted) yield { delta };
      }
    } catch (error) {
      finished = true;
      if (error === ENGINE_CLOSED) {
        yield ABORTED;
        return;
      }
      throw this.fail(error);
    } finally {
      stopListening();
      if (!finished) {
        engine.interruptGenerate();
        this.draining = drain(pending, pull, engine, active.gone);
      }
    }
    if (!finished) {
      yield ABORTED;
      return;
    }
    yield usage === undefined ? { finishReason } : { finishReason, usage };
  }

  /** One attempt in a fresh worker; a failed or cancelled attempt ends its worker before rethrowing. */
  private async loadOnce(modelId: string, onProgress: LoadOptions['onProgress'], signal: AbortSignal): Promise<void> {
    const cancelled = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(abortError());
      signal.addEventListener('abort', () => reject(abortError()), { once: true });
    });
    cancelled.catch(() => undefined);
    const creating = this.createEngine();
    let handle: EngineHandle;
    try {
      handle = await Promise.race([creating, cancelled]);
    } catch (error) {
      // A worker that starts after the cancel must not linger.
      if (signal.aborted) creating.then((late) => late.terminate()).catch(() => undefined);
      throw error;
    }
    const active = activate(handle);
    this.active = active;
    try {
      let previous: LoadProgress | undefined;
      handle.engine.setInitProgressCallback((report) => {
        if (signal.aborted) return;
        previous = parseProgress(report, previous);
        onProgress?.(previous);
      });
      await Promise.race([handle.engine.reload(modelId), active.gone, cancelled]);
      // WebLLM's reload() resolves quietly when it is unloaded half-way.
      if (signal.aborted) throw abortError();
    } catch (error) {
      active.close();
      if (this.active === active) this.active = undefined;
      throw error;
    }
  }

  private fail(error: unknown): EngineError {
    const engineError = toEngineError(error);
    if (error instanceof Error && error.name === WORKER_ERROR_NAME) {
      // The worker is gone, and the model with it.
      void this.closeEngine();
    } else if (engineError.kind === 'device-lost' || engineError.kind === 'model-not-loaded') {
      // A lost device makes WebLLM unload the model by itself: the next reply needs a new load.
      this.loadedModelId = undefined;
    }
    return engineError;
  }

  private async closeEngine(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    this.loadedModelId = undefined;
    if (!active) return;
    try {
      active.handle.engine.interruptGenerate();
      await Promise.race([active.handle.engine.unload(), active.gone]);
    } catch {
      // The worker ends below either way, and with it everything the model held.
    } finally {
      active.close();
    }
  }
}

/** The default factory: the worker, and WebLLM inside it, are fetched on the first load only. */
export async function createWorkerEngine(): Promise<EngineHandle> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const engine = new WorkerEngineClient(worker);
  const failed = new Promise<never>((_, reject) => {
    const fail = (detail: string): void => {
      const error = new Error(`The model worker stopped: ${detail}`);
      error.name = WORKER_ERROR_NAME;
      engine.close(error);
      reject(error);
    };
    worker.addEventListener('error', (event) => fail(event.message || 'its script failed to load'));
    worker.addEventListener('messageerror', () => fail('a message could not be read'));
  });
  failed.catch(() => undefined);
  const terminate = (): void => {
    worker.terminate();
    engine.close(new DOMException('The model worker was ended.', 'AbortError'));
  };
  return { engine, failed, terminate };
}

/** WebLLM's request, with settings a form may leave out of range pulled back into what WebLLM accepts. */
export function toWebLlmRequest(messages: readonly ChatTurn[], params: SamplingParams): ChatCompletionRequestStreaming {
  const request: ChatCompletionRequestStreaming = {
    messages: messages.map((turn): ChatCompletionMessageParam => ({ role: turn.role, content: turn.content })),
    stream: true,
    stream_options: { include_usage: true },
    temperature: Math.max(0, params.temperature),
    top_p: params.topP > 0 && params.topP <= 1 ? params.topP : 1,
    max_tokens: Math.max(1, Math.floor(params.maxNewTokens)),
    repetition_penalty: params.repetitionPenalty > 0 ? params.repetitionPenalty : 1,
  };
  // WebLLM rejects a seed that is not an integer (SeedTypeError).
  if (params.seed !== null && Number.isInteger(params.seed)) request.seed = params.seed;
  return request;
}

function toFinishReason(reason: string): FinishReason {
  if (reason === 'length' || reason === 'abort') return reason;
  return 'stop';
}

function toUsage(usage: CompletionUsage): Usage {
  const result: Usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  const extra = usage.extra as Partial<CompletionUsage['extra']> | undefined;
  if (typeof extra?.time_to_first_token_s === 'number') {
    result.timeToFirstTokenMs = Math.round(extra.time_to_first_token_s * 1000);
  }
  if (typeof extra?.prefill_tokens_per_s === 'number') result.prefillTokensPerSecond = extra.prefill_tokens_per_s;
  if (typeof extra?.decode_tokens_per_s === 'number') result.decodeTokensPerSecond = extra.decode_tokens_per_s;
  return result;
}

function activate(handle: EngineHandle): ActiveEngine {
  let reject = (_reason: unknown): void => undefined;
  const gone = new Promise<never>((_, rejectGone) => {
    reject = rejectGone;
    handle.failed?.catch(rejectGone);
  });
  gone.catch(() => undefined);
  let closed = false;
  return {
    handle,
    gone,
    close: () => {
      if (closed) return;
      closed = true;
      reject(ENGINE_CLOSED);
      handle.terminate();
    },
  };
}

/**
 * Reads a stopped reply to its end. An interrupt that reaches WebLLM before its prefill starts is reset by it, so the
 * interrupt is repeated with every chunk until the stream ends.
 */
async function drain(
  pending: Promise<IteratorResult<ChatCompletionChunk>>,
  pull: () => Promise<IteratorResult<ChatCompletionChunk>>,
  engine: WebLlmEngineLike,
  gone: Promise<never>,
): Promise<void> {
  try {
    let result = await Promise.race([pending, gone]);
    while (!result.done) {
      engine.interruptGenerate();
      result = await Promise.race([pull(), gone]);
    }
  } catch {
    // A failing or closed stream holds nothing more.
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(): DOMException {
  return new DOMException('Loading the model was cancelled.', 'AbortError');
}
