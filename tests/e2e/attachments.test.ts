// Attachments through the built app: "Attach file" (the file chooser), drop and paste, the chips and their Remove,
// the files shown on the message they were sent with and still read by the model, after a reload, after Undo last
// exchange and through a backup to a fresh browser (a kept file's original bytes too).
import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { freshSessionBeside } from '../support/browser.js';
import { openAppOnEndpoint, TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import {
  assistantMessages,
  closeSettings,
  conversationEntry,
  fillSettings,
  messageBox,
  named,
  openApp,
  openSettings,
  reloadApp,
  replyFinished,
  sendMessage,
  userMessages,
} from '../support/ui.js';
import { exportAll, importFile, jsonFile } from './conversations-support.js';
import {
  attachButton,
  attachFiles,
  filesOn,
  filesRead,
  lastUserTurn,
  textFile,
  waitingFiles,
} from './attachments-support.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Read', ' it', '.'] });

const RECIPE = textFile('recipe.md', '# Bread\n\nFlour, water, salt and time.\n', 'text/markdown');
const NOTES = textFile('notes.txt', 'Buy yeast on Friday.\n');

/** Imports the backup `text` into a fresh browser and opens its conversation `title` there. */
async function openInFreshBrowser(context: BrowserContext, text: string, title: string) {
  const fresh = await freshSessionBeside(context);
  try {
    await openApp(fresh.page, harness.appUrl);
    await importFile(fresh.page, jsonFile('backup.json', text));
    await closeSettings(fresh.page);
    await conversationEntry(fresh.page, title).click();
    await userMessages(fresh.page).first().waitFor();
    return fresh;
  } catch (error) {
    await fresh.close();
    throw error;
  }
}

describe('attachments', () => {
  it('attaches files with "Attach file", removes one with its Remove, and sends the rest with the message', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await expect.poll(() => attachButton(page).getAttribute('aria-describedby')).not.toBeNull();
    // Hosted on a local server: the notice names where the passages go, by its host.
    await page.getByText(`Passages you send go to ${new URL(server.url).host}.`).waitFor();
    // Kept as attached, so the sent file can be downloaded again after a reload.
    await (await openSettings(page)).getByRole('checkbox', { name: named('Keep original files') }).check();
    await closeSettings(page);

    await attachFiles(page, RECIPE, NOTES);
    await filesRead(page, 2);
    expect(await waitingFiles(page).allTextContents()).toEqual([
      expect.stringContaining('recipe.md'),
      expect.stringContaining('notes.txt'),
    ]);
    await waitingFiles(page)
      .filter({ hasText: 'notes.txt' })
      .getByRole('button', { name: named('Remove') })
      .click();
    await filesRead(page, 1);

    await sendMessage(page, 'How do I bake this?');
    await replyFinished(page, 1);
    expect(await waitingFiles(page).count()).toBe(0);
    await expect.poll(() => filesOn(userMessages(page).first())).toEqual([expect.stringContaining('recipe.md')]);
    const firstTurn = lastUserTurn(server.chatRequests()[0]?.body);
    expect(firstTurn).toContain('Flour, water, salt and time.');
    expect(firstTurn).not.toContain('Buy yeast on Friday.');

    // Stored with the conversation: still there after a reload.
    await reloadApp(page);
    await conversationEntry(page, 'How do I bake this?').click();
    await userMessages(page).first().waitFor();
    await expect.poll(() => filesOn(userMessages(page).first())).toEqual([expect.stringContaining('recipe.md')]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      userMessages(page)
        .first()
        .getByRole('link', { name: named('Download recipe.md') })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe('recipe.md');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(RECIPE.buffer);
    // And still what the model reads: a follow-up question gets the file again, from storage.
    await sendMessage(page, 'And how much salt?');
    await replyFinished(page, 2);
    expect(lastUserTurn(server.chatRequests().at(-1)?.body)).toContain('Flour, water, salt and time.');
  });

  it('attaches a file dropped on the message box and one pasted into it', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    const transfer = (name: string, text: string) =>
      page.evaluateHandle(
        ([fileName, content]) => {
          const data = new DataTransfer();
          data.items.add(new File([content], fileName, { type: 'text/plain' }));
          return data;
        },
        [name, text] as const,
      );
    const box = messageBox(page);
    await box.dispatchEvent('dragover', { dataTransfer: await transfer('dropped.txt', 'Dropped words.') });
    await box.dispatchEvent('drop', { dataTransfer: await transfer('dropped.txt', 'Dropped words.') });
    await filesRead(page, 1);
    // Playwright dispatches drag events with their data, not clipboard events: the page makes this one.
    const clipboard = await transfer('pasted.txt', 'Pasted words.');
    await box.evaluate((textarea, clipboardData) => {
      textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, clipboard);
    await filesRead(page, 2);
    expect(await waitingFiles(page).allTextContents()).toEqual([
      expect.stringContaining('dropped.txt'),
      expect.stringContaining('pasted.txt'),
    ]);
    await sendMessage(page, 'What did I give you?');
    await replyFinished(page, 1);
    const turn = lastUserTurn(server.chatRequests()[0]?.body);
    expect(turn).toContain('Dropped words.');
    expect(turn).toContain('Pasted words.');
  });

  it('puts a question’s files back in the message box with Undo last exchange, and sends them again', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await attachFiles(page, RECIPE);
    await filesRead(page, 1);
    await sendMessage(page, 'How do I bake this?');
    await replyFinished(page, 1);

    await assistantMessages(page)
      .last()
      .getByRole('button', { name: named('Undo last exchange') })
      .click();
    await expect.poll(() => messageBox(page).inputValue()).toBe('How do I bake this?');
    await filesRead(page, 1);
    expect(await waitingFiles(page).allTextContents()).toEqual([expect.stringContaining('recipe.md')]);

    await messageBox(page).press('Enter');
    await replyFinished(page, 1);
    expect(await userMessages(page).count()).toBe(1);
    await expect.poll(() => filesOn(userMessages(page).first())).toEqual([expect.stringContaining('recipe.md')]);
    expect(lastUserTurn(server.chatRequests().at(-1)?.body)).toContain('Flour, water, salt and time.');
  });

  it('carries a kept file’s original bytes through a backup: Download in the fresh browser gives them back', async () => {
    const { page, context } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await (await openSettings(page)).getByRole('checkbox', { name: named('Keep original files') }).check();
    await closeSettings(page);
    // Bytes a text reading would not give back as they were: a byte-order mark, accents and Windows line ends.
    const original = { name: 'menu.txt', mimeType: 'text/plain', buffer: Buffer.from('\uFEFFCafé crème\r\nPão\r\n') };
    await attachFiles(page, original);
    await filesRead(page, 1);
    await sendMessage(page, 'Keep this menu');
    await replyFinished(page, 1);

    const { text } = await exportAll(page);
    const backup = JSON.parse(text) as { attachments?: { name: string; bytes?: string }[] };
    expect(backup.attachments?.map(({ name, bytes }) => ({ name, bytes }))).toEqual([
      { name: 'menu.txt', bytes: original.buffer.toString('base64') },
    ]);
    await closeSettings(page);

    const fresh = await openInFreshBrowser(context, text, 'Keep this menu');
    try {
      const [download] = await Promise.all([
        fresh.page.waitForEvent('download'),
        userMessages(fresh.page)
          .first()
          .getByRole('link', { name: named('Download menu.txt') })
          .click(),
      ]);
      expect(download.suggestedFilename()).toBe('menu.txt');
      const chunks: Buffer[] = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(original.buffer);
      expect(fresh.blockedUrls).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('moves a conversation’s files to a fresh browser through Export and Import', async () => {
    const { page, context } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await attachFiles(page, RECIPE);
    await filesRead(page, 1);
    await sendMessage(page, 'Keep this recipe');
    await replyFinished(page, 1);

    const { text } = await exportAll(page);
    const backup = JSON.parse(text) as { attachments?: { name: string; bytes?: string }[] };
    // Keep original files is off: the file travels as its text, without its bytes.
    expect(backup.attachments?.map(({ name, bytes }) => ({ name, bytes }))).toEqual([
      { name: 'recipe.md', bytes: undefined },
    ]);
    await closeSettings(page);

    const fresh = await openInFreshBrowser(context, text, 'Keep this recipe');
    try {
      await expect
        .poll(() => filesOn(userMessages(fresh.page).first()))
        .toEqual([expect.stringContaining('recipe.md')]);
      expect(
        await userMessages(fresh.page)
          .first()
          .getByRole('link', { name: named('Download recipe.md') })
          .count(),
      ).toBe(0);
      // The imported file is the model's to read in the fresh browser too.
      await fillSettings(fresh.page, { engine: 'Hugging Face API', hfToken: TEST_HF_TOKEN, endpointUrl: server.url });
      await sendMessage(fresh.page, 'What does it need?');
      await replyFinished(fresh.page, 2);
      expect(lastUserTurn(server.chatRequests().at(-1)?.body)).toContain('Flour, water, salt and time.');
      await messageBox(fresh.page).waitFor();
      expect(fresh.blockedUrls).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
