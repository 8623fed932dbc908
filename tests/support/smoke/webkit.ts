// WebKit (WebKitGTK's MiniBrowser) for the smoke tests, driven by WebKitWebDriver over plain W3C WebDriver HTTP with
// Node's fetch: the handful of commands used here (session, navigate, execute, click, send keys, windows) do not
// justify a client library and its driver downloads. MiniBrowser needs a display, so the engine starts a private Xvfb
// (which picks a free display number itself, `-displayfd`) and stops it with the driver. Each profile is a new
// WebDriver session, a new MiniBrowser with ephemeral storage. Its proxy points at a closed local port for everything
// but localhost and 127.0.0.1, so nothing leaves the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import {
  describeQuery,
  firstMatchScript,
  textsScript,
  waitFor,
  type RoleQuery,
  type SmokeEngine,
  type SmokeProfile,
  type SmokeTab,
  type SpecialKey,
} from './driver.js';

export interface WebKitPaths {
  webkitDriver: string;
  miniBrowser: string;
  xvfb: string;
}

/** The W3C WebDriver key codes of the keys the tests press. */
const KEY_CODES: Readonly<Record<SpecialKey, string>> = { Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004' };
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

type ElementReference = Record<typeof ELEMENT_KEY, string>;

export async function launchWebKit(paths: WebKitPaths): Promise<SmokeEngine> {
  const xvfb = spawn(paths.xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x900x24'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const processes: ChildProcess[] = [xvfb];
  const stopAll = async () => {
    for (const child of processes.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    }
  };
  try {
    const display = await firstLine(xvfb.stdio[3] as Readable, 'Xvfb did not report its display');
    const port = await freePort();
    const driver = spawn(paths.webkitDriver, [`--port=${port}`], {
      stdio: 'ignore',
      env: { ...process.env, DISPLAY: `:${display}` },
    });
    processes.push(driver);
    const base = `http://127.0.0.1:${port}`;
    await waitFor('WebKitWebDriver to listen', () => fetch(`${base}/status`).then((reply) => reply.ok));
    return {
      name: 'WebKit',
      newProfile: () => openSession(base, paths.miniBrowser),
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function openSession(base: string, miniBrowser: string): Promise<SmokeProfile> {
  const created = await command<{ sessionId: string }>(base, 'POST', '/session', {
    capabilities: {
      alwaysMatch: {
        'webkitgtk:browserOptions': {
          binary: miniBrowser,
          args: ['--automation', `--proxy=http://127.0.0.1:9`, '--ignore-host=localhost', '--ignore-host=127.0.0.1'],
        },
      },
    },
  });
  const session = `/session/${created.sessionId}`;
  const call = <T>(method: string, path: string, body?: unknown) => command<T>(base, method, session + path, body);
  let current = await call<string>('GET', '/window');
  let firstTabUsed = false;

  const switchTo = async (handle: string) => {
    if (current === handle) return;
    await call('POST', '/window', { handle });
    current = handle;
  };

  return {
    supportsTabs: true,
    async newTab() {
      let handle = current;
      if (firstTabUsed) handle = (await call<{ handle: string }>('POST', '/window/new', { type: 'tab' })).handle;
      firstTabUsed = true;
      return webkitTab(call, () => switchTo(handle));
    },
    close: () => call('DELETE', ''),
  };
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function webkitTab(call: Call, focusTab: () => Promise<void>): SmokeTab {
  const find = (query: RoleQuery): Promise<string> =>
    waitFor(describeQuery(query), async () => {
      const found = await call<ElementReference | null>('POST', '/execute/sync', {
        script: `return ${firstMatchScript(query)};`,
        args: [],
      });
      return found?.[ELEMENT_KEY];
    });
  const act = async <T>(action: () => Promise<T>): Promise<T> => {
    await focusTab();
    return action();
  };

  return {
    // Classic WebDriver has no event stream: errors thrown while the page boots are seen only through what the app
    // then fails to show.
    pageErrors: [],
    goto: (url) => act(() => call('POST', '/url', { url })),
    reload: () => act(() => call('POST', '/refresh', {})),
    // WebKitWebDriver clicks at the element's centre as it is at that moment, so an element still moving (its dialog
    // opening: it slides and grows in) can be missed on a loaded machine, and one still fading in is "not
    // interactable". As Playwright does, the click waits until the element's box is the same at two polls in a row,
    // and retries that one error, within the deadline of finding it. Any other error is the test's.
    click: (query) =>
      act(async () => {
        let lastBox = '';
        const outcome = await waitFor(describeQuery(query), async () => {
          const id = await find(query);
          const box = JSON.stringify(await call('GET', `/element/${id}/rect`));
          const moving = box !== lastBox;
          lastBox = box;
          if (moving) return undefined;
          try {
            await call('POST', `/element/${id}/click`, {});
            return { clicked: true as const };
          } catch (error) {
            return String(error).includes('element not interactable') ? undefined : { clicked: false as const, error };
          }
        });
        if (!outcome.clicked) throw outcome.error;
      }),
    type: (query, text) => act(async () => call('POST', `/element/${await find(query)}/value`, { text })),
    press: (query, key) =>
      act(async () => call('POST', `/element/${await find(query)}/value`, { text: KEY_CODES[key] })),
    texts: (query) =>
      act(() => call<string[]>('POST', '/execute/sync', { script: `return ${textsScript(query)};`, args: [] })),
    evaluate: <T>(script: string, ...args: unknown[]) =>
      act(() => call<T>('POST', '/execute/sync', { script: `return (${script})(...arguments);`, args })),
  };
}

async function command<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const reply = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = (await reply.json()) as { value: T & { error?: string; message?: string } };
  if (!reply.ok) throw new Error(`WebDriver ${method} ${path}: ${value.error ?? reply.status}: ${value.message ?? ''}`);
  return value;
}

function firstLine(stream: Readable, failure: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.trim());
    });
    stream.on('end', () => reject(new Error(failure)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('No local port for WebKitWebDriver.');
  return address.port;
}
