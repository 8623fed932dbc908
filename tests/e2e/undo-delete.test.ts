// Undo last exchange (the question back in the box, as Gradio does) and Delete of a message with its branch, each
// undoable for a few seconds, and what a reload finds after.
import { describe, expect, it } from 'vitest';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import {
  assistantMessages,
  flatText,
  messageBox,
  named,
  reloadApp,
  replyFinished,
  sendMessage,
  transcript,
  userMessages,
} from '../support/ui.js';
import { focusedElementInfo } from './conversations-support.js';

const harness = useAppSessions();
const server = useLocalSseServer();

/** The texts of the transcript's messages, in order, spaces collapsed (the buttons around them change, not this). */
async function shownTexts(page: Parameters<typeof transcript>[0]): Promise<string[]> {
  const articles = transcript(page).getByRole('article');
  const texts: string[] = [];
  for (let index = 0; index < (await articles.count()); index++) {
    texts.push((await flatText(articles.nth(index))).replace(/\s+/g, ' ').trim());
  }
  return texts;
}

describe('Undo last exchange', () => {
  it('puts the question back in the box, the transcript loses both messages, Undo brings them back, and a reload agrees', async () => {
    const { page } = harness.session();
    // 400 ms apart: the stream outlasts the check below by over a second even on a loaded machine.
    server.configure({ tokens: ['Alfama', ' first,', ' then', ' Belém.'], tokenDelayMs: 400 });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Three days in Lisbon?');

    // While the reply streams, nothing takes the exchange back (Stop comes first).
    await assistantMessages(page).first().filter({ hasText: 'Alfama' }).waitFor();
    expect(
      await transcript(page)
        .getByRole('button', { name: named('Undo last exchange') })
        .count(),
    ).toBe(0);
    await replyFinished(page, 1);

    const undoExchange = assistantMessages(page)
      .last()
      .getByRole('button', { name: named('Undo last exchange') });
    await undoExchange.click();
    // The offer lapses after a few seconds: find it first, then check what the take-back did.
    await page.getByText('Last exchange taken back (2 messages).').waitFor();
    await expect.poll(() => messageBox(page).inputValue()).toBe('Three days in Lisbon?');
    await expect.poll(() => transcript(page).getByRole('article').count()).toBe(0);
    expect(await focusedElementInfo(page)).toMatchObject({ tag: 'textarea', label: 'Message' });
    await page.getByRole('button', { name: named('Undo') }).click();
    await expect.poll(() => transcript(page).getByRole('article').count()).toBe(2);
    expect(await flatText(userMessages(page).first())).toContain('Three days in Lisbon?');
    expect(await flatText(assistantMessages(page).first())).toContain('Alfama first, then Belém.');
    await expect.poll(() => messageBox(page).inputValue()).toBe('');

    await reloadApp(page);
    await expect.poll(() => transcript(page).getByRole('article').count()).toBe(2);

    await assistantMessages(page)
      .last()
      .getByRole('button', { name: named('Undo last exchange') })
      .click();
    await expect.poll(() => messageBox(page).inputValue()).toBe('Three days in Lisbon?');
    await reloadApp(page);
    await expect.poll(() => messageBox(page).inputValue()).toBe('Three days in Lisbon?');
    expect(await transcript(page).getByRole('article').count()).toBe(0);
  });
});

describe('Delete on a message', () => {
  it('deletes a middle message with the branch below it after a confirmation; Undo and a reload agree', async () => {
    const { page } = harness.session();
    server.configure({ tokens: ['Alfama', ' first.'] });
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await sendMessage(page, 'Three days in Lisbon?');
    await replyFinished(page, 1);
    server.configure({ tokens: ['The', ' Ribeira.'] });
    await sendMessage(page, 'And Porto?');
    await replyFinished(page, 2);
    const before = await shownTexts(page);
    expect(before).toHaveLength(4);

    const middle = assistantMessages(page).first();
    await middle.getByRole('button', { name: named('Delete') }).click();
    const confirm = middle.getByRole('group', {
      name: named('Delete this message and the 2 below it? 3 messages go, other branches included.'),
    });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: named('Delete 3 messages') }).click();
    // The offer lapses after a few seconds: find it first, then check what the deletion did.
    await page.getByText('3 messages deleted.').waitFor();
    await expect.poll(() => shownTexts(page)).toEqual(before.slice(0, 1));
    await page.getByRole('button', { name: named('Undo') }).click();
    await expect.poll(() => shownTexts(page)).toEqual(before);

    await assistantMessages(page)
      .first()
      .getByRole('button', { name: named('Delete') })
      .click();
    await page.getByRole('button', { name: named('Delete 3 messages') }).click();
    await expect.poll(() => shownTexts(page)).toEqual(before.slice(0, 1));
    await reloadApp(page);
    await expect.poll(() => shownTexts(page)).toEqual(before.slice(0, 1));
  });
});
