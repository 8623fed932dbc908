// Private by default, unless the device cannot: a fresh app in a browser without usable WebGPU starts on the Hugging
// Face API and says why in an alert. Headless Chromium on Linux without `--enable-unsafe-webgpu` is the real case of a
// browser with `navigator.gpu` but no adapter (a blocked GPU); a browser with no WebGPU at all is Chromium with
// `navigator.gpu` removed before the app starts.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppSessions } from '../support/e2e.js';
import { offOrigin } from '../support/fake-model-host.js';
import { PUBLIC_MODEL_LISTS } from '../support/smoke/driver.js';
import { alerts, named, openApp, openSettings } from '../support/ui.js';

const harness = useAppSessions({ webgpu: false });

async function engineChecked(page: Page, name: string): Promise<boolean> {
  const dialog = await openSettings(page);
  return dialog.getByRole('radio', { name: named(name) }).isChecked();
}

describe('a browser that cannot run the model', () => {
  it('without WebGPU starts on the Hugging Face API and says this browser has no WebGPU', async () => {
    const { page, requests } = harness.session();
    await page.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
    await openApp(page, harness.appUrl);

    const alert = alerts(page).filter({ hasText: /This browser has no WebGPU,/ });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /The engine is now set to Hugging Face API: add your token in Settings to chat\./,
    );
    // The switch is not the user's: nothing leaves the device before Settings opens.
    expect(offOrigin(requests, harness.appUrl)).toEqual([]);
    expect(await engineChecked(page, 'Hugging Face API')).toBe(true);
    // Settings on the hosted engine looks up the public model list, and nothing else.
    const afterSettings = offOrigin(requests, harness.appUrl);
    expect(afterSettings.filter((url) => !PUBLIC_MODEL_LISTS.some((list) => url.startsWith(list)))).toEqual([]);
  });

  it('with WebGPU but no GPU adapter starts on the Hugging Face API and says what is missing', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    expect(await page.evaluate(async () => navigator.gpu.requestAdapter())).toBeNull();

    const alert = alerts(page).filter({ hasText: /WebGPU is present but offers no GPU/ });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /The engine is now set to Hugging Face API: add your token in Settings to chat\./,
    );
    expect(await engineChecked(page, 'Hugging Face API')).toBe(true);
  });
});
