// The smoke tests every engine runs against the built app: it starts cleanly and says what WebGPU it found, a hosted
// reply streams from the local OpenAI-compatible server and Stop closes that connection, a reload keeps the
// conversation, a backup exported in one profile imports into a fresh one, and two tabs stay in step. Lean on
// purpose: one engine per file, one app load per scenario, short waits (the whole suite shares two cores).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useLocalSseServer, type LocalSseServer } from '../e2e.js';
import { numberedTokens, numbersIn } from '../sse-server.js';
import { PUBLIC_MODEL_LISTS, waitFor, type RoleQuery, type SmokeEngine, type SmokeTab } from './driver.js';

/** What the engine offers the app, as the start test finds it; the README's browser table lists the same. */
export interface EngineFeatures {
  webgpu: boolean;
  /** The CSP's `require-trusted-types-for 'script'` is enforced: a plain string reaching innerHTML throws. */
  trustedTypes: boolean;
  webLocks: boolean;
  broadcastChannel: boolean;
  /** The origin private file system (the app does not use it; WebLLM's weights live in Cache Storage). */
  opfs: boolean;
  serviceWorker: boolean;
}

export interface SmokeOptions {
  launch(): Promise<SmokeEngine>;
  features: EngineFeatures;
  /** What this engine's app must say about WebGPU at start (the engines here have none on Linux). */
  webgpuNotice: RegExp;
  /** Every URL the engine's pages requested, where its driver can tell. */
  requestedUrls?: () => readonly string[];
}

const MESSAGE_BOX: RoleQuery = { role: 'textbox', name: 'Message' };
const SETTINGS: RoleQuery = { role: 'dialog', name: 'Settings' };
const TRANSCRIPT: RoleQuery = { role: 'log', name: 'Conversation' };
const CONVERSATIONS: RoleQuery = { role: 'navigation', name: 'Conversations' };
const STOP: RoleQuery = { role: 'button', name: 'Stop' };
const REPLIES: RoleQuery = { role: 'article', name: 'Assistant', prefix: true, within: TRANSCRIPT };

/** A reply from another tab arrives within a second (README, "Tabs in step"); allow for a loaded machine. */
const OTHER_TAB_MS = 5_000;

async function openApp(tab: SmokeTab, url: string): Promise<void> {
  await tab.goto(url);
  await waitFor('the message box', async () => (await tab.texts(MESSAGE_BOX)).length === 1);
}

async function textOf(tab: SmokeTab, query: RoleQuery): Promise<string> {
  return (await tab.texts(query)).join('\n');
}

/** Settings → "Hugging Face API" → Endpoint URL → Escape, as a keyboard user does. */
async function useLocalServer(tab: SmokeTab, server: LocalSseServer): Promise<void> {
  await tab.click({ role: 'button', name: 'Settings' });
  await tab.click({ role: 'radio', name: 'Hugging Face API' });
  const endpoint: RoleQuery = { role: 'textbox', name: 'Endpoint URL' };
  await tab.type(endpoint, server.url);
  // Leaving the field is what commits it (`change`); Escape then closes the dialog from where focus is.
  await tab.press(endpoint, 'Tab');
  await tab.press(endpoint, 'Escape');
  await waitFor('Settings to close', async () => (await tab.texts(SETTINGS)).length === 0);
}

async function send(tab: SmokeTab, text: string): Promise<void> {
  await tab.type(MESSAGE_BOX, text);
  await tab.press(MESSAGE_BOX, 'Enter');
}

async function replyShows(tab: SmokeTab, text: string, timeoutMs?: number): Promise<void> {
  await waitFor(
    `a reply showing "${text}"`,
    async () => (await tab.texts(REPLIES)).some((reply) => reply.includes(text)),
    timeoutMs,
  );
}

const EXPORT_TIMEOUT_MS = 30_000;

/** Settings → Export, the file caught in the page as the browser is handed it (no download dialog in any engine). */
async function exportBackup(tab: SmokeTab): Promise<{ name: string; text: string }> {
  // The page's CSP refuses to fetch blob: URLs, so the file is read from the Blob the app hands to createObjectURL.
  await tab.evaluate(`() => {
    const blobs = new Map();
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      const url = createObjectURL(blob);
      blobs.set(url, blob);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      const blob = blobs.get(this.href);
      if (!this.download || !blob) return click.call(this);
      const name = this.download;
      void blob.text().then((text) => { window.mcSavedFile = { name, text }; });
    };
  }`);
  await tab.click({ role: 'button', name: 'Settings' });
  await tab.click({ role: 'button', name: 'Export' });
  // The export loads the backup code on first use and reads every conversation: in a full CI run, with other suites
  // on both cores, WebKit once took past the usual 10 s to hand the file over.
  return waitFor(
    'the exported file',
    () =>
      tab
        .evaluate<{ name: string; text: string } | null>(`() => window.mcSavedFile ?? null`)
        .then((file) => file ?? undefined),
    EXPORT_TIMEOUT_MS,
  );
}

/**
 * Settings → Import with `text` as the chosen file. The file chooser is native UI no driver here can fill, so the
 * file goes to the app's file input as a chooser would hand it over: its `files` and a `change` event.
 */
async function importBackup(tab: SmokeTab, name: string, text: string): Promise<void> {
  await tab.click({ role: 'button', name: 'Settings' });
  await tab.click({ role: 'button', name: 'Import' });
  await tab.evaluate(
    `(name, text) => {
      // The Settings dialog's file input: the message box has one of its own, for attachments.
      const inputs = (root, inDialog) => [...root.querySelectorAll('*')].flatMap((element) => {
        const within = inDialog || element.closest('dialog[open]') !== null;
        return [
          ...(within && element.matches('input[type="file"]') ? [element] : []),
          ...(element.shadowRoot ? inputs(element.shadowRoot, within) : []),
        ];
      });
      const [input] = inputs(document, false);
      const files = new DataTransfer();
      files.items.add(new File([text], name, { type: 'application/json' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }`,
    name,
    text,
  );
}

const FEATURE_PROBE = `() => {
  let trustedTypes = false;
  try {
    document.createElement('div').innerHTML = '<b>probe</b>';
  } catch {
    trustedTypes = true;
  }
  return {
    webgpu: 'gpu' in navigator,
    trustedTypes,
    webLocks: 'locks' in navigator,
    broadcastChannel: typeof BroadcastChannel === 'function',
    opfs: typeof navigator.storage?.getDirectory === 'function',
    serviceWorker: 'serviceWorker' in navigator,
  };
}`;

export function describeSmokeTests({ launch, features, webgpuNotice, requestedUrls }: SmokeOptions): void {
  const appUrl = inject('appUrl');
  const server = useLocalSseServer({ tokens: ['Bonjour', ' from', ' the', ' local', ' server.'] });
  let engine: SmokeEngine | undefined;

  beforeAll(async () => {
    engine = await launch();
  });
  afterAll(async () => {
    await engine?.close();
    // Only this machine was ever asked for anything: the app and the local server. The one exception is Hugging
    // Face's public model list (no token, no cookies), which Settings looks up when it opens on the hosted engine;
    // the proxy refuses it and the app carries on with a typed model id.
    const outside = (requestedUrls?.() ?? []).filter(
      (url) =>
        !/^(?:https?:\/\/(?:127\.0\.0\.1|localhost)[:/]|blob:|data:)/.test(url) &&
        !PUBLIC_MODEL_LISTS.some((list) => url.startsWith(list)),
    );
    expect(outside).toEqual([]);
  });

  /** A fresh profile with one tab for `scenario`, closed afterwards whatever happens. */
  async function inFreshProfile(scenario: (tab: SmokeTab, openTab: () => Promise<SmokeTab>) => Promise<void>) {
    if (!engine) throw new Error('The browser did not start.');
    const profile = await engine.newProfile();
    try {
      const tab = await profile.newTab();
      await scenario(tab, () => profile.newTab());
      expect(tab.pageErrors).toEqual([]);
    } finally {
      await profile.close();
    }
  }

  describe('the app', () => {
    it('starts with no page error and says what WebGPU it found', () =>
      inFreshProfile(async (tab) => {
        await openApp(tab, appUrl);
        // The loading placeholder ("Loading…", in the page itself) goes once the app has its first state: boot ran
        // to the end.
        expect(await tab.evaluate<boolean>(`() => !document.body.textContent.includes('Loading…')`)).toBe(true);
        const notice = await waitFor('what the app says about WebGPU', async () => {
          const said = await textOf(tab, { role: 'alert', name: '', prefix: true });
          return webgpuNotice.test(said) ? said : undefined;
        });
        expect(notice).toMatch(/Hugging Face API/);
        expect(await tab.evaluate<EngineFeatures>(FEATURE_PROBE)).toEqual(features);
      }));

    it('streams a hosted reply, Stop closes the connection, and a reload keeps the conversation', () =>
      inFreshProfile(async (tab) => {
        await openApp(tab, appUrl);
        await useLocalServer(tab, server);
        await send(tab, 'Say hello');
        await replyShows(tab, 'Bonjour from the local server.');

        server.configure({ tokens: numberedTokens(200), tokenDelayMs: 50 });
        await send(tab, 'Count slowly');
        await replyShows(tab, '[3]');
        await tab.click(STOP);
        const stopped = await waitFor('the server to see the client hang up', async () => {
          const request = server.chatRequests().at(-1);
          return request?.disconnected ? request : undefined;
        });
        expect(stopped.tokensSent).toBeLessThan(200);
        const shown = numbersIn((await tab.texts(REPLIES)).at(-1) ?? '');
        expect(shown.length).toBeGreaterThanOrEqual(3);

        await tab.reload();
        await waitFor('the message box after the reload', async () => (await tab.texts(MESSAGE_BOX)).length === 1);
        await replyShows(tab, 'Bonjour from the local server.');
        await replyShows(tab, `[${shown.at(-1)}]`);
        expect(await textOf(tab, TRANSCRIPT)).toContain('Count slowly');
      }));

    it('exports a backup that a fresh profile imports whole', async () => {
      let backup: { name: string; text: string } | undefined;
      await inFreshProfile(async (tab) => {
        await openApp(tab, appUrl);
        await useLocalServer(tab, server);
        await send(tab, 'Packing list for Iceland');
        await replyShows(tab, 'Bonjour from the local server.');
        backup = await exportBackup(tab);
      });
      expect(backup?.name).toMatch(/^private-mistral-chat-\d{4}-\d{2}-\d{2}\.json$/);

      await inFreshProfile(async (tab) => {
        await openApp(tab, appUrl);
        expect(await textOf(tab, CONVERSATIONS)).not.toContain('Packing list for Iceland');
        await importBackup(tab, backup!.name, backup!.text);
        await waitFor('the import report', async () =>
          (await textOf(tab, SETTINGS)).includes('Imported 1 conversation (2 messages).'),
        );
        await tab.press({ role: 'button', name: 'Import' }, 'Escape');
        await waitFor('the imported conversation in the list', async () =>
          (await textOf(tab, CONVERSATIONS)).includes('Packing list for Iceland'),
        );
      });
    });

    it('keeps two tabs in step', () =>
      inFreshProfile(async (first, openTab) => {
        await openApp(first, appUrl);
        await useLocalServer(first, server);
        const second = await openTab();
        await openApp(second, appUrl);

        await send(first, 'Plan a weekend in Ghent');
        await replyShows(first, 'Bonjour from the local server.');

        await waitFor(
          'the conversation in the other tab',
          async () => (await textOf(second, CONVERSATIONS)).includes('Plan a weekend in Ghent'),
          OTHER_TAB_MS,
        );
        expect(second.pageErrors).toEqual([]);
      }));
  });
}
