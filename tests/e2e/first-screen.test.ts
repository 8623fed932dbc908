// The first screen is drawn from the localStorage snapshot before the session's code loads and IndexedDB opens; a
// damaged or forged snapshot is ignored or shown as plain text, and storage's answer always wins.
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import {
  alerts,
  conversationEntry,
  messageBox,
  named,
  replyFinished,
  sendMessage,
  userMessages,
} from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer();
const SNAPSHOT_KEY = 'mc-first-screen';
const TITLE = 'Where should I go in May?';

/** Holds back the session's code (and with it IndexedDB): what shows meanwhile is the first screen alone. */
async function holdSession(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  await page.route('**/assets/session-boot-*.js', (route) => void held.push(route));
  return async () => {
    await Promise.all(held.splice(0).map((route) => route.continue()));
    await page.unroute('**/assets/session-boot-*.js');
  };
}

describe('the first screen', () => {
  it('shows the conversation list and the open conversation’s title before IndexedDB opens', async () => {
    const { page, context } = harness.session();
    server.configure({ tokens: ['Lisbon', ' first.'] });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, TITLE);
    await replyFinished(page, 1);
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', SNAPSHOT_KEY)).toContain(TITLE);
    await page.close();

    const reopened = await context.newPage();
    const release = await holdSession(reopened);
    await reopened.goto(harness.appUrl);
    await conversationEntry(reopened, TITLE).waitFor();
    await reopened.getByRole('heading', { name: named(TITLE) }).waitFor();
    expect(await userMessages(reopened).count()).toBe(0);

    await release();
    await userMessages(reopened).filter({ hasText: TITLE }).waitFor();
  });

  it('ignores a damaged snapshot, shows a forged title as text, and lets storage’s answer replace it', async () => {
    const { page } = harness.session();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const forged = JSON.stringify({
      v: 1,
      conversations: [{ id: 'forged', title: '<img src=x onerror="window.mcPwned=1">', updatedAt: 1 }],
      open: 'forged',
    });
    for (const stored of ['{not json', JSON.stringify({ v: 1, conversations: 'all' }), 'x'.repeat(20_000), forged]) {
      await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [SNAPSHOT_KEY, stored] as const);
      const release = await holdSession(page);
      await page.goto(harness.appUrl);
      if (stored === forged) await conversationEntry(page, '<img src=x').waitFor();
      await release();
      await messageBox(page).waitFor();
      // This profile has no conversation stored: whatever the snapshot said is gone once storage has answered.
      await expect.poll(() => conversationEntry(page, '<img').count()).toBe(0);
    }
    expect(await page.evaluate(() => 'mcPwned' in window)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('where IndexedDB is refused, says so, still opens, and leaves no snapshot of conversations it cannot keep', async () => {
    const { page } = harness.session();
    await page.addInitScript((key) => {
      localStorage.setItem(
        key,
        JSON.stringify({ v: 1, conversations: [{ id: 'old', title: 'Old', updatedAt: 1 }], open: null }),
      );
      IDBFactory.prototype.open = () => {
        throw new DOMException('IndexedDB is turned off', 'SecurityError');
      };
    }, SNAPSHOT_KEY);
    await page.goto(harness.appUrl);
    await alerts(page)
      .filter({ hasText: /lost when the tab closes/i })
      .waitFor();
    await messageBox(page).waitFor();
    await expect.poll(() => conversationEntry(page, 'Old').count()).toBe(0);
    expect(await page.evaluate((key) => localStorage.getItem(key), SNAPSHOT_KEY)).toBeNull();
  });
});
