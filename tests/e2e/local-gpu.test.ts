// Choosing the model from what this device's WebGPU really offers. The harness's Chromium runs WebGPU on SwiftShader
// (`--enable-unsafe-webgpu` on an http://127.0.0.1 page): a software adapter without 16-bit float shaders, which is
// what the app's probe, in the page, has to recognise.
import { describe, expect, it } from 'vitest';
import { useAppSessions } from '../support/e2e.js';
import { FAKE_MODEL_ID, offOrigin } from '../support/fake-model-host.js';
import { localModelPanel, named, openApp, openSettings } from '../support/ui.js';

const harness = useAppSessions();

describe('the model this device can run', () => {
  it('is the q4f32_1 build on a GPU without shader-f16, with a warning that a software GPU is too slow', async () => {
    const { page, requests } = harness.session();
    await openApp(page, harness.appUrl);
    // The engine line, once the probe has run (the open dialog will hide it from the accessibility tree).
    await page
      .getByRole('status')
      .filter({ hasText: /This device · Mistral 7B .*software GPU — very slow/ })
      .waitFor();

    const dialog = await openSettings(page);
    const panel = localModelPanel(dialog);
    expect(await dialog.getByRole('radio', { name: named('This device') }).isChecked()).toBe(true);
    await expect.poll(() => panel.model.inputValue(), { timeout: 20_000 }).toBe(FAKE_MODEL_ID);

    const f16 = panel.model.getByRole('option', { name: /^Mistral 7B Instruct v0\.3 · q4f16_1/ });
    expect(await f16.isDisabled()).toBe(true);
    expect(await f16.textContent()).toMatch(/unavailable: This GPU lacks 16-bit float shaders \(shader-f16\)/);
    expect(await panel.model.getByRole('option', { name: /^Mistral 7B Instruct v0\.3 · q4f32_1/ }).isDisabled()).toBe(
      false,
    );

    const warning = dialog.getByText(/software renderer/);
    expect(await warning.textContent()).toMatch(/far too slow to use\. The Hugging Face API is recommended\./);
    expect(offOrigin(requests, harness.appUrl)).toEqual([]);
  });
});
