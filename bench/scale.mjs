// The app at scale, through its real UI: 1,000 conversations of 100 messages and one of 5,000 (105,000 messages)
// are written into the built app's own IndexedDB database, the page is reloaded, and then, as a user would:
//   - the conversation list: from the app's start (its root element defined, i.e. the bundle loaded and run) until
//     the first conversations are on screen (it shows the newest hundred; more as the reader scrolls), and from
//     navigation start (the page and bundle load alone take ~70-120 ms on a 2-core machine, so that one has no
//     budget);
//   - the long conversation: from the click on its title until its last message is on the page;
//   - the JS heap once it is open (after a forced GC): reported, no budget;
//   - the search index the app builds once it is idle after start, in its worker: from starting it (the worker
//     included) until it can answer, as the app records it (the `mc-search-index-built` performance measure), the
//     median of BUILD_RUNS page loads; and the longest main-thread task meanwhile, from the Long Tasks API (which
//     reports every task of 50 ms or more; none means every task was shorter). The longest gap between ticks of a
//     0 ms timer is in the row's detail: it also counts time the OS gave other processes on a busy machine;
//   - search: from the input event of a whole query (as a paste) until the highlighted results are on the page,
//     after one warm-up query.
// Timings are taken in the page (performance.now, checked once per animation frame), so Playwright's own round trips
// are not counted. The probes look through the app's shadow roots by tag name (mc-chat-app, mc-conversation-list,
// mc-transcript) so that checking once per frame costs next to nothing next to what is measured.
//
// `node bench/scale.mjs` runs it alone against BENCH_APP_DIR (default dist/); bench/run.mjs includes its rows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runnerImport } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DB_NAME = 'mistral-chat';
// The app's first-screen snapshot (src/storage/first-screen-snapshot.ts, SNAPSHOT_KEY) in localStorage.
const SNAPSHOT_KEY = 'mc-first-screen';
/** Records per page.evaluate: ~5 MB of JSON, so no one message to the page is huge. */
const SEED_BATCH = 10_000;
const RARE_QUERY = 'quokka';
/** Typed without its accent, to find "Pâtisserie". */
const ACCENT_QUERY = 'patisserie';
const MB = 1024 * 1024;
/** Each timing is the median of this many runs. */
const RUNS = 5;
/** Page loads whose search index builds are timed (each reads every message again). */
const BUILD_RUNS = 3;
/** What the app records when its search index is ready (SEARCH_INDEX_BUILT_MEASURE in src/storage/idb-search.ts). */
const SEARCH_INDEX_MEASURE = 'mc-search-index-built';
/** Where the search worker stores a copy of its index (SEARCH_COPY_STORE in src/storage/search-copy.ts). */
const SEARCH_COPY_STORE = 'search-index';

/**
 * @typedef {object} ScaleRow
 * @property {string} id
 * @property {string} metric
 * @property {number | null} value
 * @property {string} unit
 * @property {number | null} budget
 * @property {boolean | null} ok value ≤ budget; null when there is no budget or nothing was measured
 * @property {string} [note]
 * @property {string} [display] the value as shown in the table
 * @property {unknown} [detail]
 */

/**
 * @param {{ browser: import('playwright-core').Browser, appUrl: string, log?: (message: string) => void }} options
 * @returns {Promise<ScaleRow[]>}
 */
export async function measureScale({ browser, appUrl, log = (message) => process.stderr.write(`${message}\n`) }) {
  const support = await loadSupport();
  const session = await support.newAppSession(browser);
  const { page, context } = session;
  page.setDefaultTimeout(120_000);
  try {
    await support.openApp(page, appUrl);
    const seeded = support.generateLargeDatabase(support.LARGE_DATABASE);
    log(
      `Seeding ${seeded.conversations.length.toLocaleString('en')} conversations, ${seeded.messageCount.toLocaleString('en')} messages…`,
    );
    await seed(page, seeded);

    const long = seeded.conversations.find((conversation) => conversation.id === seeded.longConversationId);
    // A short conversation next to it at the top of the list (newest first): the list shows its first hundred.
    const other = seeded.conversations.at(-2);
    if (!long || !other) throw new Error('The seed has no long conversation.');
    const lastOf = (id) => seeded.messages.findLast((message) => message.conversationId === id);
    const longCount = seeded.messages.filter((message) => message.conversationId === long.id).length;

    log('Reloading with the seeded database…');
    // Each first build starts without the stored copy of the index (the worker stores one once it has built it),
    // cleared from a page of the app's origin that is not the app, so no search worker runs meanwhile.
    const dropStoredIndex = async () => {
      await page.goto(new URL('favicon.svg', appUrl).href);
      await page.evaluate(clearStore, { name: DB_NAME, store: SEARCH_COPY_STORE });
    };
    await page.addInitScript(listProbe);
    await dropStoredIndex();
    // The list from IndexedDB alone: as on a first start, or after data changed behind the app (this seed).
    await page.evaluate((key) => localStorage.removeItem(key), SNAPSHOT_KEY);
    await page.goto(appUrl);
    await page.waitForFunction(() => window.__scale?.firstEntryAt != null, null, { polling: 100, timeout: 120_000 });
    const list = await page.evaluate(() => window.__scale);
    await support.messageBox(page).waitFor();
    const firstBuilds = [await indexBuild(page)];
    for (let run = 1; run < BUILD_RUNS; run++) {
      await dropStoredIndex();
      await page.goto(appUrl);
      firstBuilds.push(await indexBuild(page));
    }
    await waitForStoredIndex(page);
    const copyBuilds = [];
    for (let run = 0; run < BUILD_RUNS; run++) {
      await page.reload();
      copyBuilds.push(await indexBuild(page));
    }
    // Every later start: the app has kept its first-screen snapshot (localStorage) of the newest titles meanwhile.
    await page.reload();
    await page.waitForFunction(() => window.__scale?.firstEntryAt != null, null, { polling: 100, timeout: 120_000 });
    const snapshotList = await page.evaluate(() => window.__scale);
    const snapshotKept = await page.evaluate((key) => localStorage.getItem(key) !== null, SNAPSHOT_KEY);
    if (!snapshotKept) throw new Error('The app kept no first-screen snapshot.');
    await support.messageBox(page).waitFor();
    const firstBuild = median(firstBuilds.map((run) => run.ms));
    const copyBuild = median(copyBuilds.map((run) => run.ms));
    const builds = [...firstBuilds, ...copyBuilds];
    const inWorker = builds.every((run) => run.inWorker);
    const longestTaskMs = Math.max(...builds.map((run) => run.longestTaskMs));
    const runs = (list) =>
      list.map((run) => [run.ms, run.longestTaskMs, run.longestGapMs].map((ms) => ms.toFixed(0)).join('/')).join(', ');
    log(
      `  search index ready in ${copyBuild.toFixed(0)} ms from its stored copy, built in ${firstBuild.toFixed(0)} ms ` +
        `without one, ${inWorker ? 'in its worker' : 'NOT ALWAYS IN ITS WORKER'}; longest main-thread task meanwhile ` +
        `${longestTaskMs.toFixed(0)} ms (runs, ms built / longest task / longest timer gap: first ` +
        `${runs(firstBuilds)}; from the copy ${runs(copyBuilds)})`,
    );

    // The app builds its search index once it is idle after start, reading every message: the first search waits for
    // it. Done first, so that neither the opening nor the searches below share the page with that one-time work.
    log('Building the search index (a first search)…');
    await searchFor(page, 'warmup', { expectMark: false });
    await page.getByRole('searchbox', { name: /^\s*search conversations\s*$/i }).fill('');

    log(`Opening a short conversation, then the long one, ${RUNS} times…`);
    const openTimes = [];
    for (let run = 0; run < RUNS; run++) {
      await openByTitle(page, other.title, tailOf(lastOf(other.id).content));
      openTimes.push(await openByTitle(page, long.title, tailOf(lastOf(long.id).content)));
    }
    const openMs = median(openTimes);
    const listShownMs = list.firstEntryAt - list.appDefinedAt;
    const snapshotListMs = snapshotList.firstEntryAt - snapshotList.appDefinedAt;
    log(
      `  list shown ${snapshotListMs.toFixed(0)} ms after the app started from its snapshot, ` +
        `${listShownMs.toFixed(0)} ms from IndexedDB alone (${list.firstEntryAt.toFixed(0)} ms after navigation ` +
        `start), long conversation open after ${openMs.toFixed(0)} ms`,
    );

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const domNodes = await page.evaluate(() => {
      let count = 0;
      const visit = (root) => {
        for (const element of root.querySelectorAll('*')) {
          count++;
          if (element.shadowRoot) visit(element.shadowRoot);
        }
      };
      visit(document);
      return count;
    });

    log(`Searching, ${RUNS} times each…`);
    const searchTimes = { [RARE_QUERY]: [], [ACCENT_QUERY]: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const query of [RARE_QUERY, ACCENT_QUERY])
        searchTimes[query].push(await searchFor(page, query, { expectMark: true }));
    }
    const rareMs = median(searchTimes[RARE_QUERY]);
    const accentMs = median(searchTimes[ACCENT_QUERY]);
    if (session.blockedUrls.length > 0) log(`  blocked requests: ${session.blockedUrls.join(', ')}`);
    log(
      `  search ${rareMs.toFixed(0)} / ${accentMs.toFixed(0)} ms, heap ${(usedSize / MB).toFixed(1)} MB, ` +
        `${domNodes.toLocaleString('en')} elements in the document`,
    );

    const messages = count(seeded.messageCount);
    const conversations = count(seeded.conversations.length);
    return [
      row('scale-list', `Conversation list shown, ${conversations} conversations`, snapshotListMs, 'ms', 100, {
        note: 'app start → first entries on screen, every start but the first (from the first-screen snapshot)',
        detail: { fromNavigationStart: snapshotList.firstEntryAt, domContentLoaded: snapshotList.domContentLoadedAt },
      }),
      row(
        'scale-list-storage',
        `Conversation list shown from IndexedDB, ${conversations} conversations`,
        listShownMs,
        'ms',
        null,
        {
          note: 'app start → first entries on screen with no snapshot (a first start, or data written behind the app): the session code loads after first paint',
          detail: { fromNavigationStart: list.firstEntryAt, domContentLoaded: list.domContentLoadedAt },
        },
      ),
      row('scale-open-long', `Open a ${count(longCount)}-message conversation`, openMs, 'ms', 50, {
        note: `click → its last message on the page; median of ${RUNS}`,
        detail: { runs: openTimes },
      }),
      row('scale-search-build', `Search index ready at start, ${messages} messages`, copyBuild, 'ms', 1_000, {
        note:
          `${inWorker ? 'in its worker' : 'not always in its worker'}, from its stored copy (every start but ` +
          `the first): start → ready; median of ${BUILD_RUNS} loads`,
        detail: { runs: copyBuilds },
      }),
      row('scale-search-build-first', `Search index first build, ${messages} messages`, firstBuild, 'ms', null, {
        note: `${inWorker ? 'in its worker' : 'not always in its worker'}, no stored copy (the first start, or a copy found wrong): start → ready; median of ${BUILD_RUNS} loads`,
        detail: { runs: firstBuilds },
      }),
      row(
        'scale-search-build-main-thread',
        'Longest main-thread task while the search index is built',
        longestTaskMs,
        'ms',
        50,
        {
          note: `Long Tasks API, the longest of ${builds.length} builds`,
          display: longestTaskMs === 0 ? 'none ≥ 50 ms' : longestTaskMs.toFixed(0),
          detail: { runs: builds },
        },
      ),
      row('scale-search-rare', `Search ${messages} messages, rare word ("${RARE_QUERY}")`, rareMs, 'ms', 50, {
        note: `input → highlighted results shown; median of ${RUNS}`,
        detail: { runs: searchTimes[RARE_QUERY] },
      }),
      row(
        'scale-search-accent',
        `Search ${messages} messages, without accents ("${ACCENT_QUERY}")`,
        accentMs,
        'ms',
        50,
        {
          note: `input → highlighted results shown; median of ${RUNS}`,
          detail: { runs: searchTimes[ACCENT_QUERY] },
        },
      ),
      row('scale-heap', 'JS heap with the long conversation open (after GC)', usedSize / MB, 'MB', null),
      row('scale-elements', 'Elements in the document with the long conversation open', domNodes, 'elements', null, {
        note: 'shadow roots included',
        display: domNodes.toLocaleString('en'),
      }),
    ];
  } finally {
    await session.close();
  }
}

const count = (value) => value.toLocaleString('en');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function row(id, metric, value, unit, budget, extra = {}) {
  return { id, metric, value, unit, budget, ok: budget === null ? null : value <= budget, ...extra };
}

/** The end of a message's text: enough to be unique, short enough to survive being wrapped in markup. */
function tailOf(content) {
  return content.slice(-40);
}

async function loadSupport() {
  const load = async (path) => (await runnerImport(join(ROOT, path))).module;
  return {
    ...(await load('tests/support/browser.ts')),
    ...(await load('tests/support/ui.ts')),
    ...(await load('tests/browser/storage/seed.ts')),
  };
}

/** Writes the records straight into the app's database (already created by the app at its current version). */
async function seed(page, { conversations, messages }) {
  const write = (store, records) =>
    page.evaluate(
      ({ name, store, records }) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(store, 'readwrite');
            const objects = tx.objectStore(store);
            for (const record of records) objects.put(record);
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { name: DB_NAME, store, records },
    );
  await write('conversations', conversations);
  for (let start = 0; start < messages.length; start += SEED_BATCH) {
    await write('messages', messages.slice(start, start + SEED_BATCH));
  }
}

/**
 * Clicks the list entry named `title` (found in the page, as its accessible name: the button's text) and resolves
 * with the ms until `tail` (the end of the conversation's last message) is in the transcript.
 */
async function openByTitle(page, title, tail) {
  return page.evaluate(
    ({ title, tail }) =>
      new Promise((resolve, reject) => {
        const app = document.querySelector('mc-chat-app')?.shadowRoot;
        const nav = app?.querySelector('mc-conversation-list')?.shadowRoot?.querySelector('nav');
        const button = [...(nav?.querySelectorAll('button') ?? [])].find((b) => b.textContent.trim() === title);
        const log = app?.querySelector('mc-transcript')?.shadowRoot?.querySelector('[role="log"]');
        if (!button || !log) {
          reject(new Error(`No list entry "${title}" or no transcript`));
          return;
        }
        const textOf = (node) => {
          if (node.nodeType === Node.TEXT_NODE) return node.data;
          if (node.nodeType !== Node.ELEMENT_NODE) return '';
          return [...(node.shadowRoot ?? node).childNodes].map(textOf).join('');
        };
        // The newest message is the last one in the log: only it is read each frame.
        const lastMessage = () => [...log.querySelectorAll('mc-message')].at(-1);
        const start = performance.now();
        button.click();
        const deadline = start + 60_000;
        const check = () => {
          const last = lastMessage();
          if (last && textOf(last).includes(tail)) resolve(performance.now() - start);
          else if (performance.now() > deadline) reject(new Error(`"${tail}" never showed`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { title, tail },
  );
}

/**
 * Waits for the app's search index to be built after a page load (it starts when the page is idle), and resolves
 * with how long that took, where, and the longest main-thread gap the page's ticks saw meanwhile.
 */
async function indexBuild(page) {
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, SEARCH_INDEX_MEASURE, {
    polling: 100,
    timeout: 120_000,
  });
  return page.evaluate((name) => {
    const [measure] = performance.getEntriesByName(name);
    const end = measure.startTime + measure.duration;
    const state = window.__scale;
    state.stopTicks = true;
    // A gap ending at `at` covers [at - gap, at]: it counts if it overlaps the build; so does a task.
    const gaps = state.gaps.filter(([at, gap]) => at >= measure.startTime && at - gap <= end);
    const tasks = state.longTasks.filter(
      (task) => task.startTime <= end && task.startTime + task.duration >= measure.startTime,
    );
    return {
      ms: measure.duration,
      inWorker: measure.detail?.inWorker === true,
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      longestGapMs: Math.max(0, ...gaps.map(([, gap]) => gap)),
    };
  }, SEARCH_INDEX_MEASURE);
}

/** Empties object store `store` of database `name` (run in a page). */
function clearStore({ name, store }) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).clear();
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** Waits until the app's search worker has stored the copy of its index that the next start reads. */
async function waitForStoredIndex(page) {
  const stored = ({ name, store }) =>
    new Promise((resolve) => {
      const open = indexedDB.open(name);
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction(store).objectStore(store).count();
        count.onsuccess = () => resolve(count.result > 0);
        count.onerror = () => resolve(false);
        count.transaction.oncomplete = () => db.close();
      };
    });
  const deadline = Date.now() + 120_000;
  while (!(await page.evaluate(stored, { name: DB_NAME, store: SEARCH_COPY_STORE }))) {
    if (Date.now() > deadline) throw new Error('The search index was never stored.');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Runs in the page before the app: when the app's root element is defined, the first frame where the conversation
 * list has an entry, and the gaps between ticks of a 0 ms timer longer than a tick (the main thread was busy), until
 * the bench stops them.
 */
function listProbe() {
  const state = {
    appDefinedAt: null,
    domContentLoadedAt: null,
    firstEntryAt: null,
    gaps: [],
    stopTicks: false,
    longTasks: [],
  };
  window.__scale = state;
  new PerformanceObserver((list) => {
    for (const { startTime, duration } of list.getEntries()) state.longTasks.push({ startTime, duration });
  }).observe({ type: 'longtask', buffered: true });
  let lastTick = performance.now();
  const tick = () => {
    const now = performance.now();
    if (now - lastTick > 8) state.gaps.push([now, now - lastTick]);
    lastTick = now;
    if (!state.stopTicks) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  document.addEventListener('DOMContentLoaded', () => (state.domContentLoadedAt = performance.now()));
  void customElements.whenDefined('mc-chat-app').then(() => (state.appDefinedAt = performance.now()));
  const entries = () =>
    document
      .querySelector('mc-chat-app')
      ?.shadowRoot?.querySelector('mc-conversation-list')
      ?.shadowRoot?.querySelectorAll('nav li').length ?? 0;
  const check = () => {
    const shown = entries();
    const now = performance.now();
    if (shown > 0) state.firstEntryAt = now;
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/**
 * Puts `query` into the search box in one input event (as a paste), and resolves with the ms until a result marks
 * the query (or, for a query that finds nothing, until the list says so).
 */
async function searchFor(page, query, { expectMark }) {
  const box = page.getByRole('searchbox', { name: /^\s*search conversations\s*$/i });
  await box.fill('');
  await box.focus();
  return box.evaluate(
    (input, { query, expectMark }) =>
      new Promise((resolve, reject) => {
        const deepElements = (root, selector) => {
          const found = [...root.querySelectorAll(selector)];
          for (const element of root.querySelectorAll('*')) {
            if (element.shadowRoot) found.push(...deepElements(element.shadowRoot, selector));
          }
          return found;
        };
        const nav = input.closest('nav');
        const folded = (text) =>
          text
            .normalize('NFD')
            .replace(/\p{Diacritic}/gu, '')
            .toLowerCase();
        const shown = () =>
          expectMark
            ? deepElements(nav, 'mark').some((mark) => folded(mark.textContent) === query)
            : deepElements(nav, 'p').some((p) => p.textContent.includes('No conversation matches'));
        const start = performance.now();
        input.value = query;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertFromPaste' }));
        const deadline = start + 60_000;
        const check = () => {
          if (shown()) resolve(performance.now() - start);
          else if (performance.now() > deadline) reject(new Error(`No results for "${query}"`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { query, expectMark },
  );
}

async function main() {
  const dist = process.env.BENCH_APP_DIR ?? join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    process.stderr.write(`${join(dist, 'index.html')} is missing: run \`npm run build\` first.\n`);
    process.exit(1);
  }
  const { startStaticServer } = (await runnerImport(join(ROOT, 'tests/support/static-server.ts'))).module;
  const { launchBrowser } = (await runnerImport(join(ROOT, 'tests/support/browser.ts'))).module;
  const app = await startStaticServer(dist);
  const browser = await launchBrowser();
  try {
    const rows = await measureScale({ browser, appUrl: app.url });
    for (const { metric, value, unit, budget, ok, detail } of rows) {
      process.stdout.write(
        `${JSON.stringify({ metric, value: Number(value?.toFixed(1)), unit, budget, ok, detail })}\n`,
      );
    }
  } finally {
    await browser.close();
    await app.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
