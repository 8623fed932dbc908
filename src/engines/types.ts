/**
 * The engine seam. Both engines stream OpenAI-style chat completions, so the UI and the store only ever see this
 * interface and never know whether the reply comes from the GPU in this browser or from a hosted server.
 */

import type { EngineKind, SamplingParams, Usage } from '../domain/generation.js';
import type { Settings } from '../domain/settings.js';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatTurn {
  role: ChatRole;
  content: string;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error' | null;

/** One streamed step. A chunk may carry text, usage, a finish reason, or several at once. */
export interface ChatChunk {
  delta?: string;
  usage?: Usage;
  finishReason?: FinishReason;
  /**
   * How many of the oldest turns were left out so the request fits the model's context window. Said once, before
   * any text, by an engine that trims (the local one); the UI marks the reply with it.
   */
  omittedTurns?: number;
}

/** Said while the engine waits before a bounded retry (e.g. a hosted model that is still loading). */
export interface RetryNotice {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  reason: string;
}

export interface ChatRequest {
  /** The conversation as the user sees it; the engine normalises it for its template. */
  messages: readonly ChatTurn[];
  params: SamplingParams;
  onRetry?: (notice: RetryNotice) => void;
}

export interface ChatEngine {
  readonly kind: EngineKind;
  /** The model id this engine answers with, recorded on every reply it produces. */
  readonly model: string;
  /**
   * Streams the reply. Aborting `signal` must end the iteration promptly and release the underlying resource
   * (the HTTP connection, the GPU lock). Failures throw an {@link EngineError}.
   */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}

/**
 * Every failure the user can meet, by what they can do about it. The UI turns a kind into one or two sentences:
 * what happened and what to do next.
 */
export type EngineErrorKind =
  | 'token-missing'
  | 'token-invalid'
  | 'token-format'
  | 'credits-exhausted'
  | 'forbidden'
  | 'gated'
  | 'model-unsupported'
  | 'not-found'
  | 'bad-request'
  | 'too-long'
  | 'rate-limited'
  | 'unavailable'
  | 'server-error'
  | 'network'
  | 'stream-error'
  | 'invalid-endpoint'
  | 'webgpu-unavailable'
  | 'shader-f16-unsupported'
  | 'device-lost'
  | 'out-of-memory'
  | 'model-library'
  | 'download-failed'
  | 'integrity'
  | 'quota'
  | 'model-in-use'
  | 'model-not-loaded'
  | 'context-window'
  | 'unknown';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly kind: EngineErrorKind;
  readonly status: number | undefined;
  /** One or two sentences for the alert: what happened, what to do next. */
  readonly userMessage: string;

  constructor(kind: EngineErrorKind, userMessage: string, options: { status?: number; cause?: unknown } = {}) {
    super(userMessage, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.userMessage = userMessage;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException
    ? error.name === 'AbortError'
    : error instanceof Error && error.name === 'AbortError';
}

/** What the UI shows about the engine the current settings choose. */
export interface EngineStatus {
  engine: EngineKind;
  /** e.g. "Hugging Face API · mistralai/Mistral-7B-Instruct-v0.3" */
  label: string;
  /** The model id replies will be recorded with. */
  model: string;
  /** Whether the selected engine can be used on this device right now. */
  available: boolean;
  /** Why not, or what it is doing (e.g. the download phase). */
  detail?: string;
}

/** Chooses and describes the engine for the current settings. */
export interface EngineResolver {
  /** The engine that will answer with these settings; throws an EngineError when it cannot be used. */
  resolve(settings: Settings): Promise<ChatEngine>;
  describe(settings: Settings): EngineStatus;
}
