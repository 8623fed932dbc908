/**
 * The local engine: WebLLM in a dedicated worker, created on first use. The page never loads WebLLM (6 MB, 2.1 MB
 * gzipped): it speaks to the worker through worker-protocol.ts, and nothing of the model runs until the user asks
 * for it on this device.
 */

import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { normalizeHistory } from '../normalize-history.js';
import {
  EngineError,
  type ChatChunk,
  type ChatEngine,
  type ChatRequest,
  type ChatTurn,
  type FinishReason,
  type RetryNotice,
} from '../types.js';
import type { SamplingParams, Usage } from '../../domain/generation.js';
import { fitToContextWindow, promptTokensOfOverflow, scaledEstimate, type ContextFit } from './context-window.js';
import type { DeviceLoss } from './device-loss.js';
import { GpuResetError, localEngineError, toEngineError, WORKER_ERROR_NAME } from './errors.js';
import { parseProgress, type LoadProgress } from './progress.js';
import { separateSystemPrompt, toFinishReason, toUsage, toWebLlmRequest } from './webllm-request.js';
import { createWorkerEngine } from './worker-engine.js';
import { activate, drain, ENGINE_CLOSED, type ActiveEngine } from './active-engine.js';
import type { WebLlmEngineLike } from './worker-protocol.js';

/** What LocalEngine uses of a WebLLM engine (the worker client); a test passes a fake that replays WebLLM's shapes. */
export type { WebLlmEngineLike };

export interface EngineHandle {
  engine: WebLlmEngineLike;
  /** Rejects if the worker dies (its script failed to load, it crashed); WebLLM itself would wait forever. */
  failed?: Promise<never>;
  /** The GPU device loss the worker reported, if any: after one, WebLLM's own errors no longer name the cause. */
  deviceLoss?: () => DeviceLoss | undefined;
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
  /**
   * How long a new reply waits for a stopped one to end before the worker is ended and the model loaded again:
   * WebLLM cannot interrupt a prefill, which on a slow GPU can take minutes.
   */
  stopTimeoutMs?: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Said before each automatic retry of a failed download. */
  onRetry?: (notice: RetryNotice) => void;
  /** Cancels the download or load at any point; shards already downloaded stay cached, so a new load resumes. */
  signal?: AbortSignal;
  /** Weight bytes already on disk from an interrupted download: the time left counts only what is still to fetch. */
  storedBytes?: number;
}

export interface PreparedContext extends ContextFit {
  /** What is sent: the fitted turns shaped for Mistral's template, system turn first. */
  messages: ChatTurn[];
}

export const MAX_DOWNLOAD_RETRIES = 3;
export const DEFAULT_CONTEXT_WINDOW = 4096;
export const STOP_TIMEOUT_MS = 10_000;

export const RESTART_REASON =
  'The previous reply did not stop in time, so the local model is being restarted to answer this one.';

const ABORTED: ChatChunk = { finishReason: 'abort' };
const STOPPED = Symbol('stopped');
const ENDED = Symbol('ended');
const TIMED_OUT = Symbol('timed out');

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
  private readonly stopTimeoutMs: number;
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
    this.stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
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
  async load(modelId: string, { onProgress, onRetry, signal, storedBytes = 0 }: LoadOptions = {}): Promise<void> {
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
          await this.loadOnce(modelId, onProgress, controller.signal, storedBytes);
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

  /**
   * Cancels any load, unloads the model and ends the worker, giving the GPU back. A reply still streaming ends as
   * stopped, or fails with `reason` when one is given (e.g. another tab took the GPU).
   */
  async unload(reason?: EngineError): Promise<void> {
    this.loading?.abort();
    await this.closeEngine(reason);
  }

  /**
   * What {@link chat} will send for `request`: the latest turns that fit the context window beside the reply, and
   * how many older turns were left out, so the UI can mark them.
   */
  prepareContext(request: ChatRequest, estimateTokens?: (text: string) => number): PreparedContext {
    const fit = fitToContextWindow(request.messages, {
      contextWindow: this.contextWindow,
      maxNewTokens: request.params.maxNewTokens,
      ...(estimateTokens ? { estimateTokens } : {}),
    });
    return { ...fit, messages: normalizeHistory(fit.turns, '').map(separateSystemPrompt) };
  }

  /**
   * Streams the reply. A prompt WebLLM finds longer than the window (the estimate undercounts digits, code and CJK
   * text) is trimmed again with the estimate scaled by WebLLM's own token count, and sent once more.
   */
  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const active = this.active;
    const modelId = this.loadedModelId;
    if (!active || modelId === undefined) throw localEngineError('model-not-loaded');
    let context = this.prepareContext(request);
    if (context.tooLong) throw this.tooLongError();
    if (!context.messages.some((turn) => turn.role === 'user')) {
      throw new EngineError('bad-request', 'There is no message to answer. Type a message, then send it.');
    }
    if (signal.aborted) {
      yield ABORTED;
      return;
    }
    const stop = watchAbort(signal);
    try {
      const ready = await this.afterPreviousReply(active, modelId, stop.stopped, request);
      if (ready === STOPPED) {
        yield ABORTED;
        return;
      }
      for (let attempt = 0; ; attempt += 1) {
        let started = false;
        try {
          for await (const chunk of this.stream(ready, context, request.params, signal, stop.stopped)) {
            started = true;
            yield chunk;
          }
          return;
        } catch (error) {
          const retry = attempt === 0 && !started ? this.refitAfterOverflow(error, request, context) : undefined;
          if (!retry) throw error;
          context = retry;
        }
      }
    } finally {
      stop.dispose();
    }
  }

  /**
   * Waits for the remains of a stopped reply to be read (WebLLM answers one request at a time), for no longer than
   * the stop timeout: then the worker is ended and the model loaded again. Resolves with the engine to use, or
   * {@link STOPPED} when this reply is stopped first.
   */
  private async afterPreviousReply(
    active: ActiveEngine,
    modelId: string,
    stopped: Promise<typeof STOPPED>,
    request: ChatRequest,
  ): Promise<ActiveEngine | typeof STOPPED> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.stopTimeoutMs);
    });
    const ended = Promise.race([this.draining, active.gone]).then(
      () => ENDED,
      () => ENDED,
    );
    const outcome = await Promise.race([ended, stopped, timedOut]);
    clearTimeout(timer);
    if (outcome === STOPPED) return STOPPED;
    if (outcome === ENDED) return active;
    request.onRetry?.({ attempt: 1, maxAttempts: 1, delayMs: 0, reason: RESTART_REASON });
    // Not cancelled by this reply's Stop: the model must be back either way.
    const restarting = this.restart(modelId);
    restarting.catch(() => undefined);
    return Promise.race([restarting, stopped]);
  }

  private async restart(modelId: string): Promise<ActiveEngine> {
    this.draining = Promise.resolve();
    await this.unload();
    await this.load(modelId);
    if (!this.active) throw localEngineError('model-not-loaded');
    return this.active;
  }

  /** The context to send again after WebLLM refused `context` as too long; `undefined` when that cannot help. */
  private refitAfterOverflow(
    error: unknown,
    request: ChatRequest,
    context: PreparedContext,
  ): PreparedContext | undefined {
    if (!(error instanceof EngineError) || error.kind !== 'context-window') return undefined;
    const counted = promptTokensOfOverflow(error.cause);
    if (counted === undefined) return undefined;
    const refit = this.prepareContext(request, scaledEstimate(context.messages, counted));
    if (refit.tooLong) throw this.tooLongError();
    return refit.messages.length < context.messages.length ? refit : undefined;
  }

  private tooLongError(): EngineError {
    return new EngineError(
      'context-window',
      `Your message is too long for the local model's ${this.contextWindow.toLocaleString('en-US')}-token context. ` +
        'Shorten it, or use the Hugging Face API.',
    );
  }

  private async *stream(
    active: ActiveEngine,
    context: PreparedContext,
    params: SamplingParams,
    signal: AbortSignal,
    stopped: Promise<typeof STOPPED>,
  ): AsyncGenerator<ChatChunk> {
    const { engine } = active.handle;
    const created = engine.chat.completions.create(toWebLlmRequest(context.messages, params));
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    const pull = async (): Promise<IteratorResult<ChatCompletionChunk>> => {
      iterator ??= (await created)[Symbol.asyncIterator]();
      return iterator.next();
    };

    let pending = pull();
    let finished = false;
    let finishReason: FinishReason = null;
    let usage: Usage | undefined;
    // Said with the first text, so that a prompt WebLLM refuses, trimmed again, says only its final count.
    let omitted = context.omittedCount > 0 ? context.omittedCount : undefined;
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
        if (delta && !signal.aborted) {
          if (omitted !== undefined) yield { omittedTurns: omitted };
          omitted = undefined;
          yield { delta };
        }
      }
    } catch (error) {
      finished = true;
      if (error === ENGINE_CLOSED || active.closing) {
        if (active.closing instanceof EngineError) throw active.closing;
        yield ABORTED;
        return;
      }
      throw this.fail(error, active);
    } finally {
      if (!finished) {
        engine.interruptGenerate();
        this.draining = drain(pending, pull, engine, active.gone);
      }
    }
    if (!finished) {
      yield ABORTED;
      return;
    }
    if (omitted !== undefined) yield { omittedTurns: omitted };
    yield usage === undefined ? { finishReason } : { finishReason, usage };
  }

  /** One attempt in a fresh worker; a failed or cancelled attempt ends its worker before rethrowing. */
  private async loadOnce(
    modelId: string,
    onProgress: LoadOptions['onProgress'],
    signal: AbortSignal,
    storedBytes: number,
  ): Promise<void> {
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
        previous = parseProgress(report, previous, storedBytes);
        onProgress?.(previous);
      });
      await Promise.race([handle.engine.reload(modelId), active.gone, cancelled]);
      // WebLLM's reload() resolves quietly when it is unloaded half-way.
      if (signal.aborted) throw abortError();
    } catch (error) {
      const loss = handle.deviceLoss?.();
      active.close();
      if (this.active === active) this.active = undefined;
      // After a lost device, WebLLM's error is about its disposed runtime ("Object has already been disposed").
      throw loss && !signal.aborted ? new GpuResetError(loss, undefined, { cause: error }) : error;
    }
  }

  private fail(error: unknown, active: ActiveEngine): EngineError {
    const loss = active.handle.deviceLoss?.();
    const engineError = loss ? new GpuResetError(loss, undefined, { cause: error }) : toEngineError(error);
    const workerDied = error instanceof Error && error.name === WORKER_ERROR_NAME;
    if (workerDied || engineError.kind === 'device-lost') {
      // The worker, or the GPU device in it, is gone with the model: the next load starts a fresh worker.
      if (this.active === active) {
        this.active = undefined;
        this.loadedModelId = undefined;
      }
      active.close();
    } else if (engineError.kind === 'model-not-loaded') {
      // WebLLM unloaded the model by itself: the next reply needs a new load.
      this.loadedModelId = undefined;
    }
    return engineError;
  }

  private async closeEngine(reason?: EngineError): Promise<void> {
    const active = this.active;
    this.active = undefined;
    this.loadedModelId = undefined;
    if (!active) return;
    active.closing = reason ?? true;
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

/** A reply's Stop as a promise to race against, and its listener's removal. */
function watchAbort(signal: AbortSignal): { stopped: Promise<typeof STOPPED>; dispose: () => void } {
  let dispose = (): void => undefined;
  const stopped = new Promise<typeof STOPPED>((resolve) => {
    const onAbort = (): void => resolve(STOPPED);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { stopped, dispose };
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
