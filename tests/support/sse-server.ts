// A local OpenAI-compatible server (vLLM, llama.cpp, TGI all speak this) for end-to-end tests and the benchmark:
// POST …/chat/completions streams one SSE event per token; GET …/models lists one model. Each test configures what
// it sends and then reads what the client did: every request with its headers and body, and whether the client
// hung up before the end. It closes itself after `lifetimeMs` so a forgotten server never keeps the run alive.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { closingEvents, DEFAULT_MODEL, errorEvent, tokenEvent } from './sse.js';

export interface SseScenario {
  tokens: readonly string[];
  /** Pause before each token; 0 writes as fast as the client reads (back-pressure respected). */
  tokenDelayMs: number;
  /** Anything but 200 answers with `errorBody` as JSON instead of a stream. */
  status: number;
  errorBody: unknown;
  /** After this many tokens, send an `{"error": …}` event and end the stream (no `[DONE]`). */
  errorAfterTokens: number | null;
  errorMessage: string;
  /** Off: no Access-Control-* headers at all, so a browser's preflight fails as with a server without CORS. */
  cors: boolean;
  model: string;
  /**
   * What `GET …/models` answers: the ids listed (none: `model` alone), or `'none'` for a server without that route
   * (404), or `'html'` for one that answers a web page.
   */
  models?: readonly string[] | 'none' | 'html';
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text if it is not JSON, `undefined` without a body. */
  body: unknown;
  tokensSent: number;
  /** The whole response was written. */
  completed: boolean;
  /** The client closed the connection before the response ended (e.g. the user pressed Stop). */
  disconnected: boolean;
  /** Epoch ms (sub-ms precision) when the last token event was handed to the socket. */
  lastTokenWrittenAt: number | null;
}

export interface SseServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43210`; the app appends `/v1/chat/completions`. */
  readonly url: string;
  /** Every request in arrival order, including CORS preflights and `GET /v1/models`. */
  readonly requests: readonly RecordedRequest[];
  /** The POSTs to a chat-completions path. */
  chatRequests(): RecordedRequest[];
  /** Changes what the next requests get; requests already streaming keep their scenario. */
  configure(patch: Partial<SseScenario>): void;
  close(): Promise<void>;
}

export const DEFAULT_SCENARIO: SseScenario = {
  tokens: ['Hello', ' from', ' the', ' local', ' server.'],
  tokenDelayMs: 0,
  status: 200,
  errorBody: { error: { message: 'Something went wrong', type: 'server_error' } },
  errorAfterTokens: null,
  errorMessage: 'The model crashed mid-stream',
  cors: true,
  model: DEFAULT_MODEL,
};

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' };
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, content-type',
  'Access-Control-Max-Age': '0',
};

/** ` [1]`, ` [2]`, …: each token is findable on its own in the reply, and `[12]` never matches inside `[120]`. */
export function numberedTokens(count: number): string[] {
  return Array.from({ length: count }, (_, index) => ` [${index + 1}]`);
}

/** The numbers of numberedTokens that `text` shows, in order: how far a reply got. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export async function startSseServer(
  scenario: Partial<SseScenario> = {},
  { lifetimeMs = 5 * 60_000 }: { lifetimeMs?: number } = {},
): Promise<SseServer> {
  let current: SseScenario = { ...DEFAULT_SCENARIO, ...scenario };
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://localhost').pathname,
        headers: req.headers,
        body: parseBody(Buffer.concat(chunks).toString('utf8')),
        tokensSent: 0,
        completed: false,
        disconnected: false,
        lastTokenWrittenAt: null,
      };
      requests.push(record);
      res.on('finish', () => {
        record.completed = true;
      });
      res.on('close', () => {
        if (!res.writableFinished) record.disconnected = true;
      });
      void respond(record, res, current);
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  const close = () =>
    new Promise<void>((done) => {
      clearTimeout(lifetime);
      server.closeAllConnections();
      server.close(() => done());
    });
  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatRequests: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions')),
    configure(patch) {
      current = { ...current, ...patch };
    },
    close,
  };
}

async function respond(record: RecordedRequest, res: ServerResponse, scenario: SseScenario): Promise<void> {
  const cors = scenario.cors ? CORS_HEADERS : {};

  if (record.method === 'OPTIONS') {
    res.writeHead(204, scenario.cors ? PREFLIGHT_HEADERS : {}).end();
    return;
  }
  if (record.method === 'GET' && record.path.endsWith('/models') && scenario.models !== 'none') {
    if (scenario.models === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html', ...cors });
      res.end('<!doctype html><title>Welcome</title><p>It works!</p>');
      return;
    }
    const ids = scenario.models ?? [scenario.model];
    res.writeHead(200, { 'Content-Type': 'application/json', ...cors });
    res.end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'local' })) }));
    return;
  }
  if (record.method !== 'POST' || !record.path.endsWith('/chat/completions')) {
    res.writeHead(404, { 'Content-Type': 'application/json', ...cors });
    res.end(JSON.stringify({ error: { message: `No route for ${record.method} ${record.path}`, type: 'not_found' } }));
    return;
  }
  if (scenario.status !== 200) {
    res.writeHead(scenario.status, { 'Content-Type': 'application/json', ...cors });
    res.end(JSON.stringify(scenario.errorBody));
    return;
  }

  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...cors });
  res.flushHeaders();
  for (const [index, token] of scenario.tokens.entries()) {
    if (scenario.tokenDelayMs > 0) await sleep(scenario.tokenDelayMs);
    if (res.destroyed) return;
    if (scenario.errorAfterTokens !== null && index >= scenario.errorAfterTokens) {
      res.end(errorEvent(scenario.errorMessage));
      return;
    }
    const writable = res.write(tokenEvent(token, scenario.model));
    record.tokensSent += 1;
    record.lastTokenWrittenAt = epochNow();
    if (!writable) await drained(res);
    else if (scenario.tokenDelayMs === 0 && index % 64 === 63) await sleep(0);
  }
  if (res.destroyed) return;
  res.end(closingEvents(record.tokensSent, scenario.model));
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((done) => {
    const settle = () => {
      res.off('drain', settle);
      res.off('close', settle);
      done();
    };
    res.on('drain', settle);
    res.on('close', settle);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
