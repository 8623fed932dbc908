import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-backup-panel.js';
import type { StorageState } from '../../../src/state/app-state.js';
import { mount } from './fixtures.js';

const MEASURED: StorageState = {
  usage: {
    conversationsBytes: 3.4 * 1024 ** 2,
    conversationCount: 12,
    messageCount: 1_340,
    attachmentCount: 0,
    attachmentsBytes: 0,
    indexedDbBytes: 4 * 1024 ** 2,
    modelsBytes: 4.27 * 1024 ** 3,
    totalUsage: 4.3 * 1024 ** 3,
    quota: 120 * 1024 ** 3,
    persisted: true,
  },
  persisted: true,
  measuring: false,
};

async function panel(storage: StorageState = MEASURED, conversationId: string | null = 'c1') {
  const element = document.createElement('mc-backup-panel');
  element.storage = storage;
  element.conversationId = conversationId;
  await mount(element);
  return element;
}

/** What the panel lists under Storage, as "term: description" lines. */
function usageLines(element: HTMLElement): string[] {
  const terms = [...element.shadowRoot!.querySelectorAll('dt')];
  return terms.map((term) => `${term.textContent?.trim()}: ${term.nextElementSibling?.textContent?.trim()}`);
}

describe('mc-backup-panel', () => {
  it('asks to export everything and the open conversation', async () => {
    const element = await panel();
    const exported = vi.fn();
    const exportedOne = vi.fn<(id: string) => void>();
    element.addEventListener('mc-export-all', exported);
    element.addEventListener('mc-export-conversation', (event) => exportedOne(event.detail.id));
    await userEvent.click(page.getByRole('button', { name: 'Export', exact: true }));
    await userEvent.click(page.getByRole('button', { name: 'Download this conversation as Markdown' }));
    expect(exported).toHaveBeenCalledOnce();
    expect(exportedOne).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('offers the Markdown download only with a conversation open', async () => {
    await panel(MEASURED, null);
    await expect.element(page.getByRole('button', { name: 'Export', exact: true })).toBeVisible();
    await expect
      .element(page.getByRole('button', { name: 'Download this conversation as Markdown' }))
      .not.toBeInTheDocument();
  });

  it('Import opens a chooser for JSON files and hands over the file chosen', async () => {
    const element = await panel();
    const imported = vi.fn<(file: File) => void>();
    element.addEventListener('mc-import-backup', (event) => imported(event.detail.file));
    const input = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(input.accept).toBe('application/json,.json');
    const opened = vi.fn();
    input.addEventListener('click', (event) => {
      opened();
      // No native chooser in a test: what a user would pick goes straight in.
      event.preventDefault();
      const files = new DataTransfer();
      files.items.add(new File(['{}'], 'backup.json', { type: 'application/json' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
    });

    await userEvent.click(page.getByRole('button', { name: 'Import', exact: true }));
    expect(opened).toHaveBeenCalledOnce();
    expect(imported).toHaveBeenCalledOnce();
    expect(imported.mock.calls[0]![0].name).toBe('backup.json');
    // Choosing the same file again must count as a new choice.
    expect(input.value).toBe('');
  });

  it('shows what conversations and models take, apart, and whether the browser keeps the data', async () => {
    const element = await panel();
    expect(usageLines(element)).toEqual([
      'Conversations: 12 conversations, 1,340 messages · about 3.4 MB',
      'Downloaded models: 4.27 GB',
      'All site data: 4.3 GB of 120 GB allowed',
      'Kept when space runs low: Yes: the browser will not clear it to make room.',
    ]);
    expect((await axe.run(element)).violations).toEqual([]);

    element.storage = {
      usage: { ...MEASURED.usage!, modelsBytes: null, totalUsage: null, quota: null, persisted: false },
      persisted: false,
      measuring: false,
    };
    await element.updateComplete;
    expect(usageLines(element).slice(1)).toEqual([
      'Downloaded models: This browser does not say.',
      'All site data: This browser does not say.',
      'Kept when space runs low: No: the browser may clear it when the disk is nearly full. Export a backup to be safe.',
    ]);
  });

  it('says it is measuring until the first figures come', async () => {
    await panel({ usage: null, persisted: null, measuring: true });
    await expect.element(page.getByText('Measuring…')).toBeVisible();
  });

  it('shows a failed import as an alert and progress politely, and waits while one runs', async () => {
    const element = await panel();
    element.report = { kind: 'working', message: 'Importing backup.json…' };
    await element.updateComplete;
    await expect.element(page.getByText('Importing backup.json…')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await expect.element(page.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();

    element.report = { kind: 'failed', message: 'This file is not a Private Mistral Chat backup.' };
    await element.updateComplete;
    await expect.element(page.getByRole('alert')).toHaveTextContent('This file is not a Private Mistral Chat backup.');
    await expect.element(page.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();

    element.report = { kind: 'done', message: 'Imported 3 conversations (120 messages).' };
    await element.updateComplete;
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
    const polite = element.shadowRoot!.querySelector('[aria-live="polite"]');
    expect(polite?.textContent?.trim()).toBe('Imported 3 conversations (120 messages).');
  });

  it('offers "Keep original files", off by default, described, and says when it is toggled', async () => {
    const element = await panel();
    const changes = vi.fn();
    element.addEventListener('mc-settings-change', (event) => changes(event.detail));
    const keep = page.getByRole('checkbox', { name: 'Keep original files' });
    await expect.element(keep).not.toBeChecked();
    await expect.element(keep).toHaveAccessibleDescription(/beside its text.*more space/);
    await userEvent.click(keep);
    expect(changes).toHaveBeenLastCalledWith({ keepAttachmentOriginals: true });
    element.keepOriginals = true;
    await element.updateComplete;
    await expect.element(keep).toBeChecked();
  });
});
