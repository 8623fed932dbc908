/**
 * Imported first by the probe workers (and installed in the page by the tests): records every way this scope could
 * reach the network or evaluate a string as code, and reports each attempt on a BroadcastChannel, where the test
 * listens. Attempts are recorded before they are made, so one that would fail (CORS, a bad host) still counts.
 */

export const SPY_CHANNEL = 'documents-network-spy';

export interface SpyReport {
  scope: string;
  what: string;
}

export function installNetworkSpy(scope: string): void {
  const channel = new BroadcastChannel(SPY_CHANNEL);
  const report = (what: string): void => channel.postMessage({ scope, what } satisfies SpyReport);
  const global = globalThis as unknown as Record<string, unknown>;

  const originalFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    report(`fetch ${input instanceof Request ? input.url : String(input)}`);
    return originalFetch(input, init);
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    report(`xhr ${String(args[1])}`);
    return (open as (...rest: unknown[]) => void).apply(this, args);
  };
  for (const name of ['WebSocket', 'EventSource', 'Worker', 'SharedWorker']) {
    const Original = global[name] as (new (...args: unknown[]) => object) | undefined;
    if (!Original) continue;
    global[name] = new Proxy(Original, {
      construct(target, args: unknown[]) {
        report(`${name} ${String(args[0])}`);
        return Reflect.construct(target, args) as object;
      },
    });
  }
  if (typeof global.importScripts === 'function') {
    const importScripts = global.importScripts as (...urls: string[]) => void;
    global.importScripts = (...urls: string[]) => {
      report(`importScripts ${urls.join(' ')}`);
      importScripts(...urls);
    };
  }
  global.eval = new Proxy(globalThis.eval, {
    apply(target, thisArg, args: unknown[]) {
      report('eval');
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  global.Function = new Proxy(Function, {
    construct(target, args: unknown[]) {
      report('new Function');
      return Reflect.construct(target, args) as object;
    },
    apply(target, thisArg, args: unknown[]) {
      report('Function()');
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) report(`resource ${entry.name}`);
  }).observe({ type: 'resource' });
}

/** Collects what the spies report from now on, in every scope. */
export function listenToSpies(): { reports: SpyReport[]; close(): void } {
  const channel = new BroadcastChannel(SPY_CHANNEL);
  const reports: SpyReport[] = [];
  channel.addEventListener('message', (event: MessageEvent<SpyReport>) => reports.push(event.data));
  return { reports, close: () => channel.close() };
}
