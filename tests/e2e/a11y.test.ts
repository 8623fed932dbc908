// Accessibility of the built app, under its real CSP: axe-core finds nothing on every view a user meets (first
// visit, empty, a Markdown reply streamed and streaming, Settings, the shortcuts, a phone with the drawer open, dark
// theme); a reply is announced when it starts and when it ends, not per token; focus returns to where it came
// from; and with reduced motion nothing moves.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { openAppOnEndpoint, TEST_HF_TOKEN, useAppSessions } from '../support/e2e.js';
import {
  alerts,
  assistantMessages,
  fillSettings,
  messageBox,
  named,
  openApp,
  reloadApp,
  sendMessage,
  stopButton,
  transcript,
} from '../support/ui.js';
import { MARKDOWN_REPLY, expectFocused, expectNoAxeViolations, startHeldStream, tokenize } from './a11y-helpers.js';

const harness = useAppSessions();

const welcome = (page: Page) => page.getByRole('region', { name: /welcome/i });
const settingsDialog = (page: Page) => page.getByRole('dialog', { name: named('Settings') });

/** Signs in to the (intercepted) Hugging Face router, which answers every message with a Markdown reply. */
async function useRouterWithMarkdownReplies(page: Page): Promise<void> {
  await interceptHuggingFaceRouter(page.context(), () => streamReply(tokenize(MARKDOWN_REPLY)));
  await openApp(page, harness.appUrl);
  await fillSettings(page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN });
}

async function sendAndWaitForReply(page: Page, text: string): Promise<void> {
  await sendMessage(page, text);
  await assistantMessages(page).last().getByRole('table').waitFor();
  await stopButton(page).waitFor({ state: 'hidden' });
}

/**
 * From the next page load on, records what the page's live regions (other than the conversation log) come to say,
 * one entry per change of a region's text, in every shadow root, including regions created later. Returns a reader
 * of what was said after a point the test marks, so it can tell "announced twice" from "announced on every token".
 */
async function recordAnnouncements(
  page: Page,
): Promise<{ mark(): Promise<number>; since(mark: number): Promise<string[]> }> {
  await page.addInitScript(() => {
    const said: string[] = [];
    const lastSaid = new WeakMap<Element, string>();
    Object.assign(window, { mcAnnouncements: said });
    const liveRegionOf = (node: Node): Element | null => {
      for (
        let element = node instanceof Element ? node : node.parentElement;
        element;
        element = element.parentElement
      ) {
        const role = element.getAttribute('role');
        if (role === 'log') return null;
        if (element.hasAttribute('aria-live') || role === 'status' || role === 'alert') return element;
      }
      return null;
    };
    const watch = (root: Node) =>
      new MutationObserver((records) => {
        for (const region of new Set(records.map((record) => liveRegionOf(record.target)))) {
          const text = region?.textContent?.trim() ?? '';
          if (region === null || text === '' || lastSaid.get(region) === text) continue;
          lastSaid.set(region, text);
          said.push(text);
        }
      }).observe(root, { childList: true, subtree: true, characterData: true });
    const attachShadow = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init: ShadowRootInit) {
      const root = attachShadow.call(this, init);
      watch(root);
      return root;
    };
    watch(document);
  });
  const read = () => page.evaluate(() => (window as unknown as { mcAnnouncements: string[] }).mcAnnouncements);
  return { mark: async () => (await read()).length, since: async (mark) => (await read()).slice(mark) };
}

/** Elements that animate or transition for a non-zero time, as "tag.class: property" lines. */
function movingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const moving: string[] = [];
    const seconds = (list: string) => Math.max(...list.split(',').map((value) => parseFloat(value) || 0));
    const visit = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        const style = getComputedStyle(element);
        const name = `${element.localName}${element.className ? `.${String(element.className).trim()}` : ''}`;
        if (style.animationName !== 'none' && seconds(style.animationDuration) > 0) {
          moving.push(`${name}: animation ${style.animationName} ${style.animationDuration}`);
        }
        if (seconds(style.transitionDuration) > 0) {
          moving.push(`${name}: transition ${style.transitionProperty} ${style.transitionDuration}`);
        }
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    return moving;
  });
}

describe('accessibility', () => {
  it('has no axe violations on the first visit (the welcome), the empty view, and with an alert', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    await welcome(page).waitFor();
    await expectNoAxeViolations(page, 'first visit, with the welcome');

    await welcome(page)
      .getByRole('button', { name: named('Got it') })
      .click();
    await transcript(page).waitFor();
    await expectNoAxeViolations(page, 'empty conversation');

    await fillSettings(page, { engine: 'Hugging Face API', hfToken: '' });
    await sendMessage(page, 'Hello');
    await alerts(page).first().waitFor();
    await expectNoAxeViolations(page, 'a conversation with an alert');
  });

  it('has no axe violations with a streamed Markdown reply (list, table, code) and several conversations', async () => {
    const { page } = harness.session();
    await useRouterWithMarkdownReplies(page);
    await sendAndWaitForReply(page, 'Debounce or throttle?');
    await page.getByRole('button', { name: named('New chat') }).click();
    await sendAndWaitForReply(page, 'Show me a TypeScript debounce');

    await expectNoAxeViolations(page, 'a conversation with a finished Markdown reply');
  });

  it('mid-stream: no axe violations; the reply is announced as it starts and as it ends, not per token', async () => {
    const { page } = harness.session();
    const tokens = tokenize(MARKDOWN_REPLY);
    const stream = await startHeldStream(tokens.slice(0, 30), tokens.slice(30));
    try {
      const announcements = await recordAnnouncements(page);
      await openAppOnEndpoint(page, harness.appUrl, stream.url);
      const log = transcript(page);
      const beforeSending = await announcements.mark();
      await sendMessage(page, 'Debounce or throttle?');
      await stream.started;
      const reply = assistantMessages(page).last();
      await reply
        .getByText(/Debounce/)
        .first()
        .waitFor();

      // The transcript is a polite log; the reply being written is busy, so its words are not read one by one.
      expect((await log.getAttribute('aria-live')) ?? 'polite').toBe('polite');
      expect(await reply.getAttribute('aria-busy')).toBe('true');
      await expectNoAxeViolations(page, 'a reply mid-stream');

      stream.release();
      await reply.getByRole('table').waitFor();
      await stopButton(page).waitFor({ state: 'hidden' });
      expect(await reply.getAttribute('aria-busy')).not.toBe('true');
      await expect
        .poll(() => announcements.since(beforeSending))
        .toEqual([expect.stringMatching(/replying/i), expect.stringMatching(/finished/i)]);
      await expectNoAxeViolations(page, 'the reply once finished');
    } finally {
      await stream.close();
    }
  });

  it('has no axe violations with Settings or the shortcuts open, and focus returns to the button that opened each', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    const settingsButton = page.getByRole('button', { name: named('Settings') });

    await settingsButton.click();
    await settingsDialog(page)
      .getByRole('combobox', { name: named('Local model') })
      .waitFor();
    await expectNoAxeViolations(page, 'Settings, engine "This device"');
    await settingsDialog(page)
      .getByRole('radio', { name: named('Hugging Face API') })
      .check();
    await settingsDialog(page)
      .getByRole('textbox', { name: named('Hugging Face token') })
      .waitFor();
    await expectNoAxeViolations(page, 'Settings, engine "Hugging Face API"');
    await page.keyboard.press('Escape');
    await settingsDialog(page).waitFor({ state: 'hidden' });
    await expectFocused(settingsButton, 'the Settings button');

    const helpButton = page.getByRole('button', { name: named('Keyboard shortcuts') });
    await helpButton.click();
    const help = page.getByRole('dialog', { name: named('Keyboard shortcuts') });
    await help.waitFor();
    await expectNoAxeViolations(page, 'the Keyboard shortcuts dialog');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await expectFocused(helpButton, 'the Keyboard shortcuts button');
  });

  it('on a phone (390×844): no axe violations with the drawer open; closing it returns focus to the menu', async () => {
    const { page } = harness.session();
    await page.setViewportSize({ width: 390, height: 844 });
    await useRouterWithMarkdownReplies(page);
    await sendAndWaitForReply(page, 'Debounce or throttle?');
    await expectNoAxeViolations(page, 'phone, a conversation');

    const menu = page.getByRole('button', { name: named('Conversations menu') });
    await menu.click();
    const drawer = page.getByRole('navigation', { name: named('Conversations') });
    await drawer.waitFor();
    await expectNoAxeViolations(page, 'phone, drawer open');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await expectFocused(menu, 'the Conversations menu button');
  });

  it('has no axe violations in the dark theme, from the system or chosen in Settings (and kept after a reload)', async () => {
    const { page } = harness.session();
    await page.emulateMedia({ colorScheme: 'dark' });
    await useRouterWithMarkdownReplies(page);
    await sendAndWaitForReply(page, 'Debounce or throttle?');
    await expectNoAxeViolations(page, 'system dark, a conversation');
    await page.getByRole('button', { name: named('Settings') }).click();
    await settingsDialog(page)
      .getByRole('textbox', { name: named('Hugging Face token') })
      .waitFor();
    await expectNoAxeViolations(page, 'system dark, Settings');

    await page.emulateMedia({ colorScheme: 'light' });
    await settingsDialog(page)
      .getByRole('radiogroup', { name: named('Theme') })
      .getByRole('radio', { name: named('Dark') })
      .check();
    await page.keyboard.press('Escape');
    const scheme = () => page.evaluate(() => getComputedStyle(document.body).colorScheme);
    expect(await scheme()).toBe('dark');
    await reloadApp(page);
    expect(await scheme()).toBe('dark');
    await expectNoAxeViolations(page, 'dark chosen in Settings on a light system');
  });

  it('moves nothing when the user asks for reduced motion', async () => {
    const { page } = harness.session();
    const stream = await startHeldStream([], ['Done.']);
    try {
      await openAppOnEndpoint(page, harness.appUrl, stream.url);
      // Without the preference, the dialog does fade in: the check below can see motion when there is some.
      await page.getByRole('button', { name: named('Settings') }).click();
      await settingsDialog(page).waitFor();
      expect(await movingElements(page)).not.toEqual([]);
      await page.keyboard.press('Escape');
      await settingsDialog(page).waitFor({ state: 'hidden' });

      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.getByRole('button', { name: named('Settings') }).click();
      await settingsDialog(page).waitFor();
      expect(await movingElements(page), 'Settings open').toEqual([]);
      await page.keyboard.press('Escape');

      // The "writing" dots of a reply that has not sent a word yet.
      await sendMessage(page, 'Hello');
      await stream.started;
      expect(await movingElements(page), 'waiting for a reply').toEqual([]);
      stream.release();
      await stopButton(page).waitFor({ state: 'hidden' });

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: named('Conversations menu') }).click();
      await page.getByRole('navigation', { name: named('Conversations') }).waitFor();
      expect(await movingElements(page), 'drawer open').toEqual([]);
    } finally {
      await stream.close();
    }
  });
});

describe('a slow network', () => {
  it('shows the app name and "Loading…" before the app has run, and nothing of it once the app is there', async () => {
    const { page } = harness.session();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // The app's entry chunk arrives late, as on a slow connection.
    await page.route('**/assets/index-*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(harness.appUrl, { waitUntil: 'commit' });
    await page.getByText('Loading…', { exact: true }).waitFor();
    expect(await page.getByText('Private Mistral Chat', { exact: true }).isVisible()).toBe(true);

    release();
    await messageBox(page).waitFor();
    expect(await page.getByText('Loading…', { exact: true }).count()).toBe(0);
  });
});
