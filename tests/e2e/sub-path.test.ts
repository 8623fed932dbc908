// The same dist/ the other files serve at the site root, served here under a sub-path, as a GitHub Pages project site
// is (/<repo>/): the app loads and never requests anything above its folder, its service worker is scoped to that
// folder, it is installable there, and it opens offline there. A request outside the folder would be a 404 on such a
// host (another site's files, at best), so the server records every one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPersistentProfile, type PersistentProfile } from '../support/browser.js';
import { useLocalSseServer } from '../support/e2e.js';
import {
  APP_DIR,
  builtAssets,
  fetchStatuses,
  recordFailedAppRequests,
  serviceWorkerInControl,
} from '../support/pwa.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { fillSettings, messageBox, named, openApp, replyFinished, sendMessage } from '../support/ui.js';

const BASE_PATH = '/projects/private-mistral-chat/';

let app: StaticServer;
const sse = useLocalSseServer({ tokens: ['Served', ' from', ' a', ' folder.'] });

beforeAll(async () => {
  app = await startStaticServer(APP_DIR, { basePath: BASE_PATH });
});
afterAll(async () => {
  await app.close();
});

/** A fresh Chromium profile with the app open under the sub-path and its service worker in control. */
async function openUnderSubPath(): Promise<PersistentProfile> {
  const profile = await launchPersistentProfile();
  try {
    await openApp(profile.page, app.url);
    await serviceWorkerInControl(profile.page);
    return profile;
  } catch (error) {
    await profile.close();
    throw error;
  }
}

describe('served under a sub-path', () => {
  it('loads, chats and installs its worker without one request outside the sub-path', async () => {
    const { page, context, close } = await openUnderSubPath();
    const requested: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    try {
      // Settings, the hosted engine's chunk and its fetch worker, and Markdown all load on first use.
      await fillSettings(page, { engine: 'Hugging Face API', endpointUrl: sse.url });
      await sendMessage(page, 'Where are you served from?');
      await replyFinished(page, 1);

      const appOrigin = new URL(app.url).origin;
      const fromApp = requested.filter((url) => url.startsWith(appOrigin));
      expect(fromApp.length).toBeGreaterThan(0);
      expect(fromApp.filter((url) => !url.startsWith(app.url))).toEqual([]);
      expect(app.outsideBase, 'paths requested above the sub-path, worker precache included').toEqual([]);
    } finally {
      await close();
    }
  });

  it('scopes its service worker to the sub-path', async () => {
    const { page, close } = await openUnderSubPath();
    try {
      const worker = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return { scope: registration?.scope, script: navigator.serviceWorker.controller?.scriptURL };
      });
      expect(worker).toEqual({ scope: app.url, script: new URL('sw.js', app.url).href });
    } finally {
      await close();
    }
  });

  it('is installable there, with the sub-path as its start URL and scope', async () => {
    const { page, context, close } = await openUnderSubPath();
    try {
      const cdp = await context.newCDPSession(page);
      const { url: manifestUrl, errors, data } = await cdp.send('Page.getAppManifest');
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(errors).toEqual([]);
      expect(installabilityErrors).toEqual([]);

      const manifest = JSON.parse(data ?? '{}') as { start_url: string; scope: string };
      expect(new URL(manifest.start_url, manifestUrl).href).toBe(app.url);
      expect(new URL(manifest.scope, manifestUrl).href).toBe(app.url);
    } finally {
      await close();
    }
  });

  it('opens offline there, with every chunk it may load later', async () => {
    const { page, context, close } = await openUnderSubPath();
    try {
      await context.setOffline(true);
      const failed = recordFailedAppRequests(page, app.url);
      const response = await page.reload();
      expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
      await messageBox(page).waitFor();
      await page.getByRole('button', { name: named('New chat') }).waitFor();

      const assets = builtAssets();
      const statuses = await fetchStatuses(page, assets);
      expect(statuses).toEqual(assets.map((path) => `${path} 200`));
      expect(failed).toEqual([]);
    } finally {
      await close();
    }
  });
});
