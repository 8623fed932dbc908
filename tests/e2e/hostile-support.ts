// Shared steps of the end-to-end tests that feed the app hostile text (replies, typed input, imported backups) or
// test its CSP: the probe that watches the page from inside, and the sample of the hostile corpus they use.
import type { Locator, Page } from 'playwright-core';
import { findActiveContent } from '../fixtures/assert-inert.js';
import { EXFIL_HOST, HOSTILE_CORPUS, type HostileInput } from '../fixtures/hostile-corpus.js';

export interface CspViolation {
  directive: string;
  blockedURI: string;
}

declare global {
  interface Window {
    __pwned?: () => void;
    __pwnedCalls?: number;
    __violations?: CspViolation[];
    __findActiveContent?: typeof findActiveContent;
  }
}

/**
 * Runs in the page before the app: the canary every script payload calls, a record of CSP violations, and the
 * fixture's inertness check (it is self-contained, so its source runs as it is).
 */
const PAGE_PROBE = `
  window.__pwnedCalls = 0;
  Object.defineProperty(window, '__pwned', { value: () => { window.__pwnedCalls += 1; } });
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI });
  }, true);
  window.__findActiveContent = ${findActiveContent.toString()};
`;

/**
 * Installs the probe for every page load from now on. Call it before the app opens: a payload that ran or a
 * violation that fired during the first render must be seen too.
 */
export async function installPageProbe(page: Page): Promise<void> {
  await page.addInitScript(PAGE_PROBE);
}

/** The first `perClass` inputs of every class of the corpus: each kind of attack, in a few variants. */
export function sampleOfEveryClass(perClass: number): HostileInput[] {
  const taken = new Map<string, number>();
  return HOSTILE_CORPUS.filter((entry) => {
    const count = taken.get(entry.class) ?? 0;
    taken.set(entry.class, count + 1);
    return count < perClass;
  });
}

/** The URLs among `requests` that went for the exfiltration host: any at all means hostile text got out. */
export function exfiltrationRequests(requests: readonly { url(): string }[]): string[] {
  return requests.map((request) => request.url()).filter((url) => url.includes(EXFIL_HOST));
}

/**
 * What the inertness check reports in each of `messages` (articles found by role and name), one list per message.
 * It reports the app's own controls around a message's text too (its buttons and their `svg` icons), and the text
 * has no role or name of its own to find it by: so compare each message with one of plain text of the same role,
 * which has the same controls. Anything more came from what the message holds.
 */
export function activeContentOf(messages: Locator): Promise<string[][]> {
  return messages.evaluateAll((elements) =>
    elements.map((element) => window.__findActiveContent?.(element) ?? ['the inertness check is missing']),
  );
}
