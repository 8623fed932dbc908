// The one face the cross-engine smoke tests see, whatever drives the browser: puppeteer-core over WebDriver BiDi for
// Firefox, classic WebDriver over HTTP for WebKit. Elements are found only by role and accessible name
// (find-by-role.ts); clicks and keys go through the driver's own input, as a user's would.
import { findAllByRole, type RoleQuery } from './find-by-role.js';

export type { RoleQuery };

export type SpecialKey = 'Enter' | 'Escape' | 'Tab';

export interface SmokeTab {
  /** Loads `url` and waits for its load event. */
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Clicks the first element matching `query`, waiting up to a few seconds for it to appear. */
  click(query: RoleQuery): Promise<void>;
  /** Types `text` into the first element matching `query` with real key events (it gets focus first). */
  type(query: RoleQuery, text: string): Promise<void>;
  /** Presses one key with focus on the first element matching `query`. */
  press(query: RoleQuery, key: SpecialKey): Promise<void>;
  /** The text each visible element matching `query` shows, whitespace collapsed; none found is []. */
  texts(query: RoleQuery): Promise<string[]>;
  /** Runs `script` (a function expression, self-contained) in the page with `args`; returns its JSON result. */
  evaluate<T>(script: string, ...args: unknown[]): Promise<T>;
  /** Uncaught errors and console errors the page reported, where the driver can see them. */
  readonly pageErrors: readonly string[];
}

/** One fresh browser profile: its own IndexedDB, localStorage and service workers. */
export interface SmokeProfile {
  newTab(): Promise<SmokeTab>;
  /** Whether two tabs of one profile can be driven at once. */
  readonly supportsTabs: boolean;
  close(): Promise<void>;
}

export interface SmokeEngine {
  readonly name: string;
  newProfile(): Promise<SmokeProfile>;
  close(): Promise<void>;
}

/** How long an element may take to appear before a driver action fails. */
export const FIND_TIMEOUT_MS = 10_000;

/** A script expression that yields the first element matching `query`, or null. */
export function firstMatchScript(query: RoleQuery): string {
  return `(${findAllByRole.toString()})(${JSON.stringify(query)})[0] ?? null`;
}

/** A script expression that yields the text each element matching `query` shows, whitespace collapsed. */
export function textsScript(query: RoleQuery): string {
  return `(${findAllByRole.toString()})(${JSON.stringify(query)}, true)`;
}

/** Polls `check` every 100 ms until it returns a value other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = FIND_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function describeQuery(query: RoleQuery): string {
  const within = query.within ? ` in ${query.within.role} "${query.within.name}"` : '';
  return `${query.role} "${query.name}"${query.prefix ? '…' : ''}${within}`;
}

/** Hugging Face's public model lists, which Settings looks up (no token, no cookies) when it opens on the hosted engine. */
export const PUBLIC_MODEL_LISTS = ['https://router.huggingface.co/v1/models', 'https://huggingface.co/api/models?'];
