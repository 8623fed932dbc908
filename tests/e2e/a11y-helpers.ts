// Helpers for the accessibility, keyboard and screenshot tests: axe in the page despite its CSP, a stream the test
// holds open mid-reply, and where keyboard focus is (through shadow roots).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { closingEvents, tokenEvent } from '../support/sse.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the whole page, open shadow roots included, as "rule: target (summary)" lines.
 *
 * The app's CSP forbids inline scripts and demands Trusted Types for script text, so `page.addScriptTag` is refused;
 * `page.evaluate` runs through the DevTools protocol (`Runtime.evaluate`), which the page's CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  await animationsSettled(page);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.flatMap((violation) =>
      violation.nodes.map(
        (node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary?.replace(/\s+/g, ' ') ?? ''})`,
      ),
    );
  });
}

export async function expectNoAxeViolations(page: Page, view: string): Promise<void> {
  expect(await axeViolations(page), `axe violations: ${view}`).toEqual([]);
}

/**
 * Waits for every finite animation and transition (a dialog fading in, the drawer sliding, colours changing with
 * the theme): mid-way, text is translucent and its contrast would be measured too low.
 */
export async function animationsSettled(page: Page): Promise<void> {
  await page.evaluate(() => {
    // `document.getAnimations()` leaves out shadow trees: ask each root for its own.
    const roots: (Document | ShadowRoot)[] = [document];
    for (let index = 0; index < roots.length; index++) {
      for (const element of roots[index]!.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    return Promise.all(
      roots
        .flatMap((root) => root.getAnimations())
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    );
  });
}

/** Whether `locator` is where keyboard focus is, looking through open shadow roots. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === element;
  });
}

export async function expectFocused(locator: Locator, what: string): Promise<void> {
  await expect.poll(() => isFocused(locator), { message: `focus is on ${what}` }).toBe(true);
}

export interface HeldStream {
  /** Base URL for the app's "Endpoint URL", e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  /** Resolves once a reply has started: its first tokens are sent and the rest waits for `release()`. */
  readonly started: Promise<void>;
  /** Sends the rest of the reply and ends the stream. */
  release(): void;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible endpoint whose reply stops after `first` and waits until the test calls `release()`, so a
 * test can look at the page mid-reply without racing the stream.
 */
export async function startHeldStream(first: readonly string[], rest: readonly string[]): Promise<HeldStream> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'authorization, content-type',
  };

  const server = createServer((req, res) => {
    req.resume();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, cors).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...cors });
    res.write(first.map((token) => tokenEvent(token)).join(''));
    markStarted();
    void released.then(() => {
      if (res.destroyed) return;
      res.end(rest.map((token) => tokenEvent(token)).join('') + closingEvents(first.length + rest.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    started,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A reply with what Markdown replies usually hold: a list, a table, a code block, inline code. */
export const MARKDOWN_REPLY = `Both limit how often a function runs, but they fire at different moments:

- **Debounce** waits until the calls stop for a given delay, then runs once.
- **Throttle** runs at most once per interval while the calls keep coming.

| When | Debounce | Throttle |
| --- | --- | --- |
| Runs | after the last call | at a steady rate |
| Good for | search boxes, resizing | scrolling, pointer moves |

A small, typed debounce:

\`\`\`ts
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
\`\`\`

Create it once and keep the returned function: \`const onInput = debounce(search, 300);\``;

/** Text as a model streams it: a word (with the space before it) per token. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}
