// The app in WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver, on a private Xvfb display): the cross-engine
// smoke tests of tests/support/smoke/scenarios.ts. WebKitGTK ships without WebGPU, so the app must say so and offer
// the hosted engine.
import { engineExecutables } from '../support/smoke/engines.js';
import { describeSmokeTests } from '../support/smoke/scenarios.js';
import { launchWebKit } from '../support/smoke/webkit.js';

describeSmokeTests({
  launch: () => launchWebKit(engineExecutables()),
  features: {
    webgpu: false,
    trustedTypes: true,
    webLocks: true,
    broadcastChannel: true,
    opfs: false,
    serviceWorker: true,
  },
  webgpuNotice: /This browser has no WebGPU/,
});
