// Conversations that never lose a word: a reply cut off by a closed page, edits and regenerations kept as branches
// across reloads.
import { describe, expect, it } from 'vitest';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { numberedTokens, numbersIn } from '../support/sse-server.js';
import {
  assistantMessages,
  flatText,
  messageBox,
  named,
  reloadApp,
  replyFinished,
  sendMessage,
  settled,
  transcript,
  userMessages,
} from '../support/ui.js';

const harness = useAppSessions();
const server = useLocalSseServer();

describe('a page closed mid-stream', () => {
  it('keeps the text shown a second before, marked interrupted, with Continue and Regenerate', async () => {
    const { page, context } = harness.session();
    server.configure({ tokens: numberedTokens(400), tokenDelayMs: 40 });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Count slowly to four hundred');
    const streaming = assistantMessages(page).last();
    await streaming.filter({ hasText: '[5]' }).waitFor();
    await page.waitForTimeout(1_000);
    const shownBefore = numbersIn(await flatText(streaming));
    expect(shownBefore.length).toBeGreaterThan(5);

    await page.close({ runBeforeUnload: true });
    const reopened = await context.newPage();
    await reopened.goto(harness.appUrl);
    await messageBox(reopened).waitFor();

    const reply = assistantMessages(reopened).last();
    // A reply nobody writes any more is shown as interrupted (after a few seconds of silence, as another tab could
    // still be writing it).
    await reply.getByText('Interrupted', { exact: true }).waitFor();
    const kept = numbersIn(await flatText(reply));
    expect(kept.slice(0, shownBefore.length)).toEqual(shownBefore);
    expect(kept.length).toBeLessThan(400);
    await reply.getByRole('button', { name: named('Continue') }).waitFor();
    await reply.getByRole('button', { name: named('Regenerate') }).waitFor();
    expect(await userMessages(reopened).count()).toBe(1);
  });
});

describe('a message typed and not sent', () => {
  it('is back in the box after the page is closed, in its conversation, and not in another', async () => {
    const { page, context } = harness.session();
    server.configure({ tokens: ['Lisbon', ' first.'] });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Where should I go in May?');
    await replyFinished(page, 1);
    await messageBox(page).fill('And what about the trams in');

    await page.close({ runBeforeUnload: true });
    const reopened = await context.newPage();
    await reopened.goto(harness.appUrl);
    await expect.poll(() => messageBox(reopened).inputValue()).toBe('And what about the trams in');

    await reopened.getByRole('button', { name: named('New chat') }).click();
    await expect.poll(() => messageBox(reopened).inputValue()).toBe('');
    await reopened.getByRole('button', { name: named('Where should I go in May?') }).click();
    await expect.poll(() => messageBox(reopened).inputValue()).toBe('And what about the trams in');
  });
});

describe('branches', () => {
  it('an edit makes a new branch, "2 / 2", the first still reachable, and both survive a reload', async () => {
    const { page } = harness.session();
    server.configure({ tokens: ['Lisbon', ' first.'] });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Where should I go in May?');
    await replyFinished(page, 1);

    server.configure({ tokens: ['Porto', ' instead.'] });
    const question = userMessages(page).first();
    await question.getByRole('button', { name: named('Edit') }).click();
    const editor = question.getByRole('textbox', { name: named('Edit message') });
    await editor.fill('Where should I go in June?');
    await question.getByRole('button', { name: named('Save') }).click();
    await settled(assistantMessages(page).filter({ hasText: 'Porto instead.' }));

    const log = transcript(page);
    await log.getByText('2 / 2', { exact: true }).waitFor();
    expect(await flatText(userMessages(page).first())).toContain('June');
    expect(server.chatRequests().at(-1)?.body).toMatchObject({
      messages: expect.arrayContaining([expect.objectContaining({ content: 'Where should I go in June?' })]),
    });

    await userMessages(page)
      .first()
      .getByRole('button', { name: named('Previous alternative') })
      .click();
    await log.getByText('1 / 2', { exact: true }).waitFor();
    await assistantMessages(page).filter({ hasText: 'Lisbon first.' }).waitFor();
    expect(await flatText(userMessages(page).first())).toContain('May');

    await reloadApp(page);
    await transcript(page).getByText('1 / 2', { exact: true }).waitFor();
    await assistantMessages(page).filter({ hasText: 'Lisbon first.' }).waitFor();
    await userMessages(page)
      .first()
      .getByRole('button', { name: named('Next alternative') })
      .click();
    await transcript(page).getByText('2 / 2', { exact: true }).waitFor();
    await assistantMessages(page).filter({ hasText: 'Porto instead.' }).waitFor();
    expect(await flatText(userMessages(page).first())).toContain('June');
  });

  it('Regenerate keeps the first reply as an alternative', async () => {
    const { page } = harness.session();
    server.configure({ tokens: ['One', ' answer.'] });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Tell me something');
    await replyFinished(page, 1);

    server.configure({ tokens: ['Another', ' answer.'] });
    await assistantMessages(page)
      .first()
      .getByRole('button', { name: named('Regenerate') })
      .click();
    await settled(assistantMessages(page).filter({ hasText: 'Another answer.' }));
    await transcript(page).getByText('2 / 2', { exact: true }).waitFor();

    await reloadApp(page);
    await assistantMessages(page).filter({ hasText: 'Another answer.' }).waitFor();
    await assistantMessages(page)
      .first()
      .getByRole('button', { name: named('Previous alternative') })
      .click();
    await assistantMessages(page).filter({ hasText: 'One answer.' }).waitFor();
    expect(await assistantMessages(page).count()).toBe(1);
  });
});
