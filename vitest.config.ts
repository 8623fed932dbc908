import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
// @ts-expect-error -- a plain ESM script shared with the e2e harness; it has no type declarations.
import { findChromium, CHROMIUM_FLAGS } from './scripts/find-chromium.mjs';
import { webllmModelList } from './scripts/vite-plugin-webllm-models.js';

const chromiumPath: string | undefined = findChromium();

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [webllmModelList()],
        optimizeDeps: {
          // Pre-bundled up front, so the first run does not reload mid-test when it discovers them.
          include: ['lit', 'lit/decorators.js', 'lit/directives/repeat.js', 'idb', 'axe-core', 'dompurify', 'marked'],
        },
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: CHROMIUM_FLAGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
