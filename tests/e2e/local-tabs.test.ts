// One tab at a time on the GPU: a second tab of the app finds the model in use and can take it over with "Use here".
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { useAppSessions } from '../support/e2e.js';
import { FakeModelHost, STUB_LOAD_FAILED } from '../support/fake-model-host.js';
import { localModelPanel, openApp, openSettings } from '../support/ui.js';

const harness = useAppSessions();

const IN_USE = /^The model is in use in another tab\.$/;

async function localPanelOf(page: Page) {
  await openApp(page, harness.appUrl);
  const panel = localModelPanel(await openSettings(page));
  await panel.status.filter({ hasText: /not downloaded yet/ }).waitFor();
  return panel;
}

describe('two tabs of the app', () => {
  it('the second finds the model in use, and Use here moves it there', async () => {
    const { page, context } = harness.session();
    const host = await FakeModelHost.create();
    await host.install(context);
    // Keeps the first tab's download (and with it the GPU) busy for as long as the test needs.
    const held = host.hold(host.urls.shards[1]!);
    try {
      const first = await localPanelOf(page);
      await first.download.click();
      await first.startDownload.click();
      await held.arrived;
      await first.progress.waitFor();

      const second = await localPanelOf(await context.newPage());
      await second.download.click();
      await second.startDownload.click();
      await second.status.filter({ hasText: IN_USE }).waitFor();
      await first.progress.waitFor();

      await second.useHere.click();
      await first.status.filter({ hasText: IN_USE }).waitFor();
      await first.useHere.waitFor();
      await second.progress.waitFor();

      held.release();
      await second.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();
      await first.status.filter({ hasText: IN_USE }).waitFor();
    } finally {
      held.release();
    }
  });
});
