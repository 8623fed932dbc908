import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import '../../../src/components/mc-markdown.js';
import type { McMarkdown } from '../../../src/components/mc-markdown.js';
import { sanitizeHtml } from '../../../src/markdown/index.js';
import { assertInert } from '../../fixtures/assert-inert.js';
import { EXFIL_HOST, HOSTILE_CORPUS } from '../../fixtures/hostile-corpus.js';

declare global {
  interface Window {
    __pwned?: () => void;
  }
}

/** Every code point a hidden-text attack uses; none may survive into what is shown. */
const HIDDEN = /[\u200B\u202A-\u202E\u2060\u2066-\u2069\uFEFF\u180E\u3164\u{E0000}-\u{E007F}]/u;

let canaryCalls = 0;
/** Fetches of the exfiltration host: blocked-and-reported by the CSP below, or seen in resource timing. */
const fetchAttempts: string[] = [];
let host: HTMLElement;

beforeAll(() => {
  window.__pwned = () => {
    canaryCalls++;
  };
  // Block, and report, every kind of fetch content could start, so an attempt is seen and never leaves the machine.
  const csp = document.createElement('meta');
  csp.httpEquiv = 'Content-Security-Policy';
  csp.content = "img-src 'self'; media-src 'self'; font-src 'self'; frame-src 'none'; object-src 'none'";
  document.head.append(csp);
  document.addEventListener('securitypolicyviolation', (event) => {
    fetchAttempts.push(`${event.effectiveDirective} ${event.blockedURI}`);
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name.includes(EXFIL_HOST)) fetchAttempts.push(entry.name);
  }).observe({ type: 'resource', buffered: true });
});

afterEach(() => {
  host?.remove();
});

function mount(): HTMLElement {
  host = document.createElement('div');
  document.body.append(host);
  return host;
}

async function markdownElement(container: HTMLElement, text: string, streaming: boolean): Promise<McMarkdown> {
  const element = document.createElement('mc-markdown');
  element.text = text;
  element.streaming = streaming;
  container.append(element);
  await element.updateComplete;
  return element;
}

/** Lets anything that could still fire (error events of failed loads, timers, frames) do so. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

function inertOrExplain(root: Element, input: string, state: string): void {
  try {
    assertInert(root);
  } catch (error) {
    throw new Error(`${state} of ${JSON.stringify(input)}: ${(error as Error).message}`, { cause: error });
  }
}

function blocksOf(element: McMarkdown): string[] {
  return [...(element.shadowRoot?.querySelectorAll('.block') ?? [])].map((block) => block.innerHTML);
}

function shownText(element: McMarkdown): string {
  return element.shadowRoot?.querySelector('.content')?.textContent ?? '';
}

describe('hostile replies stay inert', () => {
  test('the detectors see a script that runs and a fetch that starts', async () => {
    const container = mount();
    const attemptsBefore = fetchAttempts.length;
    const probe = document.createElement('template');
    probe.innerHTML = '<img src="/__missing__.png" onerror="__pwned()">';
    expect(() => assertInert(probe.content)).toThrow(/event handler onerror/);
    container.append(probe.content);
    await expect.poll(() => canaryCalls).toBe(1);
    new Image().src = `http://${EXFIL_HOST}/control.png`;
    await expect
      .poll(() => fetchAttempts.slice(attemptsBefore).some((attempt) => attempt.includes(EXFIL_HOST)))
      .toBe(true);
    canaryCalls = 0;
  });

  test('the corpus is big enough and covers every class', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(HOSTILE_CORPUS.map((entry) => entry.class)).size).toBe(12);
    expect(new Set(HOSTILE_CORPUS.map((entry) => `${entry.class}: ${entry.name}`)).size).toBe(HOSTILE_CORPUS.length);
  });

  for (const entry of HOSTILE_CORPUS) {
    test(`${entry.class}: ${entry.name}`, async () => {
      const attemptsBefore = fetchAttempts.length;
      const container = mount();
      const characters = [...entry.input];

      // Streamed one character at a time; every intermediate state is checked.
      const streamed = await markdownElement(container, '', true);
      for (let end = 1; end <= characters.length; end++) {
        streamed.text = characters.slice(0, end).join('');
        await streamed.updateComplete;
        inertOrExplain(streamed, entry.input, `streamed, ${end} characters`);
      }
      streamed.streaming = false;
      await streamed.updateComplete;
      inertOrExplain(streamed, entry.input, 'streamed, finished');

      const whole = await markdownElement(container, entry.input, false);
      inertOrExplain(whole, entry.input, 'whole');
      expect(blocksOf(whole)).toEqual(blocksOf(streamed));

      // The same text as raw HTML straight into the sanitizer, no markdown first: the allow-list alone keeps it inert.
      const asHtml = document.createElement('div');
      asHtml.innerHTML = sanitizeHtml(entry.input).html;
      container.append(asHtml);
      inertOrExplain(asHtml, entry.input, 'as HTML');

      await settle();
      expect(canaryCalls, 'script ran (in this test or an earlier one)').toBe(0);
      expect(fetchAttempts.slice(attemptsBefore), 'something was fetched').toEqual([]);

      if (entry.class === 'invisible-unicode') {
        expect(shownText(whole)).not.toMatch(HIDDEN);
        expect(asHtml.textContent).not.toMatch(HIDDEN);
        expect(whole.shadowRoot?.textContent).toContain('Hidden characters were removed from this reply.');
      }
    });
  }
});
