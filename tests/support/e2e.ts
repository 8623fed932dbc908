// Per-file wiring for e2e tests: one Chromium for the file, a fresh session (context, page, network guard) per test.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { launchBrowser, newAppSession, type AppSession, type LaunchOptions } from './browser.js';

export interface E2eHarness {
  /** The built app served by the global setup. */
  appUrl: string;
  /** The current test's session; valid inside a test. */
  session(): AppSession;
}

export function useAppSessions(launchOptions: LaunchOptions = {}): E2eHarness {
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
    current = await newAppSession(browser);
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

/** Looks like a real token (`hf_` + 34 characters) and is unique enough to search for in logs and requests. */
export const TEST_HF_TOKEN = 'hf_testTokenMustNeverLeakQx7Zp3Lk9Vw2';
