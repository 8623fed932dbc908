/**
 * Whether the browser has a network, for the "Offline" indicator. `false` is reliable (no network interface, or
 * the user went offline); `true` only means a network exists, not that Hugging Face is reachable, so the hosted
 * engine still reports its own network errors.
 */
export interface Connectivity {
  readonly online: boolean;
  /** Calls `listener` on every change, not with the current value; returns the unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
  /** Stops listening to the browser. */
  dispose(): void;
}

/**
 * Follows the `online`/`offline` events of `target` (the window). The state comes from the events themselves, so
 * it can never disagree with the last event a listener was given.
 */
export function createConnectivity(target: EventTarget = window, initial: boolean = navigator.onLine): Connectivity {
  let online = initial;
  const listeners = new Set<(online: boolean) => void>();

  const set = (next: boolean) => {
    if (next === online) return;
    online = next;
    for (const listener of [...listeners]) listener(online);
  };
  const onOnline = () => set(true);
  const onOffline = () => set(false);
  target.addEventListener('online', onOnline);
  target.addEventListener('offline', onOffline);

  return {
    get online() {
      return online;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      target.removeEventListener('online', onOnline);
      target.removeEventListener('offline', onOffline);
      listeners.clear();
    },
  };
}
