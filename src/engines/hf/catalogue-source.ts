/**
 * Fetching model catalogues: the Hugging Face router's public `/v1/models`, the Hub API when the router cannot be
 * read, an OpenAI-compatible endpoint's `/models`, and the last good list of each, cached. Every answer is hostile
 * until parsed: it is read with a byte cap and a timeout, and a failure keeps the cached list in use.
 */
import { isAbortError } from '../types.js';
import { CatalogueError, parseEndpointModels, parseHubModels, parseRouterModels } from './catalogue.js';
import type { Catalogue, CatalogueCache, CatalogueModel } from '../../domain/catalogue.js';
import { normalizeEndpointUrl } from './endpoint.js';

export const ROUTER_MODELS_URL = 'https://router.huggingface.co/v1/models';
/** Chat models only: the text-generation pipeline, with each model's Inference Provider mappings. */
export const HUB_MODELS_URL =
  'https://huggingface.co/api/models?inference_provider=all&pipeline_tag=text-generation&expand[]=inferenceProviderMapping&limit=1000';

export interface CatalogueOutcome {
  /** The freshest list we have: fetched now, or the cached one when the fetch failed. */
  catalogue?: Catalogue;
  /** Fetched just now. */
  fresh: boolean;
  /** A sentence for the user when the look-up failed (the cached list, if any, stays in use). */
  error?: string;
}

export interface LoadOptions {
  fetch?: typeof fetch;
  cache: CatalogueCache;
  /** Aborting rejects the load with the signal's reason. */
  signal?: AbortSignal;
  now?: () => number;
  /** Per request, body included; default {@link CATALOGUE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Bytes read from one answer before giving up on it; default {@link CATALOGUE_MAX_BYTES}. */
  maxBytes?: number;
}

export const CATALOGUE_MAX_AGE_MS = 60 * 60 * 1000;
export const CATALOGUE_TIMEOUT_MS = 8_000;
/** The router's list of every chat model is about 1 MB; twenty times that is no model list. */
export const CATALOGUE_MAX_BYTES = 20 * 1024 * 1024;
/** The Hub pages its answers; this many pages of 1,000 cover every chat model served today several times over. */
const HUB_MAX_PAGES = 5;

export const HUGGING_FACE_CACHE_KEY = 'huggingface';

/** Refresh at most hourly; a list dated in the future (the clock was changed) is refreshed too. */
export function isCatalogueStale(catalogue: Catalogue | undefined, now: number): boolean {
  if (catalogue === undefined) return true;
  const age = now - catalogue.fetchedAt;
  return age < 0 || age >= CATALOGUE_MAX_AGE_MS;
}

/** Why one answer could not be used, as the first sentence of the message. */
class LookupFailure extends Error {
  override name = 'LookupFailure';
}

interface Answer {
  json: unknown;
  response: Response;
}

/**
 * GETs `url` and parses its JSON, within the timeout and the byte cap. `who` names the server in messages, e.g.
 * "Hugging Face's model list".
 */
async function getJson(
  url: string,
  who: string,
  headers: Record<string, string>,
  options: LoadOptions,
): Promise<Answer> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? CATALOGUE_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? CATALOGUE_MAX_BYTES;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.throwIfAborted();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    const response = await fetchImpl(url, {
      headers: { Accept: 'application/json', ...headers },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      // A key goes to its own server only: a redirect elsewhere is refused rather than followed with it.
      redirect: 'Authorization' in headers ? 'error' : 'follow',
      signal: controller.signal,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new LookupFailure(httpFailure(who, response.status));
    }
    const text = await readCapped(response, maxBytes, who);
    return { json: parseJson(text, response, who), response };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timedOut) {
      throw new LookupFailure(`${who} did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
    }
    if (error instanceof LookupFailure || error instanceof CatalogueError) throw error;
    if (isAbortError(error)) throw error;
    throw new LookupFailure(`${who} could not be reached (offline, or the server does not allow this site).`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}

function httpFailure(who: string, status: number): string {
  if (status === 401 || status === 403)
    return `${who} refused the API key (HTTP ${status}): check the key in Settings.`;
  if (status === 404) return `${who} was not found (HTTP 404): this server may not offer one.`;
  return `${who} failed with HTTP ${status}.`;
}

async function readCapped(response: Response, maxBytes: number, who: string): Promise<string> {
  const tooBig = (): LookupFailure =>
    new LookupFailure(`${who} sent more than ${Math.round(maxBytes / (1024 * 1024))} MB, far more than a model list.`);
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function parseJson(text: string, response: Response, who: string): unknown {
  const type = response.headers.get('Content-Type') ?? '';
  if (/html/i.test(type) || /^\s*</.test(text)) {
    throw new LookupFailure(`${who} is a web page, not a list of models.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LookupFailure(`${who} is not valid JSON.`);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof LookupFailure || error instanceof CatalogueError) return error.message;
  throw error;
}

async function readCache(cache: CatalogueCache, key: string): Promise<Catalogue | undefined> {
  try {
    return await cache.read(key);
  } catch {
    // A cache that cannot be read is a cache with nothing in it.
    return undefined;
  }
}

async function fresh(cache: CatalogueCache, key: string, catalogue: Catalogue): Promise<CatalogueOutcome> {
  try {
    await cache.write(key, catalogue);
  } catch {
    // Not kept for the next visit (storage full or refused); the list is still good now.
  }
  return { catalogue, fresh: true };
}

async function fromCache(cache: CatalogueCache, key: string, reason: string): Promise<CatalogueOutcome> {
  const catalogue = await readCache(cache, key);
  const next = catalogue ? 'The list loaded before stays in use.' : 'You can still type a model id.';
  return catalogue
    ? { catalogue, fresh: false, error: `${reason} ${next}` }
    : { fresh: false, error: `${reason} ${next}` };
}

/** The Hub's next page, from its `Link: <…>; rel="next"` header, if it stays on the Hub. */
function nextHubPage(response: Response): string | undefined {
  const link = response.headers.get('Link');
  const match = link === null ? null : /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link);
  if (!match?.[1]) return undefined;
  try {
    const next = new URL(match[1], HUB_MODELS_URL);
    return next.origin === new URL(HUB_MODELS_URL).origin ? next.href : undefined;
  } catch {
    return undefined;
  }
}

async function loadHubModels(options: LoadOptions): Promise<CatalogueModel[]> {
  const pages: unknown[] = [];
  let url: string | undefined = HUB_MODELS_URL;
  for (let page = 0; url !== undefined && page < HUB_MAX_PAGES; page += 1) {
    const answer = await getJson(url, 'The Hugging Face Hub’s model list', {}, options);
    if (!Array.isArray(answer.json)) return parseHubModels(answer.json);
    pages.push(...(answer.json as unknown[]));
    url = nextHubPage(answer.response);
  }
  return parseHubModels(pages);
}

/** The router's `/v1/models`, else the Hub API, else the cache. Public: no token is needed, so none is sent. */
export async function loadHuggingFaceCatalogue(options: LoadOptions): Promise<CatalogueOutcome> {
  const now = options.now ?? Date.now;
  const keep = (source: 'router' | 'hub', url: string, models: CatalogueModel[]): Promise<CatalogueOutcome> =>
    fresh(options.cache, HUGGING_FACE_CACHE_KEY, { source, origin: new URL(url).origin, fetchedAt: now(), models });
  let routerReason: string;
  try {
    const { json } = await getJson(ROUTER_MODELS_URL, 'Hugging Face’s model list', {}, options);
    return await keep('router', ROUTER_MODELS_URL, parseRouterModels(json));
  } catch (error) {
    routerReason = messageOf(error);
  }
  try {
    return await keep('hub', HUB_MODELS_URL, await loadHubModels(options));
  } catch (error) {
    // Only to let an abort or an unexpected error through: the Hub's own reason is not shown (see below).
    messageOf(error);
  }
  // The router is the source of truth; the Hub is only its stand-in, so the router's reason is the one shown.
  return fromCache(options.cache, HUGGING_FACE_CACHE_KEY, routerReason);
}

/** `{base}/models` for the address typed in Endpoint URL: `…/v1/chat/completions` becomes `…/v1/models`. */
export function endpointModelsUrl(endpointUrl: string): URL {
  const chat = normalizeEndpointUrl(endpointUrl);
  return new URL(chat.href.replace(/\/chat\/completions$/, '/models'));
}

/**
 * `GET {base}/models`, sending `apiKey` (the endpoint's own credential, chosen by the caller) to that URL only, else
 * the cached list for that address. An address that is no URL gives the Endpoint URL's own message.
 */
export async function loadEndpointCatalogue(
  endpointUrl: string,
  apiKey: string | undefined,
  options: LoadOptions,
): Promise<CatalogueOutcome> {
  let url: URL;
  try {
    url = endpointModelsUrl(endpointUrl);
  } catch (error) {
    return { fresh: false, error: error instanceof Error ? error.message : String(error) };
  }
  const key = `endpoint:${url.href}`;
  const headers: Record<string, string> = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  const who = `The model list at ${url.origin}`;
  try {
    const { json } = await getJson(url.href, who, headers, options);
    const models = parseEndpointModels(json);
    return await fresh(options.cache, key, {
      source: 'endpoint',
      origin: url.origin,
      fetchedAt: (options.now ?? Date.now)(),
      models,
    });
  } catch (error) {
    return fromCache(options.cache, key, messageOf(error));
  }
}
