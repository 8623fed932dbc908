import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-attachment-chips.js';
import type { AttachmentChip } from '../../../src/components/mc-attachment-chips.js';
import { focusedElement, mount } from './fixtures.js';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.txt';

async function chips(attachments: AttachmentChip[], removable = true) {
  const element = document.createElement('mc-attachment-chips');
  element.attachments = attachments;
  element.removable = removable;
  const removed = vi.fn<(id: string) => void>();
  element.addEventListener('mc-remove-attachment', (event) => removed(event.detail.id));
  await mount(element);
  return { element, removed, list: page.getByRole('list', { name: 'Attachments' }) };
}

describe('mc-attachment-chips', () => {
  it('shows each file as a list item with its name as text and its size', async () => {
    const { element, list } = await chips([
      { id: 'a1', name: 'notes.md', size: 2048, type: 'text/markdown', status: 'ready' },
      { id: 'a2', name: HOSTILE_NAME, size: 12, type: 'text/plain', status: 'ready' },
    ]);
    const items = list.getByRole('listitem');
    expect(items.elements()).toHaveLength(2);
    await expect.element(items.first()).toHaveTextContent('notes.md');
    await expect.element(items.first()).toHaveTextContent('2 KB');
    // A hostile name stays text: no element is made of it, nothing runs.
    await expect.element(items.last()).toHaveTextContent(HOSTILE_NAME);
    expect(element.shadowRoot!.querySelector('img')).toBeNull();
  });

  it('says how far a file has been read, pages for a PDF', async () => {
    const { list } = await chips([
      {
        id: 'a1',
        name: 'report.pdf',
        size: 3_000_000,
        type: 'application/pdf',
        status: 'reading',
        progress: { pagesRead: 12, pages: 300 },
      },
      { id: 'a2', name: 'data.csv', size: 10, type: 'text/csv', status: 'reading' },
    ]);
    await expect.element(list.getByRole('listitem').first()).toHaveTextContent('Reading… 12 / 300 pages');
    await expect.element(list.getByRole('listitem').last()).toHaveTextContent('Reading…');
  });

  it('offers a Remove described by its file name, and asks for that file to go', async () => {
    const { removed } = await chips([
      { id: 'a1', name: 'first.txt', size: 1, type: 'text/plain', status: 'ready' },
      { id: 'a2', name: 'second.txt', size: 1, type: 'text/plain', status: 'ready' },
    ]);
    const buttons = page.getByRole('button', { name: 'Remove' });
    expect(buttons.elements()).toHaveLength(2);
    await expect.element(buttons.last()).toHaveAccessibleDescription('second.txt');
    await userEvent.click(buttons.last());
    expect(removed).toHaveBeenCalledExactlyOnceWith('a2');
  });

  it('puts focus on the Remove of the chip before, when the last one goes', async () => {
    const { element } = await chips([
      { id: 'a1', name: 'first.txt', size: 1, type: 'text/plain', status: 'ready' },
      { id: 'a2', name: 'second.txt', size: 1, type: 'text/plain', status: 'ready' },
    ]);
    element.addEventListener('mc-remove-attachment', (event) => {
      element.attachments = element.attachments.filter(({ id }) => id !== event.detail.id);
    });
    await userEvent.click(page.getByRole('button', { name: 'Remove' }).last());
    await element.updateComplete;
    const remaining = page.getByRole('button', { name: 'Remove' });
    expect(remaining.elements()).toHaveLength(1);
    expect(focusedElement()).toBe(remaining.element());
    await expect.element(remaining).toHaveAccessibleDescription('first.txt');
  });

  it('offers "Download <name>" only on a sent file whose original was kept, and asks for it on click', async () => {
    await chips(
      [
        { id: 'a1', name: 'kept.pdf', size: 5, type: 'application/pdf', kept: true },
        { id: 'a2', name: 'text-only.txt', size: 5, type: 'text/plain', kept: false },
        { id: 'a3', name: 'pending.txt', size: 5, type: 'text/plain', status: 'ready' },
      ],
      false,
    );
    const asked = vi.fn();
    document.addEventListener(
      'mc-download-attachment',
      (event) => asked((event as HTMLElementEventMap['mc-download-attachment']).detail),
      { once: true },
    );
    const links = page.getByRole('link');
    expect(links.elements()).toHaveLength(1);
    const download = page.getByRole('link', { name: 'Download kept.pdf' });
    await expect.element(download).toHaveAttribute('download', 'kept.pdf');
    await userEvent.click(download);
    expect(asked).toHaveBeenCalledExactlyOnceWith({ id: 'a1', name: 'kept.pdf' });
  });

  it('offers no Remove on files already sent', async () => {
    const { list } = await chips([{ id: 'a1', name: 'sent.txt', size: 5, type: 'text/plain', kept: false }], false);
    await expect.element(list.getByRole('listitem')).toHaveTextContent('sent.txt');
    expect(page.getByRole('button').elements()).toHaveLength(0);
  });

  it('has no axe violations', async () => {
    const { element } = await chips([
      { id: 'a1', name: 'notes.md', size: 2048, type: 'text/markdown', status: 'ready' },
      { id: 'a2', name: 'big.pdf', size: 1, type: 'application/pdf', status: 'reading' },
    ]);
    expect((await axe.run(element)).violations).toEqual([]);
  });
});
