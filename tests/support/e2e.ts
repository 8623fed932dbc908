// Per-file wiring for e2e tests: one Chromium for the file, a fresh session (context, page, network guard) per test,
// and, for the files that talk to one, a fresh local OpenAI-compatible server per test.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { launchBrowser, newAppSession, type AppSession, type LaunchOptions } from './browser.js';
import { startSseServer, type SseScenario, type SseServer } from './sse-server.js';
import { fillSettings, openApp } from './ui.js';

export interface E2eHarness {
  /** The built app served by the global setup. */
  appUrl: string;
  /** The current test's session; valid inside a test. */
  session(): AppSession;
}

export interface AppSessionOptions extends LaunchOptions {
  /** `'allow'` lets the app's service worker run (the PWA tests); every other file blocks it (see newAppSession). */
  serviceWorkers?: 'allow' | 'block';
}

export function useAppSessions({ serviceWorkers, ...launchOptions }: AppSessionOptions = {}): E2eHarness {
  let browser: Browser | undefined;
  let current: AppSession | undefined;

  beforeAll(async () => {
    browser = await launchBrowser(launchOptions);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    if (!browser) throw new Error('The browser did not start.');
    current = await newAppSession(browser, { serviceWorkers });
    current.page.setDefaultTimeout(20_000);
  });
  afterEach(async () => {
    const blockedUrls = current?.blockedUrls ?? [];
    await current?.close();
    current = undefined;
    // Every test doubles as a check that the app reached for no host the test did not expect.
    expect(blockedUrls, 'requests to hosts that no test route answered').toEqual([]);
  });

  return {
    appUrl: inject('appUrl'),
    session() {
      if (!current) throw new Error('No session: call session() inside a test.');
      return current;
    },
  };
}

/** The local server of useLocalSseServer: closing it is the harness's job, so a test cannot. */
export type LocalSseServer = Omit<SseServer, 'close'>;

/**
 * A local OpenAI-compatible server started with `scenario` before each test and closed after it, so no test sees
 * another's requests or `configure()` changes. Use the returned server inside a test, as the server itself.
 */
export function useLocalSseServer(scenario: Partial<SseScenario> = {}): LocalSseServer {
  let current: SseServer | undefined;

  beforeEach(async () => {
    current = await startSseServer(scenario);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  const server = (): SseServer => {
    if (!current) throw new Error('No local server: use it inside a test.');
    return current;
  };
  return {
    get url() {
      return server().url;
    },
    get requests() {
      return server().requests;
    },
    chatRequests: () => server().chatRequests(),
    configure: (patch) => server().configure(patch),
  };
}

/** Looks like a real token (`hf_` + 34 characters) and is unique enough to search for in logs and requests. */
export const TEST_HF_TOKEN = 'hf_testTokenMustNeverLeakQx7Zp3Lk9Vw2';

/** The Endpoint URL that means "the Hugging Face router" (the app's default, which tests intercept). */
export const HF_ROUTER = '';

/**
 * Opens the app and, through Settings as a user does, chooses the Hugging Face API engine with the test token and
 * `endpointUrl`: a local OpenAI-compatible server's URL, or HF_ROUTER.
 */
export async function openAppOnEndpoint(page: Page, appUrl: string, endpointUrl: string): Promise<void> {
  await openApp(page, appUrl);
  await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN, endpointUrl });
}
