// Shared steps of the PWA end-to-end tests (at the site root and under a sub-path): the service worker in control,
// failed requests while offline, and the list of every chunk the build emitted.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Request } from 'playwright-core';

/** The directory the global setup serves (see global-setup.ts): read to know every chunk the build emitted. */
export const APP_DIR = resolve(process.env['E2E_APP_DIR'] ?? fileURLToPath(new URL('../../dist/', import.meta.url)));

/** Resolves once the app's service worker has installed (precached everything) and controls the page. */
export async function serviceWorkerInControl(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  } catch (error) {
    throw new Error(
      'The service worker never took control of the page: is registerServiceWorker() called from src/main.ts?',
      { cause: error },
    );
  }
}

/** Requests to `appUrl`'s origin that fail from now on: with the network off, each is a file missing from the cache. */
export function recordFailedAppRequests(page: Page, appUrl: string): string[] {
  const appOrigin = new URL(appUrl).origin;
  const failed: string[] = [];
  page.context().on('requestfailed', (request: Request) => {
    if (new URL(request.url()).origin === appOrigin) {
      failed.push(`${request.url()} (${request.failure()?.errorText ?? 'failed'})`);
    }
  });
  return failed;
}

/** Every file a visit may load after the first paint (lazy chunks of both engines, markdown, workers), relative. */
export function builtAssets(): string[] {
  return readdirSync(resolve(APP_DIR, 'assets'))
    .filter((name) => /\.(?:js|css|wasm)$/.test(name))
    .map((name) => `assets/${name}`);
}

/** Fetches each of `paths` from inside the page (through its service worker): `"<path> <status>"`, or `"<path> unavailable"`. */
export function fetchStatuses(page: Page, paths: readonly string[]): Promise<string[]> {
  return page.evaluate(
    (list) =>
      Promise.all(
        list.map((path) =>
          fetch(path).then(
            (response) => `${path} ${response.status}`,
            () => `${path} unavailable`,
          ),
        ),
      ),
    [...paths],
  );
}
