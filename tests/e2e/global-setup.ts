// Serves the built app once for the whole e2e run; tests read its URL with `inject('appUrl')`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from '../support/static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built app, e.g. `http://127.0.0.1:41234/`. */
    appUrl: string;
  }
}

// E2E_APP_DIR serves another build (e.g. a stand-in page that checks the harness itself); normally dist/.
const APP_DIR = resolve(process.env['E2E_APP_DIR'] ?? fileURLToPath(new URL('../../dist/', import.meta.url)));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(APP_DIR, 'index.html'))) {
    throw new Error(
      `The e2e tests drive the built app, but ${join(APP_DIR, 'index.html')} is missing: run \`npm run build\` first.`,
    );
  }
  const server = await startStaticServer(APP_DIR);
  project.provide('appUrl', server.url);
  return () => server.close();
}
