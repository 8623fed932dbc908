// The built app as an installable, offline-capable web app: Chromium's own installability verdict, the app opening
// and loading its lazy chunks with the network off after one visit, the "Offline" indicator, and a new version that
// waits for the user's "Reload". Unlike the other e2e files, these sessions let the service worker run.
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { launchPersistentProfile } from '../support/browser.js';
import {
  APP_DIR,
  builtAssets,
  fetchStatuses,
  recordFailedAppRequests,
  serviceWorkerInControl,
} from '../support/pwa.js';
import { useAppSessions } from '../support/e2e.js';
import { startStaticServer } from '../support/static-server.js';
import { messageBox, named, openApp } from '../support/ui.js';

const appUrl = inject('appUrl');

describe('installable app', () => {
  it('Chromium finds the app installable once its service worker controls the page', async () => {
    const { context, page, close } = await launchPersistentProfile();
    try {
      await openApp(page, appUrl);
      await serviceWorkerInControl(page);

      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');

      expect(manifest.errors).toEqual([]);
      expect(installabilityErrors).toEqual([]);
    } finally {
      await close();
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
    const failed = recordFailedAppRequests(page, appUrl);
    const response = await page.reload();

    expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    await messageBox(page).waitFor();
    await page.getByRole('button', { name: named('New chat') }).waitFor();
    expect(failed).toEqual([]);
  });

  it('the app opened offline with a query string (a shared link, an install source) gets the app', async () => {
    const { page, context } = harness.session();
    await openApp(page, appUrl);
    await serviceWorkerInControl(page);

    await context.setOffline(true);
    const response = await page.goto(new URL('?source=homescreen&ref=shared', appUrl).href);

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
    const failed = recordFailedAppRequests(page, appUrl);
    const statuses = await fetchStatuses(page, assets);

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
