// Shared steps of the conversations end-to-end tests (branches, tabs, search, backup), through roles and names only.
import type { Download, Locator, Page } from 'playwright-core';
import { conversationList, named, openSettings } from '../support/ui.js';

/** The titles in the conversation list, in order (the buttons named by a title, not their Rename/Delete). */
export async function listedTitles(page: Page): Promise<string[]> {
  const titles = conversationList(page)
    .getByRole('listitem')
    .getByRole('button', { name: /^(?!\s*(rename|delete)\s*$)/i });
  return (await titles.allTextContents()).map((title) => title.trim());
}

export interface BackupFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function jsonFile(name: string, content: unknown): BackupFile {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  return { name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') };
}

/** Settings → Import → the file chooser → `file`. Returns the open Settings dialog. */
export async function importFile(page: Page, file: BackupFile): Promise<Locator> {
  const dialog = await openSettings(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    dialog.getByRole('button', { name: named('Import') }).click(),
  ]);
  await chooser.setFiles(file);
  return dialog;
}

/** Settings → Export → the downloaded file's text. Leaves the dialog open. */
export async function exportAll(page: Page): Promise<{ download: Download; text: string }> {
  const dialog = await openSettings(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: named('Export') }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { download, text: Buffer.concat(chunks).toString('utf8') };
}

/** The focused element, through open shadow roots (document.activeElement stops at a host): tag, label, text. */
export function focusedElementInfo(page: Page): Promise<{ tag: string; label: string | null; text: string } | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return null;
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { tag: element.localName, label: element.getAttribute('aria-label'), text };
  });
}
