// Chromium for end-to-end tests and the benchmark: one browser per file, a fresh context (fresh IndexedDB) per test,
// and a network guard: the browser resolves no host name but the local ones, so the app reaches only the local
// servers and the routes a test installs; every other request fails and is recorded, so a test can assert that
// nothing unexpected left the page. The guard is a resolver rule, not a catch-all route, because while any route is
// installed Playwright answers every CORS preflight itself (permissively): tests against the local server would
// never see a real preflight, and a server without CORS would look fine.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Route } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumExecutable } from './chromium.js';
import { sseBody } from './sse.js';

export const HF_ROUTER_CHAT_URL = 'https://router.huggingface.co/v1/chat/completions';
export const HF_ROUTER_MODELS_URL = 'https://router.huggingface.co/v1/models';
/** The Hub API's model list, any query: the catalogue's fallback when the router's cannot be read. */
export const HF_HUB_MODELS_URL = 'https://huggingface.co/api/models?**';

/** A catalogue fixture of tests/fixtures/hf-catalogue/, recorded by hand from the documented shape. */
export function catalogueFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/hf-catalogue/${name}.json`, import.meta.url), 'utf8');
}

/**
 * Answers the router's `/v1/models` with `fixture` (and records each look-up). Every session answers it with the
 * list where Mistral-7B-Instruct-v0.3 is served, so the tests that do not look at the catalogue see the app as it
 * was; a test that installs its own answer later overrides that one.
 */
export async function interceptRouterCatalogue(
  context: BrowserContext,
  respond: (index: number) => RouterReply = () => ({
    contentType: 'application/json',
    body: catalogueFixture('router-mistral-present'),
  }),
): Promise<RouterRequest[]> {
  const recorded: RouterRequest[] = [];
  await context.route(HF_ROUTER_MODELS_URL, async (route: Route) => {
    const request = route.request();
    recorded.push({
      url: request.url(),
      method: request.method(),
      headers: await request.allHeaders(),
      body: undefined,
    });
    await fulfill(route, respond(recorded.length - 1), 'application/json');
  });
  return recorded;
}

/** Answers a routed request with `reply`, readable from any origin. */
function fulfill(route: Route, reply: RouterReply, contentType: string): Promise<void> {
  return route.fulfill({
    status: reply.status ?? 200,
    contentType: reply.contentType ?? contentType,
    headers: { 'access-control-allow-origin': '*' },
    body: reply.body,
  });
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];
const ONLY_LOCAL_HOSTS = `--host-resolver-rules=MAP * ~NOTFOUND, ${LOCAL_HOSTS.map((host) => `EXCLUDE ${host}`).join(', ')}`;

export interface LaunchOptions {
  /**
   * `false` leaves out `--enable-unsafe-webgpu`: headless Chromium on Linux then keeps `navigator.gpu` but offers no
   * adapter, as on a machine whose GPU the browser blocks.
   */
  webgpu?: boolean;
}

export function launchBrowser({ webgpu = true }: LaunchOptions = {}): Promise<Browser> {
  const flags = webgpu ? CHROMIUM_FLAGS : CHROMIUM_FLAGS.filter((flag) => flag !== '--enable-unsafe-webgpu');
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...flags, ONLY_LOCAL_HOSTS],
    headless: true,
  });
}

export interface PersistentProfile {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
}

/**
 * Chromium on a real, throwaway profile, with the same "only local hosts resolve" guard. Chromium never offers to
 * install from an incognito profile, and every `browser.newContext()` is one: installability needs this.
 */
export async function launchPersistentProfile(): Promise<PersistentProfile> {
  const profile = await mkdtemp(join(tmpdir(), 'mc-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    args: [...CHROMIUM_FLAGS, ONLY_LOCAL_HOSTS],
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface AppSession {
  context: BrowserContext;
  page: Page;
  /** Every console message and uncaught page error, as text. */
  consoleLines: string[];
  /** Every request the page made, in order (static files, API calls, failed ones). */
  requests: Request[];
  /** Requests to a non-local host that no test route answered: they failed to resolve; nothing left the machine. */
  blockedUrls: string[];
  close(): Promise<void>;
}

/**
 * A fresh context and its page, with console and requests recorded. Service workers are blocked by default: a
 * worker would serve the app from its cache and its fetches would bypass the routes.
 */
export async function newAppSession(
  browser: Browser,
  { serviceWorkers = 'block' }: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<AppSession> {
  const context = await browser.newContext({ serviceWorkers });
  await interceptRouterCatalogue(context);
  const page = await context.newPage();
  const consoleLines: string[] = [];
  const requests: Request[] = [];
  const blockedUrls: string[] = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.stack ?? error.message}`));
  context.on('request', (request) => requests.push(request));
  context.on('requestfailed', (request) => {
    // Only the resolver rule fails this way; an aborted request (the user pressed Stop) is not a blocked one.
    if (request.failure()?.errorText === 'net::ERR_NAME_NOT_RESOLVED') blockedUrls.push(request.url());
  });
  return { context, page, consoleLines, requests, blockedUrls, close: () => context.close() };
}

/** What an intercepted router request carried. */
export interface RouterRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface RouterReply {
  status?: number;
  contentType?: string;
  body: string;
}

export type RouterResponder = (request: RouterRequest, index: number) => RouterReply | Promise<RouterReply>;

/**
 * Answers the router's chat completions with `respond` and records each request. (Playwright answers the CORS
 * preflights of routed requests itself, so only the app's own requests are recorded.) The router's model list is
 * answered apart: see {@link interceptRouterCatalogue}.
 */
export async function interceptHuggingFaceRouter(
  context: BrowserContext,
  respond: RouterResponder,
): Promise<RouterRequest[]> {
  const recorded: RouterRequest[] = [];
  await context.route(HF_ROUTER_CHAT_URL, async (route: Route) => {
    const request = route.request();
    const entry: RouterRequest = {
      url: request.url(),
      method: request.method(),
      headers: await request.allHeaders(),
      body: parseJson(request.postData()),
    };
    recorded.push(entry);
    await fulfill(route, await respond(entry, recorded.length - 1), 'text/event-stream');
  });
  return recorded;
}

/** A successful streamed reply. */
export function streamReply(tokens: readonly string[]): RouterReply {
  return { body: sseBody(tokens) };
}

/** An HTTP error with an OpenAI/HF-style JSON body. */
export function errorReply(status: number, message: string): RouterReply {
  return { status, contentType: 'application/json', body: JSON.stringify({ error: message }) };
}

/** All headers of a request, including those `request.headers()` leaves out. */
export async function requestText(request: Request): Promise<string> {
  const headers = await request.allHeaders().catch(() => request.headers());
  return [request.url(), JSON.stringify(headers), request.postData() ?? ''].join('\n');
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A new session in the same browser as `context`, sharing none of its storage: "a fresh browser" for a backup. */
export async function freshSessionBeside(context: BrowserContext): Promise<AppSession> {
  const browser = context.browser();
  if (!browser) throw new Error('No browser behind the context.');
  return newAppSession(browser);
}
