// The whole app from the keyboard alone, as a user without a mouse drives it: shortcuts (Ctrl+Shift+O, Ctrl+K, "/",
// "?", Escape), Tab and the arrow keys. Not one pointer event reaches the page.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { numberedTokens } from '../support/sse-server.js';
import {
  assistantMessages,
  conversationList,
  messageBox,
  named,
  openApp,
  stopButton,
  userMessages,
} from '../support/ui.js';
import { expectFocused, isFocused } from './a11y-helpers.js';

const harness = useAppSessions();
const server = useLocalSseServer();

/** Off Apple platforms (where these tests run), the shortcuts use Ctrl. */
const NEW_CHAT = 'Control+Shift+O';
const SEARCH = 'Control+K';

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it is not in the tab order. */
async function tabTo(page: Page, target: Locator, what: string, { backwards = false } = {}): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${what} was not reached with ${backwards ? 'Shift+Tab' : 'Tab'}.`);
}

/** Counts pointer and mouse events from here on, so the test can prove it never used a mouse. */
async function countPointerEvents(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const counter = { count: 0 };
    Object.assign(window, { mcPointerEvents: counter });
    for (const type of ['pointerdown', 'mousedown', 'pointermove', 'wheel']) {
      addEventListener(type, () => counter.count++, { capture: true });
    }
  });
  return () => page.evaluate(() => (window as unknown as { mcPointerEvents: { count: number } }).mcPointerEvents.count);
}

/**
 * Settings from the keyboard: Tab to the button, Enter, the arrow keys in the Engine radiogroup ("This device" →
 * "Hugging Face API"), Tab to the token and the Endpoint URL, type them, Escape.
 */
async function useEndpointByKeyboard(page: Page, endpointUrl: string): Promise<void> {
  await tabTo(page, page.getByRole('button', { name: named('Settings') }), 'the Settings button');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: named('Settings') });
  await dialog.waitFor();
  const engine = dialog.getByRole('radiogroup', { name: named('Engine') });
  await tabTo(page, engine.getByRole('radio', { name: named('This device') }), 'the checked engine');
  await page.keyboard.press('ArrowDown');
  expect(await engine.getByRole('radio', { name: named('Hugging Face API') }).isChecked()).toBe(true);
  await tabTo(page, dialog.getByRole('textbox', { name: named('Hugging Face token') }), 'the token field');
  await page.keyboard.type(TEST_HF_TOKEN);
  await tabTo(page, dialog.getByRole('textbox', { name: named('Endpoint URL') }), 'the Endpoint URL field');
  await page.keyboard.type(endpointUrl);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}

describe('keyboard only', () => {
  it('new chat, type, send, stop, Settings with the engine radiogroup, search, open, rename, delete, help', async () => {
    const { page } = harness.session();
    await openApp(page, harness.appUrl);
    const pointerEvents = await countPointerEvents(page);
    const settingsButton = page.getByRole('button', { name: named('Settings') });
    await useEndpointByKeyboard(page, server.url);
    await expectFocused(settingsButton, 'the Settings button');

    // "/" goes to the message box; Enter sends; Escape stops, though focus has left the message box.
    server.configure({ tokens: numberedTokens(400), tokenDelayMs: 25 });
    await page.keyboard.press('/');
    await expectFocused(messageBox(page), 'the message box');
    await page.keyboard.type('Count slowly');
    await page.keyboard.press('Enter');
    const reply = assistantMessages(page).last();
    await reply.getByText(/\[3\]/).waitFor();
    await page.keyboard.press('Tab');
    expect(await isFocused(messageBox(page))).toBe(false);
    await page.keyboard.press('Escape');
    await stopButton(page).waitFor({ state: 'hidden' });
    await reply.getByText(named('Stopped')).waitFor();
    await expect.poll(() => server.chatRequests()[0]?.disconnected, { timeout: 10_000 }).toBe(true);

    // Ctrl+Shift+O: a new chat, the cursor already in the message box.
    server.configure({ tokens: ['Fine,', ' thanks.'], tokenDelayMs: 0 });
    await page.keyboard.press(NEW_CHAT);
    await page.getByRole('heading', { level: 1, name: named('New chat') }).waitFor();
    await expectFocused(messageBox(page), 'the message box');
    await page.keyboard.type('How are you?');
    await page.keyboard.press('Enter');
    await assistantMessages(page).filter({ hasText: 'Fine, thanks.' }).waitFor();
    await stopButton(page).waitFor({ state: 'hidden' });

    // Ctrl+K: search, Tab to the match, Enter opens it.
    const nav = conversationList(page);
    await page.keyboard.press(SEARCH);
    await expectFocused(nav.getByRole('searchbox', { name: named('Search conversations') }), 'the search box');
    await page.keyboard.type('count');
    await expect.poll(() => nav.getByRole('listitem').count()).toBe(1);
    const counting = nav.getByRole('button', { name: named('Count slowly') });
    await tabTo(page, counting, 'the "Count slowly" conversation');
    await page.keyboard.press('Enter');
    await userMessages(page).filter({ hasText: 'Count slowly' }).waitFor();
    await page.getByRole('heading', { level: 1, name: named('Count slowly') }).waitFor();

    // Rename: Tab to Rename, Enter, type over the selected title, Enter.
    await tabTo(page, nav.getByRole('button', { name: named('Rename') }), 'Rename');
    await page.keyboard.press('Enter');
    await expectFocused(nav.getByRole('textbox', { name: named('Title') }), 'the Title field');
    await page.keyboard.type('Counting test');
    await page.keyboard.press('Enter');
    const renamed = nav.getByRole('button', { name: named('Counting test') });
    await renamed.waitFor();
    await page.getByRole('heading', { level: 1, name: named('Counting test') }).waitFor();

    // Delete: focus moves on to what took the conversation's place.
    await expectFocused(nav.getByRole('button', { name: named('Rename') }), 'Rename');
    await page.keyboard.press('Tab');
    await expectFocused(nav.getByRole('button', { name: named('Delete') }), 'Delete');
    await page.keyboard.press('Enter');
    await renamed.waitFor({ state: 'detached' });
    // The search still filters by "count": nothing is left, so focus lands on New chat.
    await expectFocused(nav.getByRole('button', { name: named('New chat') }), 'New chat');
    await page.keyboard.press(SEARCH);
    await page.keyboard.press('Backspace');
    await nav.getByRole('button', { name: named('How are you?') }).waitFor();
    expect(await nav.getByRole('listitem').count()).toBe(1);

    // "?" (outside a text field) lists the shortcuts; Escape closes the list and focus comes back.
    await tabTo(page, settingsButton, 'the Settings button');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: named('Keyboard shortcuts') });
    await help.waitFor();
    await help.getByText(named('Search conversations')).waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await expectFocused(settingsButton, 'the Settings button');

    expect(await pointerEvents()).toBe(0);
  });

  it('on a phone: Ctrl+K opens the drawer on the search box, Enter opens a conversation, Escape closes the drawer', async () => {
    const { page } = harness.session();
    await page.setViewportSize({ width: 390, height: 844 });
    server.configure({ tokens: ['Hi', ' there.'] });
    await openApp(page, harness.appUrl);
    const pointerEvents = await countPointerEvents(page);
    await useEndpointByKeyboard(page, server.url);
    for (const text of ['First topic', 'Second topic']) {
      await page.keyboard.press(NEW_CHAT);
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await assistantMessages(page).filter({ hasText: 'Hi there.' }).waitFor();
      await stopButton(page).waitFor({ state: 'hidden' });
    }

    const nav = conversationList(page);
    await expect.poll(() => nav.isVisible()).toBe(false);
    await page.keyboard.press(SEARCH);
    await expectFocused(nav.getByRole('searchbox', { name: named('Search conversations') }), 'the search box');
    await page.keyboard.type('first');
    await tabTo(page, nav.getByRole('button', { name: named('First topic') }), 'the "First topic" conversation');
    await page.keyboard.press('Enter');
    await nav.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 1, name: named('First topic') }).waitFor();
    // Focus goes back to where it was before Ctrl+K opened the drawer.
    await expectFocused(messageBox(page), 'the message box');

    const menu = page.getByRole('button', { name: named('Conversations menu') });
    await tabTo(page, menu, 'the Conversations menu button', { backwards: true });
    await page.keyboard.press('Enter');
    await expectFocused(nav.getByRole('button', { name: named('New chat') }), 'New chat in the drawer');
    await page.keyboard.press('Escape');
    await nav.waitFor({ state: 'hidden' });
    await expectFocused(menu, 'the Conversations menu button');

    expect(await pointerEvents()).toBe(0);
  });
});
