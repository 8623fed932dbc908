// Hosted failures a user meets: each ends in one alert that says what to do, after a bounded number of requests.
// The error bodies deliberately avoid the words the alerts must use, so an app that only echoes the server fails.
import { describe, expect, it } from 'vitest';
import { errorReply, interceptHuggingFaceRouter } from '../support/browser.js';
import { HF_ROUTER, openAppOnEndpoint, useAppSessions } from '../support/e2e.js';
import { alerts, fillSettings, openApp, sendMessage } from '../support/ui.js';

const harness = useAppSessions();
const MAX_REQUESTS = 4;

describe('hosted errors', () => {
  it('a rejected token (401) ends in an alert about the token', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => errorReply(401, 'Invalid credentials in header'));
    await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);

    await sendMessage(page, 'Hello');

    await alerts(page).filter({ hasText: /token/i }).first().waitFor();
    expect(router.length).toBeGreaterThanOrEqual(1);
    expect(router.length).toBeLessThanOrEqual(MAX_REQUESTS);
  });

  it('a rate limit (429) ends in an alert that says to wait and try again', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => errorReply(429, 'Too Many Requests'));
    await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);

    await sendMessage(page, 'Hello');

    await alerts(page)
      .filter({ hasText: /rate.?limit|try again/i })
      .first()
      .waitFor();
    expect(router.length).toBeGreaterThanOrEqual(1);
    expect(router.length).toBeLessThanOrEqual(MAX_REQUESTS);
  });

  it('a model that stays unavailable (503) shows a retry notice, then an alert, after a bounded number of tries', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => errorReply(503, 'Service Unavailable'));
    await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);

    await sendMessage(page, 'Hello');

    // The notice sits in a polite live region of its own (no status nested in it): found by its text.
    await page
      .getByText(/retrying in \d+ s/i)
      .first()
      .waitFor();
    await alerts(page)
      .filter({ hasNotText: /retrying/i })
      .first()
      .waitFor({ timeout: 45_000 });
    expect(router.length).toBeGreaterThanOrEqual(2);
    expect(router.length).toBeLessThanOrEqual(MAX_REQUESTS);
  });

  it('a missing token is reported before anything is sent', async () => {
    const { page, context } = harness.session();
    const router = await interceptHuggingFaceRouter(context, () => errorReply(500, 'should never be asked'));
    await openApp(page, harness.appUrl);
    await fillSettings(page, { engine: 'Hugging Face API', hfToken: '', endpointUrl: HF_ROUTER });

    await sendMessage(page, 'Hello');

    await alerts(page).filter({ hasText: /token/i }).first().waitFor();
    expect(router).toHaveLength(0);
  });
});

describe('code that cannot load', () => {
  it('Settings, its chunk unreachable (offline before it was cached), is an alert that says what to do', async () => {
    const { page } = harness.session();
    await page.route('**/assets/mc-settings-dialog-*.js', (route) => route.abort('internetdisconnected'));
    await openApp(page, harness.appUrl);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();

    await alerts(page).filter({ hasText: 'Settings could not be loaded' }).first().waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});
