// The documents pipeline's budgets (issue 14), in Chromium, through its real workers: a 2 MB text file split and
// indexed off the main thread (≤ 1 s, no main-thread task over 50 ms meanwhile), retrieval for a question (≤ 50 ms,
// the page's round trip to the worker included), and a 300-page PDF's text extracted (≤ 10 s, progress per page).
//
// The pipeline is not in the app's UI yet, so the page is bench/documents-page.html served by Vite's dev server
// (PDF.js and MiniSearch pre-bundled, the app's own modules as served in development), under the app's own
// Content-Security-Policy, copied from index.html: the workers must start and run with it (no 'unsafe-eval', Trusted
// Types for the worker URLs), or the rows are not measured. Each worker is started by a warm-up call first, so its
// one-time load is not charged to the measured file.
//
// `node bench/documents.mjs` runs it alone and prints the rows; `measureDocumentRows()` returns them for bench/run.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer, runnerImport } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const stderrLog = (message) => process.stderr.write(`${message}\n`);

/** The app's CSP meta element, as index.html has it. */
function appCspMeta() {
  const meta = readFileSync(join(ROOT, 'index.html'), 'utf8').match(
    /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/,
  );
  if (!meta) throw new Error('index.html has no Content-Security-Policy meta element');
  return meta[0];
}

/**
 * @param {{ browser?: import('playwright-core').Browser, log?: (message: string) => void }} [options]
 * @returns {Promise<import('./run.mjs').Row[]>}
 */
export async function measureDocumentRows({ browser: given, log = stderrLog } = {}) {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    worker: { format: 'es' },
    plugins: [
      {
        name: 'app-content-security-policy',
        transformIndexHtml: (html) => html.replace('<head>', `<head>\n${appCspMeta()}`),
      },
    ],
    optimizeDeps: {
      entries: ['bench/documents-page.html'],
      include: ['pdfjs-dist', 'pdfjs-dist/build/pdf.worker.mjs', 'minisearch'],
    },
  });
  let browser = given;
  try {
    await server.listen();
    const url = new URL('bench/documents-page.html', server.resolvedUrls?.local[0]).href;
    browser ??= await (await runnerImport(join(ROOT, 'tests', 'support', 'browser.ts'))).module.launchBrowser();
    const page = await browser.newPage();
    const violations = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
    });
    log('documents: 2 MB text indexed, retrieval, 300-page PDF…');
    await page.goto(url);
    await page.waitForFunction(() => 'runDocumentsBench' in window, null, { timeout: 60_000 });
    /** @type {import('./documents-page.ts').DocumentsBenchResult} */
    const result = await page.evaluate(() => window.runDocumentsBench());
    await page.close();
    if (violations.length > 0) throw new Error(`the page broke its CSP: ${violations.join(' | ')}`);
    return rows(result);
  } catch (error) {
    log(`documents: not measured (${error instanceof Error ? error.message : String(error)})`);
    return rows(null);
  } finally {
    if (!given) await browser?.close();
    await server.close();
  }
}

/** @param {import('./documents-page.ts').DocumentsBenchResult | null} result */
function rows(result) {
  if (!result) {
    const note = 'not measured (see the log)';
    return [
      {
        id: 'documents-index-2mb',
        metric: 'Documents: 2 MB text split and indexed (worker)',
        value: null,
        unit: 'ms',
        budget: 1000,
        note,
      },
      {
        id: 'documents-retrieve',
        metric: 'Documents: retrieval for a question',
        value: null,
        unit: 'ms',
        budget: 50,
        note,
      },
      {
        id: 'documents-pdf-300',
        metric: 'Documents: 300-page PDF text extracted (worker)',
        value: null,
        unit: 'ms',
        budget: 10000,
        note,
      },
    ];
  }
  const sorted = [...result.retrieveMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? null;
  const worst = sorted.at(-1) ?? null;
  return [
    {
      id: 'documents-index-2mb',
      metric: 'Documents: 2 MB text split and indexed (worker)',
      value: result.indexMs,
      unit: 'ms',
      budget: 1000,
      note: `${result.passages.toLocaleString('en')} passages; main-thread tasks > 50 ms meanwhile: ${result.longTasks.length}`,
      ...(result.longTasks.length > 0 ? { violation: `main-thread tasks of ${result.longTasks.join(', ')} ms` } : {}),
      detail: { longTasks: result.longTasks },
    },
    {
      id: 'documents-retrieve',
      metric: 'Documents: retrieval for a question (median)',
      value: median,
      unit: 'ms',
      budget: 50,
      note: `worst of ${sorted.length}: ${worst?.toFixed(1)} ms; needle passage ranked first: ${result.needleFound ? 'yes' : 'no'}`,
      ...(result.needleFound ? {} : { violation: 'the needle passage was not ranked first' }),
      detail: { retrieveMs: result.retrieveMs },
    },
    {
      id: 'documents-pdf-300',
      metric: 'Documents: 300-page PDF text extracted (worker)',
      value: result.pdfMs,
      unit: 'ms',
      budget: 10000,
      note: `${result.pdfPages} pages, ${result.pdfChars.toLocaleString('en')} characters, ${result.pdfProgressEvents} progress reports`,
      ...(result.pdfProgressEvents === result.pdfPages
        ? {}
        : { violation: 'progress was not reported for every page' }),
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await measureDocumentRows()) {
    const value = row.value === null ? 'n/a' : `${row.value.toFixed(1)} ${row.unit}`;
    console.log(`${row.metric}: ${value} (budget ${row.budget} ${row.unit})${row.note ? ` — ${row.note}` : ''}`);
  }
}
