// "Download model" on this device: nothing is fetched before the user consents, then WebLLM's real load path runs in
// the app's worker against a fake Hugging Face and a fake model library (see fake-model-host.ts): the files in
// WebLLM's order, the progress bar with its phase, a dropped connection retried and resumed, a download that keeps
// failing, Cancel and resume. Each load ends where the fake library does, in a message offering the Hugging Face API.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSessions } from '../support/e2e.js';
import { FakeModelHost, offOrigin, STUB_LOAD_FAILED, type FakeModelHostOptions } from '../support/fake-model-host.js';
import { localModelPanel, openApp, openSettings } from '../support/ui.js';

const harness = useAppSessions();

const WAIT_FOR_RETRIES_MS = 45_000;
const DOWNLOAD_FAILED = new RegExp(
  '^The model download failed because the network connection dropped\\. ' +
    'Try again: the parts already downloaded are kept\\.$',
);

async function setUp(options: FakeModelHostOptions = {}) {
  const { page, context } = harness.session();
  const host = await FakeModelHost.create(options);
  await host.install(context);
  await openApp(page, harness.appUrl);
  const dialog = await openSettings(page);
  const panel = localModelPanel(dialog);
  await panel.status.filter({ hasText: /not downloaded yet/i }).waitFor();
  return { page, host, dialog, panel };
}

async function startDownload(panel: ReturnType<typeof localModelPanel>): Promise<void> {
  await panel.download.click();
  await panel.startDownload.click();
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('downloading the model on this device', () => {
  it('fetches nothing from a model host until Start download, then fetches WebLLM’s files in order', async () => {
    const { requests } = harness.session();
    const { host, dialog, panel } = await setUp();

    await panel.download.click();
    const consent = dialog.getByRole('group', { name: /^Download Mistral 7B/i });
    await consent.waitFor();
    const consentText = await textOf(consent);
    expect(consentText).toMatch(/Download size about [\d.]+ GB/);
    expect(consentText).toMatch(/Free space for this site [\d.]+ [GMT]B/);
    // Opening the app and Settings, the GPU probe, the model list, the disk check and the consent step itself.
    expect(offOrigin(requests, harness.appUrl)).toEqual([]);

    await panel.startDownload.click();
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();

    const { urls } = host;
    expect(host.requested.slice(0, 4)).toEqual([urls.config, urls.library, urls.tokenizer, urls.index]);
    expect(host.requested.slice(4).sort()).toEqual([...urls.shards].sort());
    expect(host.unknown).toEqual([]);
    // Everything that left the page went to the model hosts, once per file.
    expect(offOrigin(requests, harness.appUrl)).toEqual(host.requested);
  });

  it('shows the download phase; after Cancel, a new download fetches only the shards it lacks', async () => {
    const { host, panel } = await setUp();
    const { shards } = host.urls;
    // WebLLM downloads in four loops of two shards: hold the second of each, so exactly half arrives.
    const held = [shards[1]!, shards[3]!, shards[5]!, shards[7]!].map((url) => host.hold(url));

    await startDownload(panel);
    await Promise.all(held.map((hold) => hold.arrived));
    await expect
      .poll(() => panel.progress.getAttribute('aria-valuetext'), { timeout: 20_000 })
      .toMatch(/^Downloading the model: 1 of 2 MB \(50 %\)/);
    expect(await textOf(panel.status)).toMatch(/^Downloading Mistral 7B Instruct v0\.3 · q4f32_1…$/);

    await panel.cancel.click();
    await panel.status.filter({ hasText: /Download cancelled\. The parts already downloaded are kept/ }).waitFor();
    await panel.progress.waitFor({ state: 'detached' });
    for (const hold of held) hold.release();

    await startDownload(panel);
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();

    const { config, library, tokenizer, index } = host.urls;
    for (const url of [config, library, tokenizer, index]) expect(host.count(url), url).toBe(1);
    shards.forEach((url, shard) => expect(host.count(url), url).toBe(shard % 2 === 0 ? 1 : 2));
  });

  it('retries a shard cut off by the network, resuming where the download stopped', async () => {
    const { host, panel } = await setUp();
    const dropped = host.urls.shards[0]!;
    host.failRequests(dropped, 1);

    await startDownload(panel);
    await panel.status
      .filter({ hasText: /download was interrupted; resuming where it stopped\. Retry 1 of 3/ })
      .waitFor();
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();

    expect(host.count(dropped)).toBe(2);
    const { config, library, tokenizer, index } = host.urls;
    for (const url of [config, library, tokenizer, index]) expect(host.count(url), url).toBe(1);
  });

  it('ends a download that keeps failing in a message that says so and what to do', async () => {
    const { host, panel } = await setUp();
    const dropped = host.urls.shards[0]!;
    host.failRequests(dropped);

    await startDownload(panel);
    await panel.status.filter({ hasText: DOWNLOAD_FAILED }).waitFor({ timeout: WAIT_FOR_RETRIES_MS });

    // The first try and three retries, each resuming from the cache: the files before the shards come once.
    expect(host.count(dropped)).toBe(4);
    expect(host.count(host.urls.config)).toBe(1);
    await panel.download.waitFor();
  });

  it('reports a model library that is not WebAssembly before any weight, and fetches it again next time', async () => {
    const { host, panel } = await setUp({ library: 'not-wasm' });
    const { config, library, tokenizer, index, shards } = host.urls;

    await startDownload(panel);
    await panel.status
      .filter({
        hasText: /^The model's program could not be loaded or started in this browser\. .*Hugging Face API\.$/,
      })
      .waitFor();
    expect(host.requested).toEqual([config, library]);

    // WebLLM would read the broken file back from its cache on every later try; the app drops it.
    host.serveLibrary('stub-runtime');
    await startDownload(panel);
    await panel.status.filter({ hasText: STUB_LOAD_FAILED }).waitFor();
    expect(host.count(library)).toBe(2);
    expect(host.count(config)).toBe(1);
    for (const url of [tokenizer, index, ...shards]) expect(host.count(url), url).toBe(1);
  });
});
