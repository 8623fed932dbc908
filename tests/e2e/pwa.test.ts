// The built app as an installable, offline-capable web app: Chromium's own installability verdict, the app opening
// and loading its lazy chunks with the network off after one visit, the "Offline" indicator, and a new version that
// waits for the user's "Reload". Unlike the other e2e files, these sessions let the service worker run.
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page, type Request } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../support/chromium.js';
import { useAppSessions } from '../support/e2e.js';
import { startStaticServer } from '../support/static-server.js';
import { messageBox, named, openApp } from '../support/ui.js';

// The directory the global setup serves (see global-setup.ts): read to know every chunk the build emitted.
const APP_DIR = resolve(process.env['E2E_APP_DIR'] ?? fileURLToPath(new URL('../../dist/', import.meta.url)));
const appUrl = inject('appUrl');

/** Resolves once the app's service worker has installed (precached everything) and controls the page. */
async function serviceWorkerInControl(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  } catch (error) {
    throw new Error(
      'The service worker never took control of the page: is registerServiceWorker() called from src/main.ts?',
      { cause: error },
    );
  }
}

/** Same-origin requests that fail from now on: with the network off, each one is a file missing from the cache. */
function recordFailedAppRequests(page: Page): string[] {
  const appOrigin = new URL(appUrl).origin;
  const failed: string[] = [];
  page.context().on('requestfailed', (request: Request) => {
    if (new URL(request.url()).origin === appOrigin) {
      failed.push(`${request.url()} (${request.failure()?.errorText ?? 'failed'})`);
    }
  });
  return failed;
}

/** Every file a visit may load after the first paint: the lazy chunks of both engines, markdown, workers. */
function builtAssets(): string[] {
  return readdirSync(resolve(APP_DIR, 'assets'))
    .filter((name) => /\.(?:js|css|wasm)$/.test(name))
    .map((name) => `assets/${name}`);
}

describe('installable app', () => {
  // Chromium never offers to install from an incognito profile, and every `browser.newContext()` is one: this
  // verdict needs a real (throwaway) profile, with the same "only local hosts resolve" guard as the other sessions.
  it('Chromium finds the app installable once its service worker controls the page', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'mc-pwa-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumExecutable(),
      args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
      headless: true,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(20_000);
      await openApp(page, appUrl);
      await serviceWorkerInControl(page);

      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');

      expect(manifest.errors).toEqual([]);
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});

describe('offline, and only for this origin', () => {
  const harness = useAppSessions({ serviceWorkers: 'allow' });

  it('after one visit, the app opens with the network off', async () => {
    const { page, context } = harness.session();
    await openApp(page, appUrl);
    await serviceWorkerInControl(page);

    await context.setOffline(true);
    const failed = recordFailedAppRequests(page);
    const response = await page.reload();

    expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    await messageBox(page).waitFor();
    await page.getByRole('button', { name: named('New chat') }).waitFor();
    expect(failed).toEqual([]);
  });

  it('an app route opened offline gets the app, not an error page', async () => {
    const { page, context } = harness.session();
    await openApp(page, appUrl);
    await serviceWorkerInControl(page);

    await context.setOffline(true);
    const response = await page.goto(new URL('conversation/some-id', appUrl).href);

    expect(response?.fromServiceWorker()).toBe(true);
    await messageBox(page).waitFor();
  });

  it('every chunk loaded later (engines, markdown, workers) is there offline, though the visit never used it', async () => {
    const { page, context } = harness.session();
    await openApp(page, appUrl);
    await serviceWorkerInControl(page);
    const assets = builtAssets();
    expect(assets.length).toBeGreaterThan(1);

    await context.setOffline(true);
    const failed = recordFailedAppRequests(page);
    const statuses = await page.evaluate(
      (paths) =>
        Promise.all(
          paths.map((path) =>
            fetch(path).then(
              (response) => `${path} ${response.status}`,
              () => `${path} unavailable`,
            ),
          ),
        ),
      assets,
    );

    expect(statuses).toEqual(assets.map((path) => `${path} 200`));
    expect(failed).toEqual([]);
  });

  it('requests to other origins (Hugging Face, model hosts, endpoints) bypass the service worker', async () => {
    const { page, context } = harness.session();
    await context.route('https://huggingface.co/**', (route) =>
      route.fulfill({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: '{}' }),
    );
    await openApp(page, appUrl);
    await serviceWorkerInControl(page);

    const [response] = await Promise.all([
      page.waitForResponse('https://huggingface.co/api/whoami-v2'),
      page.evaluate(() => fetch('https://huggingface.co/api/whoami-v2').then((reply) => reply.status)),
    ]);

    expect(response.status()).toBe(200);
    expect(response.fromServiceWorker(), 'answered by the network, not the service worker').toBe(false);
  });

  it('says "Offline" while the network is off, and stops once it is back', async () => {
    const { page, context } = harness.session();
    await openApp(page, appUrl);
    const indicator = page
      .getByText(named('Offline'))
      .or(page.getByRole('status', { name: named('Offline') }))
      .first();

    await context.setOffline(true);
    await indicator.waitFor();
    await context.setOffline(false);

    await indicator.waitFor({ state: 'hidden' });
  });

  it('a new version waits for the user: nothing reloads until "Reload", which switches to it', async () => {
    const { page } = harness.session();
    // A copy of the build whose worker can change under the open page, as a deploy would.
    const deployDir = await mkdtemp(join(tmpdir(), 'mc-pwa-deploy-'));
    await cp(APP_DIR, deployDir, { recursive: true });
    const server = await startStaticServer(deployDir);
    try {
      await openApp(page, server.url);
      await serviceWorkerInControl(page);
      await page.evaluate(() => Object.assign(window, { mcOpenedBeforeUpdate: true }));

      await appendFile(join(deployDir, 'sw.js'), '\n// the next version\n');
      // What the browser does on its own on the next navigation or the app's hourly check.
      await page.evaluate(() =>
        navigator.serviceWorker.getRegistration().then((registration) => registration?.update()),
      );

      const prompt = page.getByText(/a new version is available/i);
      await prompt.waitFor();
      expect(await page.evaluate(() => 'mcOpenedBeforeUpdate' in window), 'the page was not reloaded').toBe(true);
      expect(
        await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.waiting))),
      ).toBe(true);

      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: named('Reload') }).click()]);

      await messageBox(page).waitFor();
      expect(await page.evaluate(() => 'mcOpenedBeforeUpdate' in window), 'the page reloaded').toBe(false);
      expect(
        await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.waiting))),
      ).toBe(false);
    } finally {
      await server.close();
      await rm(deployDir, { recursive: true, force: true });
    }
  });
});
