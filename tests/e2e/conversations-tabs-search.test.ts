// Two tabs kept in step without a reload, and search across every conversation's text.
import { describe, expect, it } from 'vitest';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import {
  conversationEntry,
  conversationList,
  flatText,
  highlights,
  messageBox,
  named,
  openApp,
  replyFinished,
  sendMessage,
  transcript,
  userMessages,
} from '../support/ui.js';
import { focusedElementInfo } from './conversations-support.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Noted', '.'] });

/** Changes in another tab arrive through storage notices: no test here waits longer than this for one. */
const OTHER_TAB_MS = 5_000;

describe('two tabs of the app', () => {
  it('show what the other sends and renames, without a reload', async () => {
    const { page: tabA, context } = harness.session();
    await openAppOnEndpoint(tabA, harness.appUrl, server.url);
    const tabB = await context.newPage();
    await openApp(tabB, harness.appUrl);

    await sendMessage(tabA, 'Plan a weekend in Ghent');
    await replyFinished(tabA, 1);
    const entryInB = conversationEntry(tabB, 'Plan a weekend in Ghent');
    await entryInB.waitFor({ timeout: OTHER_TAB_MS });
    await entryInB.click();
    await userMessages(tabB).filter({ hasText: 'Plan a weekend in Ghent' }).waitFor();

    await sendMessage(tabA, 'Add a day in Bruges');
    await userMessages(tabB).filter({ hasText: 'Add a day in Bruges' }).waitFor({ timeout: OTHER_TAB_MS });
    await replyFinished(tabA, 2);
    await transcript(tabB)
      .getByRole('article', { name: /^Assistant/ })
      .nth(1)
      .filter({ hasText: 'Noted.' })
      .waitFor({ timeout: OTHER_TAB_MS });

    const item = conversationList(tabB).getByRole('listitem').filter({ hasText: 'Plan a weekend in Ghent' });
    await item.getByRole('button', { name: named('Rename') }).click();
    const title = conversationList(tabB).getByRole('textbox', { name: named('Title') });
    await title.fill('Belgium trip');
    await title.press('Enter');
    await conversationEntry(tabA, 'Belgium trip').waitFor({ timeout: OTHER_TAB_MS });
    expect(await tabA.getByRole('heading', { level: 1 }).textContent()).toContain('Belgium trip');
  });
});

describe('search', () => {
  it('finds a message in another conversation whatever the case and accents, marks it, and opens at it', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Desserts for Sunday');
    await replyFinished(page, 1);
    await sendMessage(page, 'How long does a CRÈME Brûlée need in the oven?');
    await replyFinished(page, 2);
    for (let i = 0; i < 6; i++) {
      await sendMessage(page, `Filler question ${i}`);
      await replyFinished(page, 3 + i);
    }

    await page.getByRole('button', { name: named('New chat') }).click();
    await sendMessage(page, 'Something else entirely');
    await replyFinished(page, 1);

    const search = page.getByRole('searchbox', { name: named('Search conversations') });
    await search.fill('creme brulee');
    const results = conversationList(page).getByRole('list', { name: named('Search results') });
    const result = results.getByRole('listitem').filter({ hasText: 'Desserts for Sunday' });
    await result.getByText('How long does a CRÈME Brûlée need in the oven?').waitFor();
    expect(await highlights(result).allTextContents()).toEqual(['CRÈME', 'Brûlée']);
    expect(await results.getByRole('listitem').count()).toBe(1);

    await result.getByRole('button', { name: named('Desserts for Sunday') }).click();
    await page.getByRole('heading', { level: 1, name: 'Desserts for Sunday' }).waitFor();
    const found = userMessages(page).filter({ hasText: 'CRÈME Brûlée' });
    await found.waitFor();
    // Focus is on the message the result led to, and it is in view.
    await expect
      .poll(() => focusedElementInfo(page))
      .toMatchObject({ tag: 'article', label: 'You', text: expect.stringContaining('CRÈME Brûlée') });
    const inView = await found.evaluate((element) => {
      const { top, bottom } = element.getBoundingClientRect();
      return top >= 0 && bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    expect(await flatText(found)).toContain('How long does a CRÈME Brûlée need in the oven?');
    await messageBox(page).waitFor();
  });
});
