// Backup through the real UI: Settings → Export (a download) and Import (a file chooser). A broken or foreign file
// changes nothing and says why; a backup moves every conversation to a fresh browser and never carries the token;
// hostile text inside a backup stays inert once imported.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_CORPUS } from '../fixtures/hostile-corpus.js';
import { freshSessionBeside } from '../support/browser.js';
import { openAppOnEndpoint, TEST_HF_TOKEN, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import {
  assistantMessages,
  closeSettings,
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
import { exportAll, importFile, jsonFile, listedTitles } from './conversations-support.js';
import { activeContentOf, exfiltrationRequests, installPageProbe, sampleOfEveryClass } from './hostile-support.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Sure', ', here', ' it is.'] });

async function twoConversations(page: Page): Promise<void> {
  await sendMessage(page, 'Packing list for Iceland');
  await replyFinished(page, 1);
  await sendMessage(page, 'And for a week in July?');
  await replyFinished(page, 2);
  await page.getByRole('button', { name: named('New chat') }).click();
  await sendMessage(page, 'Sourdough starter tips');
  await replyFinished(page, 1);
}

/** A backup as the app writes it (version 1), of one conversation alternating user and assistant messages. */
function backupOf(title: string, contents: readonly string[]) {
  const start = Date.UTC(2025, 4, 1);
  const messages = contents.map((content, index) => ({
    id: `m${index}`,
    conversationId: 'imported',
    parentId: index === 0 ? null : `m${index - 1}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content,
    createdAt: start + index * 1000,
    updatedAt: start + index * 1000,
    status: 'complete',
    ...(index % 2 === 1 ? { engine: 'hosted', model: 'mistralai/Mistral-7B-Instruct-v0.3' } : {}),
  }));
  return {
    format: 'private-mistral-chat',
    version: 1,
    exportedAt: new Date(start + 60_000).toISOString(),
    conversations: [
      {
        id: 'imported',
        title,
        createdAt: start,
        updatedAt: start + contents.length * 1000,
        activeLeafId: `m${contents.length - 1}`,
      },
    ],
    messages,
  };
}

describe('import', () => {
  it('refuses a broken, a foreign and a newer backup with an alert that says so, and changes nothing', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await twoConversations(page);
    const before = await listedTitles(page);
    expect(before).toHaveLength(2);

    const cases = [
      { file: jsonFile('notes.json', '{"conversations": [ oops'), says: /not JSON|not complete JSON|damaged/i },
      {
        file: jsonFile('package.json', { name: 'something', version: '1.0.0' }),
        says: /not a Private Mistral Chat backup/i,
      },
      {
        file: jsonFile('future.json', { ...backupOf('From the future', ['Hi', 'Hello']), version: 99 }),
        says: /newer version of the app/i,
      },
    ];
    for (const { file, says } of cases) {
      const dialog = await importFile(page, file);
      const alert = dialog.getByRole('alert');
      await alert.filter({ hasText: says }).waitFor();
      expect(await alert.textContent(), file.name).toMatch(/nothing was imported|Reload the app/i);
      await closeSettings(page);
      expect(await listedTitles(page), file.name).toEqual(before);
    }
    expect(await conversationEntry(page, 'From the future').count()).toBe(0);
  });

  it('moves every conversation to a fresh browser through Export and Import, without the token', async () => {
    const { page, context } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await twoConversations(page);
    const titles = await listedTitles(page);

    const { download, text } = await exportAll(page);
    expect(download.suggestedFilename()).toMatch(/^private-mistral-chat-\d{4}-\d{2}-\d{2}\.json$/);
    expect(text).not.toContain(TEST_HF_TOKEN);
    expect(text).not.toContain('hf_');
    const backup = JSON.parse(text) as { conversations: unknown[]; messages: unknown[] };
    expect(backup.conversations).toHaveLength(2);
    expect(backup.messages).toHaveLength(6);
    await closeSettings(page);

    const fresh = await freshSessionBeside(context);
    try {
      await openApp(fresh.page, harness.appUrl);
      expect(await listedTitles(fresh.page)).toEqual([]);
      const dialog = await importFile(fresh.page, jsonFile('backup.json', text));
      await dialog.getByText('Imported 2 conversations (6 messages).').waitFor();
      await closeSettings(fresh.page);
      expect(await listedTitles(fresh.page)).toEqual(titles);

      await conversationEntry(fresh.page, 'Packing list for Iceland').click();
      await userMessages(fresh.page).filter({ hasText: 'And for a week in July?' }).waitFor();
      const userTexts = await Promise.all((await userMessages(fresh.page).all()).map((message) => flatText(message)));
      expect(userTexts.map((message) => message.trim())).toEqual([
        'Packing list for Iceland',
        'And for a week in July?',
      ]);
      expect(await assistantMessages(fresh.page).count()).toBe(2);
      expect(await flatText(assistantMessages(fresh.page).last())).toContain('Sure, here it is.');
      expect(fresh.blockedUrls).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('keeps hostile text in an imported backup inert: nothing runs, nothing is fetched', async () => {
    const { page, requests } = harness.session();
    await installPageProbe(page);
    await openApp(page, harness.appUrl);
    const sample = sampleOfEveryClass(2);
    const classes = new Set(sample.map((entry) => entry.class));
    expect(classes.size).toBe(new Set(HOSTILE_CORPUS.map((entry) => entry.class)).size);
    // Each input twice: as the user's words and as a reply (the reply is rendered as Markdown), after a plain
    // question and reply to compare them with, and before a plain last exchange (which alone offers "Undo last
    // exchange").
    const contents = [
      'A plain question',
      'A plain reply.',
      ...sample.flatMap((entry) => [entry.input, entry.input]),
      'A last plain question',
      'A last plain reply.',
    ];
    const title = '<img src=x onerror=__pwned()> Hostile import';

    const dialog = await importFile(page, jsonFile('hostile.json', backupOf(title, contents)));
    await dialog.getByText(`Imported 1 conversation (${contents.length} messages).`).waitFor();
    await closeSettings(page);
    await conversationEntry(page, 'Hostile import').click();
    await assistantMessages(page)
      .nth(sample.length + 1)
      .waitFor();
    expect(await userMessages(page).count()).toBe(sample.length + 2);

    // Every message shows what the plain one of its role shows (the app's own controls: see activeContentOf).
    for (const messages of [userMessages(page), assistantMessages(page)]) {
      const [plain, ...others] = await activeContentOf(messages);
      const hostile = others.slice(0, -1);
      expect(plain).toBeDefined();
      expect(hostile).toHaveLength(sample.length);
      for (const found of hostile) expect(found).toEqual(plain);
    }
    expect(await page.evaluate(() => window.__pwnedCalls ?? -1)).toBe(0);
    expect(await page.evaluate(() => window.__violations ?? [])).toEqual([]);
    expect(await flatText(userMessages(page).nth(1))).toContain(sample[0]!.input.trim());

    // The hostile title, in the list and in search results with their highlights, is text too.
    const entry = conversationEntry(page, 'Hostile import');
    expect(await entry.evaluate((button) => button.children.length)).toBe(0);
    await page.getByRole('searchbox', { name: named('Search conversations') }).fill('pwned');
    const results = conversationList(page).getByRole('list', { name: named('Search results') });
    await highlights(results).first().waitFor();
    // The found conversation's title and its lines of matching text (not the app's own Rename and Delete icons).
    const found = results
      .getByRole('button', { name: /Hostile import/ })
      .or(results.getByRole('listitem').getByRole('paragraph'));
    expect(await found.count()).toBe(2);
    const inResults = await found.evaluateAll((elements) =>
      elements.flatMap((element) => window.__findActiveContent?.(element) ?? ['no check']),
    );
    expect(inResults).toEqual([]);
    expect(await highlights(results).allTextContents()).toContain('pwned');

    expect(await page.evaluate(() => window.__pwnedCalls)).toBe(0);
    expect(exfiltrationRequests(requests)).toEqual([]);
    await messageBox(page).waitFor();
    expect(await transcript(page).count()).toBe(1);
  });
});
