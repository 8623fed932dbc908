// Lighthouse scores of the built app, for the bench: performance, accessibility and best practices, each a row with
// its budget (a minimum: the score must reach it). Runs the installed `lighthouse` (12.x, Node API) against the
// system Chromium, launched by chrome-launcher with the project's flags (scripts/find-chromium.mjs) plus headless.
//
// Preset: Lighthouse's desktop preset by default (1350×940 screen, no CPU slowdown, 40 ms RTT / 10 Mbps, simulated).
// `preset: 'mobile'` gives its default mobile run (Moto G Power screen, 4× CPU slowdown, slow 4G), much harsher.
//
// On its own, it builds nothing: `npm run build && node bench/lighthouse.mjs [appUrl] [--mobile]` serves dist/ on a
// local port when no URL is given and prints the rows as JSON.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { runnerImport } from 'vite';
import { CHROMIUM_FLAGS, MISSING_CHROMIUM_MESSAGE, findChromium } from '../scripts/find-chromium.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lighthouse category id → the minimum score (0–100) it must reach. */
export const LIGHTHOUSE_BUDGETS = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
};

/**
 * @typedef {object} LighthouseRow
 * @property {string} id stable key, e.g. "lighthouse-performance"
 * @property {string} metric
 * @property {number | null} value the score, 0–100; null when Lighthouse could not score the category
 * @property {'score'} unit
 * @property {number} budget the minimum score
 * @property {boolean} ok the score reaches the budget
 * @property {string} [note] the audits that cost points, or why there is no score
 * @property {unknown} [detail] the metric values behind the performance score (ms, CLS)
 */

/**
 * Runs Lighthouse once against `appUrl` and returns one row per category.
 *
 * @param {{ appUrl: string, chromePath?: string, preset?: 'desktop' | 'mobile' }} options
 * @returns {Promise<LighthouseRow[]>}
 */
export async function measureLighthouse({ appUrl, chromePath = findChromium(), preset = 'desktop' }) {
  if (!chromePath) throw new Error(MISSING_CHROMIUM_MESSAGE);
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: [...CHROMIUM_FLAGS, '--headless=new'] });
  try {
    const result = await lighthouse(
      appUrl,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: Object.keys(LIGHTHOUSE_BUDGETS),
      },
      preset === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error('Lighthouse returned no result.');
    return rowsFrom(result.lhr, preset);
  } finally {
    chrome.kill();
  }
}

/** @param {import('lighthouse').Result} lhr @param {string} preset @returns {LighthouseRow[]} */
function rowsFrom(lhr, preset) {
  return Object.entries(LIGHTHOUSE_BUDGETS).map(([id, budget]) => {
    const category = lhr.categories[id];
    const value = category?.score === null || category?.score === undefined ? null : Math.round(category.score * 100);
    const lost = (category?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => ref.id);
    return {
      id: `lighthouse-${id}`,
      metric: `Lighthouse ${category?.title ?? id} (${preset})`,
      value,
      unit: 'score',
      budget,
      ok: value !== null && value >= budget,
      ...(value === null
        ? { note: lhr.runtimeError?.message ?? 'not scored' }
        : lost.length > 0
          ? { note: `points lost: ${lost.join(', ')}` }
          : {}),
      ...(id === 'performance' ? { detail: performanceMetrics(lhr) } : {}),
    };
  });
}

/** The measured values behind the performance score. */
function performanceMetrics(lhr) {
  const ids = [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'speed-index',
  ];
  return Object.fromEntries(ids.map((id) => [id, lhr.audits[id]?.numericValue ?? null]));
}

async function main() {
  const preset = process.argv.includes('--mobile') ? 'mobile' : 'desktop';
  let appUrl = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  let server;
  if (!appUrl) {
    const { module } = await runnerImport(join(ROOT, 'tests', 'support', 'static-server.ts'));
    server = await module.startStaticServer(join(ROOT, 'dist'));
    appUrl = server.url;
  }
  try {
    console.log(JSON.stringify(await measureLighthouse({ appUrl, preset }), null, 2));
  } finally {
    await server?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
