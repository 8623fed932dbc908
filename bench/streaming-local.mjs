// The local path's shape (issue 15): main-thread time per token while a model worker streams the Markdown-heavy reply
// at 200 tokens/s through the real worker protocol (src/engines/webllm/worker-protocol.ts) to <mc-markdown>, shown
// once per animation frame. No GPU is needed: the worker's engine is a fake (fake-engine-worker.ts) on the bench-only
// page local-stream-page.html, served by Vite's dev server with production builds of the packages (Lit's
// development build checks far more, and would be charged to the page).
//
// The rows sit beside the hosted stream's (`md-ms-per-token-*`); they have no budget of their own in issue 15.
// `node bench/streaming-local.mjs` runs it alone; `measureLocalStreaming()` returns the rows for bench/run.mjs.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer, runnerImport } from 'vite';
import { mainThreadMs, saveProfile, startProfile } from './profile.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = [1_000, 8_000];
/** Each size is streamed this many times and its row is the median (as the hosted streams' rows, see streaming.mjs). */
const RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 3);
const stderrLog = (message) => process.stderr.write(`${message}\n`);

const ROWS = {
  small: {
    id: 'local-ms-per-token-1k',
    metric: 'Local path (fake model worker, 200 tokens/s): main-thread time per token, 1,000 tokens',
  },
  large: {
    id: 'local-ms-per-token-8k',
    metric: 'Local path (fake model worker, 200 tokens/s): main-thread time per token, 8,000 tokens',
  },
};

/**
 * @param {{ browser?: import('playwright-core').Browser, log?: (message: string) => void }} [options]
 * @returns {Promise<import('./report.mjs').Row[]>}
 */
export async function measureLocalStreaming({ browser: given, log = stderrLog } = {}) {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    mode: 'production',
    resolve: { conditions: ['module', 'browser', 'production'] },
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    worker: { format: 'es' },
    optimizeDeps: { entries: ['bench/local-stream-page.html'] },
  });
  let browser = given;
  try {
    await server.listen();
    const url = new URL('bench/local-stream-page.html', server.resolvedUrls?.local[0]).href;
    browser ??= await (await runnerImport(join(ROOT, 'tests', 'support', 'browser.ts'))).module.launchBrowser();
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'runLocalStream' in window, null, { timeout: 60_000 });
    // The worker's first start and the modules' first run are not the measured reply's.
    await page.evaluate(() => window.runLocalStream(100));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const perToken = [];
    for (const tokens of SIZES) {
      const runs = [];
      for (let run = 1; run <= RUNS; run++) {
        log(`Local path: ${tokens.toLocaleString('en')} tokens at 200 tokens/s (run ${run} of ${RUNS})…`);
        const profiling = process.env.BENCH_PROFILE ? await startProfile(cdp) : false;
        const before = await mainThreadMs(cdp);
        await page.evaluate((count) => window.runLocalStream(count), tokens);
        const after = await mainThreadMs(cdp);
        if (profiling) await saveProfile(cdp, `streaming-local-${tokens}`);
        const part = (name) => ((after[name] - before[name]) / tokens).toFixed(3);
        const busy = after.task - before.task;
        runs.push(busy / tokens);
        log(
          `  busy ${busy.toFixed(0)} ms, ${(busy / tokens).toFixed(3)} ms/token ` +
            `(script ${part('script')}, layout ${part('layout')}, style ${part('style')})`,
        );
      }
      perToken.push(runs);
    }
    await page.close();
    return [ROWS.small, ROWS.large].map((row, index) => {
      const runs = perToken[index];
      const median = [...runs].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)];
      const note = `median of ${runs.length} runs (${runs.map((value) => value.toFixed(3)).join(', ')})`;
      return { ...row, value: median, unit: 'ms/token', budget: null, note, detail: { msPerTokenRuns: runs } };
    });
  } catch (error) {
    const note = `not measured (${error instanceof Error ? error.message : String(error)})`;
    log(`Local path: ${note}`);
    return [
      { ...ROWS.small, value: null, unit: 'ms/token', budget: null, note },
      { ...ROWS.large, value: null, unit: 'ms/token', budget: null, note },
    ];
  } finally {
    if (!given) await browser?.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await measureLocalStreaming())
    process.stdout.write(`${row.id}: ${row.value?.toFixed(3)} ${row.unit}\n`);
}
