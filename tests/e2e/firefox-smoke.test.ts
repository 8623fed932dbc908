// The app in Firefox (Debian's firefox-esr, WebDriver BiDi): the cross-engine smoke tests of
// tests/support/smoke/scenarios.ts. Firefox on Linux has no WebGPU, so the app must say so and offer the hosted engine.
import { engineExecutables } from '../support/smoke/engines.js';
import { launchFirefox, type FirefoxEngine } from '../support/smoke/firefox.js';
import { describeSmokeTests } from '../support/smoke/scenarios.js';

let firefox: FirefoxEngine | undefined;

describeSmokeTests({
  launch: async () => (firefox = await launchFirefox(engineExecutables().firefox)),
  features: {
    webgpu: false,
    trustedTypes: true,
    webLocks: true,
    broadcastChannel: true,
    opfs: true,
    serviceWorker: true,
  },
  webgpuNotice: /This browser has no WebGPU/,
  requestedUrls: () => firefox?.requestedUrls ?? [],
});
