// What the bench's own instrument costs the page's main thread while a worker reads a stream (issue 15).
//
// Playwright (like Puppeteer) attaches DevTools to every dedicated worker and enables its Network domain there. From
// then on each chunk the worker's fetch receives is also reported to the page's main thread (one
// blink.mojom.ResourceLoadInfoNotifier message per chunk, seen in a trace as a SimpleWatcher task), which a page
// without DevTools attached never gets. Measured on this machine: a bare worker reading 4,000 SSE chunks, 2 ms apart,
// costs the main thread 187 ms under Playwright and 6 ms under a raw CDP connection that does not attach to workers.
// The app reads hosted streams in such a worker, so its streaming rows would charge that cost to the app.
//
// So each streaming run first measures it: the same reply, from the same SSE server, read by a worker that does
// nothing else, in a page set up as the app's is (newAppSession). That main-thread time per token is reported as its
// own row and taken out of the app's main-thread rows. It also holds the browser's own floor for a worker's read,
// which the raw-CDP figure above puts at about 0.0015 ms per chunk.
import { mainThreadMs } from './profile.mjs';

/** Reads one POST reply to the end, chunk by chunk, and reports how many chunks came. */
const READER_SOURCE = `
onmessage = async (event) => {
  try {
    const response = await fetch(event.data, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"stream":true}',
    });
    const reader = response.body.getReader();
    let chunks = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      chunks++;
    }
    postMessage({ chunks });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
`;

/**
 * Main-thread time per token that the instrument adds while a worker reads `tokens` from `server`, streamed as the
 * app's reply is. The server's scenario is left as set here; callers configure it again for their own run.
 */
export async function measureHarnessMsPerToken(support, browser, server, tokens, tokenDelayMs) {
  const session = await support.newAppSession(browser);
  const { page, context } = session;
  try {
    // A page of the server's own origin (its 404 for GET /), so the worker's fetch needs no CORS.
    await page.goto(`${server.url}/`);
    // The worker is attached (and instrumented) before the measured read, as the app's is before its measured reply.
    const attached = page.waitForEvent('worker');
    await page.evaluate((source) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      window.__harnessReader = new Worker(url);
    }, READER_SOURCE);
    await attached;
    server.configure({ tokens, tokenDelayMs });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await mainThreadMs(cdp);
    const read = await page.evaluate(
      (url) =>
        new Promise((resolve) => {
          window.__harnessReader.onmessage = (event) => resolve(event.data);
          window.__harnessReader.postMessage(url);
        }),
      `${server.url}/v1/chat/completions`,
    );
    const after = await mainThreadMs(cdp);
    if (read.error) throw new Error(`The harness reader failed: ${read.error}`);
    if (read.chunks < tokens.length / 2)
      throw new Error(`The harness reader got ${read.chunks} chunks for ${tokens.length} tokens`);
    return (after.task - before.task) / tokens.length;
  } finally {
    await session.close();
  }
}
