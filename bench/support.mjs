// What every bench module shares: where the app and the results are, progress logging, and the test support modules
// (static server, SSE server, browser, UI helpers) loaded through Vite so their TypeScript runs as it does in tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
// BENCH_APP_DIR measures another build (e.g. a stand-in page that checks the bench itself); normally dist/.
export const DIST = process.env.BENCH_APP_DIR ?? join(ROOT, 'dist');
export const RESULTS = join(ROOT, 'bench', 'results');
export const KB = 1024;

export const log = (message) => process.stderr.write(`${message}\n`);

export async function loadTestSupport() {
  const load = async (path) => (await runnerImport(join(ROOT, 'tests', 'support', path))).module;
  return {
    ...(await load('static-server.ts')),
    ...(await load('sse-server.ts')),
    ...(await load('browser.ts')),
    ...(await load('ui.ts')),
  };
}

/** The reason a failed measurement gives in its rows, after logging the whole error. */
export function failureReason(what, error) {
  log(`${what} benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}
