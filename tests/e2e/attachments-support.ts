// Shared steps of the attachments end-to-end tests: attaching files through "Attach file" (the file chooser), and
// reading the chips, the notice and a reply's sources back, through roles and names only.
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { named } from '../support/ui.js';

export interface FileInput {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function textFile(name: string, text: string, mimeType = 'text/plain'): FileInput {
  return { name, mimeType, buffer: Buffer.from(text, 'utf8') };
}

/** A file of the attachment corpus (tests/fixtures/attachments/), as a browser would report it. */
export async function corpusFile(name: string, mimeType: string): Promise<FileInput> {
  const buffer = await readFile(new URL(`../fixtures/attachments/${name}`, import.meta.url));
  return { name, mimeType, buffer };
}

export function attachButton(page: Page): Locator {
  return page.getByRole('button', { name: named('Attach file') });
}

/** "Attach file" → the file chooser → `files`. */
export async function attachFiles(page: Page, ...files: FileInput[]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), attachButton(page).click()]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(files);
}

/** The chips of the files waiting in the message box: those with a Remove (a sent message's files have none). */
export function waitingFiles(page: Page): Locator {
  return page
    .getByRole('list', { name: named('Attachments') })
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: named('Remove') }) });
}

/** Waits until every file waiting in the message box has been read ("Send" is enabled again once text is typed). */
export async function filesRead(page: Page, count: number): Promise<void> {
  await expect.poll(() => waitingFiles(page).count()).toBe(count);
  await expect
    .poll(() =>
      waitingFiles(page)
        .filter({ hasText: /Reading…/ })
        .count(),
    )
    .toBe(0);
}

/** The chips' text ("notes.md 2 KB") of the files shown on `message` (an article), in order. */
export async function filesOn(message: Locator): Promise<string[]> {
  const chips = message.getByRole('list', { name: named('Attachments') }).getByRole('listitem');
  return (await chips.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The question's turn of a chat request the local server received: where the files go. */
export function lastUserTurn(body: unknown): string {
  const { messages } = body as { messages: { role: string; content: string }[] };
  return messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
}
