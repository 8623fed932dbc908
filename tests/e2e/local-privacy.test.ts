// The promise of the local engine: once the model is on this device, using it sends nothing anywhere.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writePdf } from '../fixtures/attachments/pdf-writer.js';
import { useAppSessions } from '../support/e2e.js';
import { FakeModelHost, offOrigin, STUB_LOAD_FAILED } from '../support/fake-model-host.js';
import {
  alerts,
  closeSettings,
  localModelPanel,
  openApp,
  openSettings,
  reloadApp,
  sendMessage,
  userMessages,
} from '../support/ui.js';
import { attachFiles, filesOn, filesRead, textFile } from './attachments-support.js';

const harness = useAppSessions();

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('privacy of the local engine', () => {
  // The boundary of this proof. No real model can run here (no GPU, no weights), so WebLLM's load ends where the
  // fake model library fails: after it has read the chat config, the library, the tokenizer and every weight shard
  // from Cache Storage, when it first calls into the library to build the chat pipeline. Up to that point, which is
  // everything the app itself does before text would be generated, the test records every request of the browser
  // context (pages and the model worker, before any route or DNS) and expects none to leave the app's origin.
  // Generating a reply is WebLLM's WebGPU compute on that worker and is not covered. Same-origin requests (the app's
  // own scripts, the worker) are allowed here because these sessions block the service worker, which serves them from
  // its precache in real use (pwa.test.ts).
  it('in local mode, nothing leaves the device', async () => {
    const { page, context, requests } = harness.session();
    const host = await FakeModelHost.create();
    await host.install(context);

    // The app shell with the model not yet downloaded: startup, Settings, and a message that cannot be answered.
    await openApp(page, harness.appUrl);
    let panel = localModelPanel(await openSettings(page));
    await panel.status.filter({ hasText: /not downloaded yet/ }).waitFor();
    await closeSettings(page);
    await sendMessage(page, 'Is anyone listening?');
    const notOnDevice = alerts(page).filter({ hasText: /The model is not on this device yet/ });
    await notOnDevice.waitFor();
    expect(await textOf(notOnDevice)).toMatch(/Open Settings and choose Download model .*Hugging Face API/);
    expect(offOrigin(requests, harness.appUrl)).toEqual([]);

    // The one time the model hosts hear from the app: the download the user agreed to.
    panel = localModelPanel(await openSettings(page));
    await panel.download.click();
    await panel.startDownload.click();
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();
    expect(offOrigin(requests, harness.appUrl)).toEqual(host.requested);
    const downloaded = host.requested.length;

    // The model on disk, in a new visit: loading it from Settings, and sending a message with files, which loads it
    // too.
    const sinceReload = requests.length;
    await reloadApp(page);
    const dialog = await openSettings(page);
    panel = localModelPanel(dialog);
    await panel.status.filter({ hasText: /is on this device, ready offline\./ }).waitFor();
    await dialog.getByText('Ready offline', { exact: true }).waitFor();
    await panel.download.click();
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();
    await closeSettings(page);
    // Files attached and sent with it: read, split, indexed and stored in the app's own workers, and said to stay.
    await page.getByText('Files stay on this device.').waitFor();
    await attachFiles(page, textFile('diary.txt', 'Dear diary, today nothing left this laptop.'), {
      name: 'minutes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(writePdf({ pages: [['Board minutes', 'The vote was unanimous.']] })),
    });
    await filesRead(page, 2);
    await sendMessage(page, 'Still only here?');
    await alerts(page).filter({ hasText: STUB_LOAD_FAILED }).waitFor();
    await expect
      .poll(() => filesOn(userMessages(page).last()))
      .toEqual([expect.stringContaining('diary.txt'), expect.stringContaining('minutes.pdf')]);

    expect(offOrigin(requests.slice(sinceReload), harness.appUrl)).toEqual([]);
    expect(host.requested).toHaveLength(downloaded);
  });
});
