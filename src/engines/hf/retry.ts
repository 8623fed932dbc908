/** Statuses that mean "not now" (a model still loading, a busy or restarting server), worth a bounded retry. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Retries after the first request, so at most `MAX_RETRIES + 1` requests per reply. */
export const MAX_RETRIES = 3;

const BACKOFF_MS = [2_000, 4_000, 8_000] as const;
/** A server's own hint is honoured within these bounds, so a far-off estimate cannot leave the user waiting. */
const MIN_HINT_MS = 1_000;
const MAX_HINT_MS = 20_000;
/** ±10 % so that many tabs retrying together do not hit a recovering server in step. */
const JITTER = 0.1;

/**
 * How long the server says to wait, in ms: the `Retry-After` header (seconds or an HTTP date) or the
 * `estimated_time` (seconds) Hugging Face puts in the body of a 503 while a model loads.
 */
export function retryHintMs(retryAfter: string | null, body: string, now: number): number | undefined {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return date - now;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'estimated_time' in parsed) {
      const seconds = parsed.estimated_time;
      if (typeof seconds === 'number' && Number.isFinite(seconds)) return seconds * 1000;
    }
  } catch {
    // Not JSON: no hint in the body.
  }
  return undefined;
}

/** The wait before retry number `retry` (1-based): the server's hint if any (bounded), else 2 s, 4 s, 8 s. */
export function retryDelayMs(retry: number, hintMs: number | undefined, random: () => number): number {
  if (hintMs !== undefined) return Math.round(Math.min(MAX_HINT_MS, Math.max(MIN_HINT_MS, hintMs)));
  const base = BACKOFF_MS[Math.min(retry, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** A short phrase for the retry notice, e.g. "model loading — retrying in 4 s". */
export function retryReason(status: number, body: string): string {
  if (status === 503 && /loading|estimated_time/i.test(body)) return 'model loading';
  if (status === 504) return 'server timed out';
  return 'server busy';
}
