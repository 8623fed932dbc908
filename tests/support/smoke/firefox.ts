// Firefox (Debian's firefox-esr) for the smoke tests, driven by puppeteer-core over WebDriver BiDi. One browser per
// test file; each profile is a BiDi user context (its own storage). Every request is recorded, and the browser can
// reach only this machine: its proxy points at a closed local port for everything but localhost and 127.0.0.1.
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import {
  describeQuery,
  FIND_TIMEOUT_MS,
  firstMatchScript,
  PUBLIC_MODEL_LISTS,
  textsScript,
  waitFor,
  type RoleQuery,
  type SmokeEngine,
  type SmokeProfile,
  type SmokeTab,
  type SpecialKey,
} from './driver.js';

/** Port 9 ("discard") has no listener here: a request sent to this proxy fails at once. */
const NOWHERE = { host: '127.0.0.1', port: 9 };

const ONLY_LOCAL_NETWORK = {
  'network.proxy.type': 1,
  'network.proxy.http': NOWHERE.host,
  'network.proxy.http_port': NOWHERE.port,
  'network.proxy.ssl': NOWHERE.host,
  'network.proxy.ssl_port': NOWHERE.port,
  'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
  'network.proxy.allow_hijacking_localhost': false,
};

export interface FirefoxEngine extends SmokeEngine {
  /** Every URL any page of this browser requested, in order. */
  readonly requestedUrls: readonly string[];
}

export async function launchFirefox(executablePath: string): Promise<FirefoxEngine> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: ONLY_LOCAL_NETWORK,
  });
  const requestedUrls: string[] = [];

  return {
    name: 'Firefox',
    requestedUrls,
    async newProfile(): Promise<SmokeProfile> {
      const context = await browser.createBrowserContext();
      return {
        supportsTabs: true,
        async newTab() {
          const page = await context.newPage();
          page.setDefaultTimeout(FIND_TIMEOUT_MS);
          page.on('request', (request) => requestedUrls.push(request.url()));
          return firefoxTab(page);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

function firefoxTab(page: Page): SmokeTab {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => {
    // Firefox logs every refused cross-origin request as a page error. The proxy refuses Hugging Face's public model
    // list, which Settings looks up on the hosted engine, and the app handles that refusal: it is no error of ours.
    const text = String(error);
    if (/Cross-Origin Request Blocked/.test(text) && PUBLIC_MODEL_LISTS.some((list) => text.includes(list))) return;
    pageErrors.push(text);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`[console] ${message.text()}`);
  });

  const find = (query: RoleQuery): Promise<ElementHandle<Element>> =>
    waitFor(describeQuery(query), async () => {
      const handle = await page.evaluateHandle(firstMatchScript(query));
      const element = handle.asElement() as ElementHandle<Element> | null;
      if (element) return element;
      await handle.dispose();
      return undefined;
    });

  return {
    pageErrors,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    async click(query) {
      await (await find(query)).click();
    },
    async type(query, text) {
      await (await find(query)).type(text);
    },
    async press(query, key: SpecialKey) {
      await (await find(query)).press(key);
    },
    texts: (query) => page.evaluate(textsScript(query)) as Promise<string[]>,
    evaluate: <T>(script: string, ...args: unknown[]) =>
      page.evaluate(`(${script})(...${JSON.stringify(args)})`) as Promise<T>,
  };
}
