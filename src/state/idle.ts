/**
 * Runs `callback` once the page is idle (within 10 s at the latest), for work the first screen does not wait for:
 * building the search index, loading the code of Settings. Where `requestIdleCallback` is missing (Safari), after 2 s.
 */
export function whenIdle(callback: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => callback(), { timeout: 10_000 });
  else setTimeout(callback, 2_000);
}
