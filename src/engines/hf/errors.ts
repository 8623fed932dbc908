import { EngineError, isAbortError } from '../types.js';
import { TOKENS_PAGE } from './endpoint.js';

const BILLING_PAGE = 'https://huggingface.co/settings/billing';
const PROVIDERS_PAGE = 'https://huggingface.co/settings/inference-providers';
const DETAIL_MAX_CHARS = 200;

/** What the engine knew when a request failed; everything a message needs, nothing secret outside `secrets`. */
export interface HostedErrorContext {
  target: 'router' | 'custom';
  /** Scheme, host and port of the server asked, e.g. `http://localhost:8080`. */
  origin: string;
  /** Whether the server is Hugging Face's (router, Inference Endpoint, Space). */
  huggingFaceHost: boolean;
  model: string;
  /** Whether an Authorization header went with the request. */
  sentCredential: boolean;
  /** `navigator.onLine`; false means the browser knows it is offline. */
  online: boolean;
  /** Whether part of the reply had already arrived: a failure then is a broken stream, not a refused request. */
  streamed: boolean;
  /** This page's origin, to say which origin a server must allow (CORS) and to spot blocked mixed content. */
  pageOrigin?: string;
  /** Status and body as read off the wire; preferred to what the library kept, which may drop the body. */
  response?: { status: number; body: string };
  /** Strings that must never appear in a message (tokens, keys). */
  secrets: readonly string[];
}

interface HttpFailure {
  status: number;
  body: string;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  try {
    return JSON.stringify(body);
  } catch {
    return '';
  }
}

/**
 * The library's HTTP errors (`InferenceClientProviderApiError`, `InferenceClientHubApiError`) carry
 * `httpResponse: { status, body }`. They are recognised by shape: `instanceof` would need the client module loaded
 * eagerly, and this must run even if it failed to load.
 */
function httpFailureOf(error: unknown, context: HostedErrorContext): HttpFailure | undefined {
  if (typeof error === 'object' && error !== null && 'httpResponse' in error) {
    const response = error.httpResponse;
    if (typeof response === 'object' && response !== null && 'status' in response) {
      const status = response.status;
      if (typeof status === 'number') {
        const wire = context.response?.status === status ? context.response.body : '';
        const kept = 'body' in response ? bodyText(response.body) : '';
        return { status, body: wire || kept };
      }
    }
  }
  return undefined;
}

function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== '') result = result.split(secret).join('[redacted]');
  }
  return result.replace(/\bhf_[A-Za-z0-9]{6,}/g, 'hf_[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}

/** The server's own explanation, as short plain text: OpenAI, TGI, vLLM, llama.cpp and FastAPI shapes. */
function serverDetail(body: string, secrets: readonly string[]): string {
  let detail = body;
  try {
    const parsed: unknown = JSON.parse(body);
    detail = detailOf(parsed) ?? body;
  } catch {
    // Plain text or HTML: used as is, trimmed below.
  }
  const plain = redact(
    detail
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    secrets,
  );
  return plain.length > DETAIL_MAX_CHARS ? `${plain.slice(0, DETAIL_MAX_CHARS - 1)}…` : plain;
}

function detailOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return detailOf(value[0]);
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of ['error', 'message', 'detail', 'msg'] as const) {
    if (key in value) {
      const found = detailOf((value as Record<string, unknown>)[key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function withDetail(prefix: string, detail: string): string {
  if (detail === '') return `${prefix}.`;
  return `${prefix}: ${detail.replace(/[.\s]+$/, '')}.`;
}

function isTooLong(body: string): boolean {
  return /context length|context size|context window|maximum context|too long|tokens \+ `?max_new_tokens`? must be|exceeds? the (available|maximum)/i.test(
    body,
  );
}

function isModelUnsupported(body: string): boolean {
  return /not supported by any provider|model_not_supported|not supported by provider|no inference provider/i.test(
    body,
  );
}

function isGated(body: string): boolean {
  return /gated|restricted|licen[cs]e|access to model/i.test(body);
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.') || hostname.endsWith('.localhost')
  );
}

function isBlockedMixedContent(context: HostedErrorContext): boolean {
  if (context.pageOrigin === undefined || !context.pageOrigin.startsWith('https:')) return false;
  try {
    const url = new URL(context.origin);
    return url.protocol === 'http:' && !isLoopback(url.hostname);
  } catch {
    return false;
  }
}

function serverName(context: HostedErrorContext): string {
  return context.target === 'router' ? 'Hugging Face' : `The server at ${context.origin}`;
}

function networkError(error: unknown, context: HostedErrorContext): EngineError {
  const cause = { cause: error };
  if (!context.online) {
    return new EngineError(
      'network',
      'You are offline. Reconnect and try again, or switch the engine to This device.',
      cause,
    );
  }
  if (context.streamed) {
    return new EngineError(
      'stream-error',
      'The connection dropped before the reply was finished. The partial reply is kept; regenerate it to try again.',
      cause,
    );
  }
  if (context.target === 'router') {
    return new EngineError(
      'network',
      'Could not reach Hugging Face. Check your connection and that no extension or firewall blocks router.huggingface.co.',
      cause,
    );
  }
  if (isBlockedMixedContent(context)) {
    return new EngineError(
      'network',
      `The browser blocks calls from this secure page to ${context.origin}, which is plain http and not this computer. Serve the endpoint over https, or run it on localhost.`,
      cause,
    );
  }
  const site = context.pageOrigin ?? 'this site';
  return new EngineError(
    'network',
    `Could not reach ${context.origin}. Check that the server is running and allows requests from ${site} (CORS), e.g. llama-server --cors-origins, vllm serve --allowed-origins or TGI --cors-allow-origin.`,
    cause,
  );
}

function httpError(failure: HttpFailure, error: unknown, context: HostedErrorContext): EngineError {
  const { status, body } = failure;
  const options = { status, cause: error };
  const router = context.target === 'router';
  const name = serverName(context);
  const detail = serverDetail(body, context.secrets);
  const baseModel = context.model.split(':')[0] ?? context.model;

  if (status === 200) {
    if (/event stream content type/i.test(bodyText((error as { message?: unknown }).message))) {
      return new EngineError(
        'invalid-endpoint',
        `${name} did not answer with a chat stream. Check that the Endpoint URL points to an OpenAI-compatible server.`,
        options,
      );
    }
    return new EngineError(
      'stream-error',
      `${withDetail('The reply broke off with an error from the server', detail)} The partial reply is kept; regenerate it to try again.`,
      options,
    );
  }
  if (status === 401) {
    if (router) {
      return new EngineError(
        'token-invalid',
        `Hugging Face did not accept your token. Check it in Settings, or create a new one at ${TOKENS_PAGE} with the “Make calls to Inference Providers” permission.`,
        options,
      );
    }
    if (!context.sentCredential) {
      const where = context.huggingFaceHost ? 'your Hugging Face token' : 'its API key';
      return new EngineError('token-missing', `${name} asks for a key. Enter ${where} in Settings.`, options);
    }
    return new EngineError('token-invalid', `${name} did not accept the key. Check it in Settings.`, options);
  }
  if (status === 402) {
    const message = context.huggingFaceHost
      ? `Your Hugging Face credits for Inference Providers are used up. Upgrade to PRO or add billing at ${BILLING_PAGE}, or switch the engine to This device.`
      : `${name} says payment is required. Check your plan with whoever runs it, or switch the engine to This device.`;
    return new EngineError('credits-exhausted', message, options);
  }
  if (status === 403) {
    if (context.huggingFaceHost && isGated(body)) {
      return new EngineError(
        'gated',
        `${baseModel} is gated. Open https://huggingface.co/${baseModel} while signed in and accept its licence, then try again.`,
        options,
      );
    }
    if (router) {
      return new EngineError(
        'forbidden',
        `Your token may not call Inference Providers. Create a fine-grained token with the “Make calls to Inference Providers” permission at ${TOKENS_PAGE}.`,
        options,
      );
    }
    return new EngineError(
      'forbidden',
      `${withDetail(`${name} refused the request`, detail)} Check its key and access settings.`,
      options,
    );
  }
  if (router && (status === 400 || status === 404) && isModelUnsupported(body)) {
    return new EngineError(
      'model-unsupported',
      `No Inference Provider you have enabled serves ${baseModel}. Try another model, add a provider suffix such as “:featherless-ai”, or enable providers at ${PROVIDERS_PAGE}.`,
      options,
    );
  }
  if (status === 404) {
    const message = router
      ? `Hugging Face does not know the model “${context.model}”. Check the model id in Settings.`
      : `${name} answered “not found”. Check the Endpoint URL and the model name the server expects.`;
    return new EngineError('not-found', message, options);
  }
  if (status === 413 || ((status === 400 || status === 422) && isTooLong(body))) {
    return new EngineError(
      'too-long',
      'The conversation is too long for this model. Start a new chat, or lower Max new tokens.',
      options,
    );
  }
  if (status === 429) {
    const message = router
      ? 'Hugging Face is limiting how often you can send. Wait a minute and try again, or use your own endpoint or This device.'
      : `${name} is limiting how often you can send. Wait a moment and try again.`;
    return new EngineError('rate-limited', message, options);
  }
  if (status === 502 || status === 503 || status === 504 || status === 408) {
    const message = router
      ? 'The model is still loading or Hugging Face is busy. Try again in a minute, choose another model, or switch to This device.'
      : `${name} is loading or busy. Try again in a minute.`;
    return new EngineError('unavailable', message, options);
  }
  if (status >= 500) {
    return new EngineError(
      'server-error',
      `${withDetail(`${name} failed (error ${status})`, detail)} Try again; if it keeps failing, try another model.`,
      options,
    );
  }
  if (status >= 400) {
    return new EngineError(
      'bad-request',
      `${withDetail(`${name} rejected the request`, detail)} Check the model id and the sampling settings.`,
      options,
    );
  }
  return new EngineError('unknown', `${name} answered unexpectedly (status ${status}). Try again.`, options);
}

/**
 * Maps anything a hosted request can throw (the library's HTTP errors, a mid-stream `{"error": …}` event,
 * a `TypeError` from fetch, a malformed event) to an {@link EngineError} whose message says what happened and what
 * to do, in one or two sentences, without any token or key in it. An `EngineError` passes through unchanged.
 */
export function toHostedEngineError(error: unknown, context: HostedErrorContext): EngineError {
  if (error instanceof EngineError) return error;
  const failure = httpFailureOf(error, context);
  if (failure !== undefined) return httpError(failure, error, context);
  if (error instanceof TypeError) return networkError(error, context);
  if (error instanceof SyntaxError) {
    return new EngineError(
      'stream-error',
      `${serverName(context)} sent a reply this app cannot read. Any partial reply is kept; regenerate it to try again.`,
      { cause: error },
    );
  }
  if (isAbortError(error)) {
    return new EngineError('unknown', 'The request was cancelled. Try again.', { cause: error });
  }
  if (error instanceof Error && (error.name === 'InputError' || error.name === 'RoutingError')) {
    return new EngineError(
      'bad-request',
      `${redact(error.message, context.secrets)} Check the model and Endpoint URL in Settings.`,
      { cause: error },
    );
  }
  return new EngineError('unknown', 'Something went wrong while asking the model. Try again.', { cause: error });
}
