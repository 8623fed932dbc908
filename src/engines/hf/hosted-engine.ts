import type { chatCompletionStream } from '@huggingface/inference';
import { normalizeHistory } from '../normalize-history.js';
import {
  type ChatChunk,
  type ChatEngine,
  type ChatRequest,
  type ChatTurn,
  type FinishReason,
  EngineError,
} from '../types.js';
import type { SamplingParams, Usage } from '../../domain/generation.js';
import { DEFAULT_HF_MODEL } from '../../domain/settings.js';
import { type HostedSettings, type HostedTarget, resolveHostedTarget } from './endpoint.js';
import { type HostedErrorContext, toHostedEngineError } from './errors.js';
import { MAX_RETRIES, RETRYABLE_STATUSES, retryDelayMs, retryHintMs, retryReason } from './retry.js';
import { createWorkerFetch } from './worker-fetch.js';

/** The part of @huggingface/inference the engine calls; `client.ts` is its lazily loaded implementation. */
export interface HostedClient {
  chatCompletionStream: typeof chatCompletionStream;
}

export interface HostedEngineConfig extends HostedSettings {
  /**
   * Used for every request. Defaults to a `fetch` that reads the stream in a worker, so a fast model's tokens do not
   * each cost the page a task (see fetch-protocol.ts); where there are no workers, to the global `fetch`.
   */
  fetch?: typeof fetch;
  /** Waits `ms` or until `signal` aborts, whichever comes first; never rejects. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1): spreads the backoff a little. */
  random?: () => number;
  /** Defaults to `navigator.onLine`. */
  isOnline?: () => boolean;
  /** Defaults to `location.origin`; named in advice about CORS. */
  pageOrigin?: string;
  /** Defaults to a dynamic import of `client.ts`, so the client is fetched on first hosted use only. */
  loadClient?: () => Promise<HostedClient>;
}

type StreamChunk = ReturnType<typeof chatCompletionStream> extends AsyncGenerator<infer Chunk> ? Chunk : never;

/** What the recording fetch saw of the last response: the library keeps neither headers nor every error body. */
interface WireRecord {
  status?: number;
  retryAfter?: string | null;
  body?: string;
}

const WIRE_BODY_MAX_CHARS = 4_000;
const ABORTED: ChatChunk = { finishReason: 'abort' };

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function browserIsOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

let sharedWorkerFetch: typeof fetch | undefined;

/** One worker serves every hosted engine: a new engine is made for each reply. */
function defaultFetch(): typeof fetch {
  if (typeof Worker !== 'function') return (input, init) => fetch(input, init);
  sharedWorkerFetch ??= createWorkerFetch();
  return sharedWorkerFetch;
}

function loadDefaultClient(): Promise<HostedClient> {
  return import('./client.js');
}

/**
 * Records status, `Retry-After` and error bodies as they come off the wire, and drops the library's `User-Agent`
 * for servers other than Hugging Face's: a browser that honours it would list it in the CORS preflight, and a
 * server with a strict header allow-list (llama-server `--cors-headers`) would then refuse the request.
 */
function recordingFetch(base: typeof fetch, target: HostedTarget, wire: WireRecord): typeof fetch {
  return async (input, init) => {
    let sent = init;
    if (!target.huggingFaceHost && init?.headers !== undefined) {
      const headers = new Headers(init.headers);
      headers.delete('User-Agent');
      sent = { ...init, headers };
    }
    const response = await base(input, sent);
    wire.status = response.status;
    wire.retryAfter = response.headers.get('Retry-After');
    if (!response.ok) {
      try {
        wire.body = (await response.clone().text()).slice(0, WIRE_BODY_MAX_CHARS);
      } catch {
        wire.body = '';
      }
    }
    return response;
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('httpResponse' in error)) return undefined;
  const response = error.httpResponse;
  if (typeof response !== 'object' || response === null || !('status' in response)) return undefined;
  return typeof response.status === 'number' ? response.status : undefined;
}

function mapFinishReason(reason: string): FinishReason {
  if (reason === 'length' || reason === 'abort' || reason === 'error') return reason;
  // "stop", TGI's "eos_token" / "stop_sequence", "content_filter", "tool_calls": the model ended the reply itself.
  return 'stop';
}

function mapUsage(usage: StreamChunk['usage']): Usage | undefined {
  if (typeof usage?.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/**
 * Repetition penalty is not an OpenAI parameter: some targets honour `repetition_penalty` (vLLM, TGI), some ignore
 * it, strict ones reject the request. It must never make a request fail, so it is
 * - never sent to the Hugging Face router, whose providers differ;
 * - sent to a custom endpoint only when it differs from 1 (no penalty, every server's default);
 * - dropped, and the request re-sent once, when the endpoint answers 400/422 naming it; the engine then stops
 *   sending it for the rest of its life.
 */
function rejectsRepetitionPenalty(wire: WireRecord, error: unknown): boolean {
  const status = wire.status ?? statusOf(error);
  if (status !== 400 && status !== 422) return false;
  const message = error instanceof Error ? error.message : '';
  return /repetition[_ ]penalty/i.test(`${wire.body ?? ''} ${message}`);
}

function requestArgs(
  target: HostedTarget,
  messages: ChatTurn[],
  params: SamplingParams,
  sendRepetitionPenalty: boolean,
): Parameters<typeof chatCompletionStream>[0] {
  return {
    model: target.model,
    ...(target.kind === 'router' ? { provider: 'auto' as const } : { endpointUrl: target.url }),
    ...(target.credential !== undefined ? { accessToken: target.credential } : {}),
    messages: messages.map(({ role, content }) => ({ role, content })),
    temperature: params.temperature,
    // 1 means no nucleus filtering, every server's default; TGI rejects top_p = 1 outright, so it is left out.
    ...(params.topP < 1 ? { top_p: params.topP } : {}),
    max_tokens: params.maxNewTokens,
    ...(params.seed !== null ? { seed: params.seed } : {}),
    ...(sendRepetitionPenalty ? { repetition_penalty: params.repetitionPenalty } : {}),
  };
}

/**
 * The hosted engine: the Hugging Face router (provider "auto", needs an `hf_` token) or any OpenAI-compatible
 * server (TGI, vLLM, llama.cpp, Inference Endpoints), through @huggingface/inference's `chatCompletionStream`.
 *
 * `request.messages` is the conversation as shown, with the system prompt, if any, as a leading `system` turn;
 * {@link normalizeHistory} shapes it for Mistral's template.
 *
 * A reply is zero or more `{ delta }` chunks, then exactly one last chunk `{ finishReason, usage? }`. After the
 * signal aborts, the connection is closed, no more deltas come, and the last chunk is `{ finishReason: 'abort' }`:
 * stopping is not an error, and the caller keeps the text it has. Failures throw an {@link EngineError}; settings
 * that cannot work (no token, a malformed one, a bad URL) throw before any request is made.
 *
 * 502/503/504 before any text has arrived are retried at most {@link MAX_RETRIES} times, after 2 s, 4 s, 8 s or the
 * server's own hint (bounded), each wait announced through `request.onRetry` and cut short by the signal.
 */
export function createHostedEngine(config: HostedEngineConfig): ChatEngine {
  const baseFetch = config.fetch ?? defaultFetch();
  const sleep = config.sleep ?? sleepUnlessAborted;
  const random = config.random ?? Math.random;
  const isOnline = config.isOnline ?? browserIsOnline;
  const pageOrigin = config.pageOrigin ?? (typeof location === 'undefined' ? undefined : location.origin);
  const loadClient = config.loadClient ?? loadDefaultClient;
  const secrets = [config.hfToken, ...Object.values(config.endpointKeys)]
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');

  let clientPromise: Promise<HostedClient> | undefined;
  let repetitionPenaltyRejected = false;

  const client = async (): Promise<HostedClient> => {
    clientPromise ??= loadClient().catch((error: unknown) => {
      clientPromise = undefined;
      const message = isOnline()
        ? 'Could not load the part of the app that talks to the hosted model. Reload the page and try again.'
        : 'You are offline. Reconnect and try again, or switch the engine to This device.';
      throw new EngineError('network', message, { cause: error });
    });
    return clientPromise;
  };

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const target = resolveHostedTarget(config);
    const messages = normalizeHistory(request.messages, '');
    if (!messages.some((turn) => turn.role === 'user')) {
      throw new EngineError('bad-request', 'There is no message to answer. Type a message, then send it.');
    }
    if (signal.aborted) {
      yield ABORTED;
      return;
    }
    const { chatCompletionStream } = await client();

    // The library gets a signal of its own, so that leaving the loop early (a `break` in the caller, an error)
    // closes the connection too, not only an abort.
    const connection = new AbortController();
    const forwardAbort = (): void => connection.abort(signal.reason);
    signal.addEventListener('abort', forwardAbort, { once: true });
    let completed = false;
    try {
      let retries = 0;
      while (!signal.aborted) {
        const sendRepetitionPenalty =
          target.kind === 'custom' && request.params.repetitionPenalty !== 1 && !repetitionPenaltyRejected;
        const wire: WireRecord = {};
        let streamed = false;
        let finishReason: FinishReason = null;
        let usage: Usage | undefined;
        try {
          const stream = chatCompletionStream(requestArgs(target, messages, request.params, sendRepetitionPenalty), {
            signal: connection.signal,
            retry_on_error: false,
            fetch: recordingFetch(baseFetch, target, wire),
          });
          for await (const chunk of stream) {
            if (signal.aborted) break;
            const choice = chunk.choices?.[0];
            const delta = choice?.delta?.content;
            if (typeof delta === 'string' && delta !== '') {
              streamed = true;
              yield { delta };
            }
            if (typeof choice?.finish_reason === 'string') finishReason = mapFinishReason(choice.finish_reason);
            usage = mapUsage(chunk.usage) ?? usage;
          }
        } catch (error) {
          if (signal.aborted) break;
          if (!streamed && sendRepetitionPenalty && rejectsRepetitionPenalty(wire, error)) {
            repetitionPenaltyRejected = true;
            continue;
          }
          const status = statusOf(error);
          if (!streamed && status !== undefined && RETRYABLE_STATUSES.has(status) && retries < MAX_RETRIES) {
            retries += 1;
            const body = wire.body ?? '';
            const delayMs = retryDelayMs(retries, retryHintMs(wire.retryAfter ?? null, body, Date.now()), random);
            request.onRetry?.({
              attempt: retries,
              maxAttempts: MAX_RETRIES,
              delayMs,
              reason: retryReason(status, body),
            });
            await sleep(delayMs, signal);
            continue;
          }
          const context: HostedErrorContext = {
            target: target.kind,
            origin: target.origin,
            huggingFaceHost: target.huggingFaceHost,
            model: target.model,
            sentCredential: target.credential !== undefined,
            online: isOnline(),
            streamed,
            pageOrigin,
            response: wire.status === undefined ? undefined : { status: wire.status, body: wire.body ?? '' },
            secrets,
          };
          throw toHostedEngineError(error, context);
        }
        if (signal.aborted) break;
        completed = true;
        yield usage === undefined ? { finishReason } : { finishReason, usage };
        return;
      }
      yield ABORTED;
    } finally {
      signal.removeEventListener('abort', forwardAbort);
      if (!completed) connection.abort();
    }
  }

  return { kind: 'hosted', model: config.model.trim() || DEFAULT_HF_MODEL, chat };
}
