import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-composer.js';
import type { PendingAttachment } from '../../../src/state/app-state.js';
import { focusedElement, mount } from './fixtures.js';

const READY: PendingAttachment = { id: 'a1', name: 'notes.md', size: 2048, type: 'text/markdown', status: 'ready' };
const READING: PendingAttachment = {
  id: 'a2',
  name: 'report.pdf',
  size: 900_000,
  type: 'application/pdf',
  status: 'reading',
  progress: { pagesRead: 3, pages: 40 },
};

async function composer(attachments: PendingAttachment[] = [], attachNotice = 'Files stay on this device.') {
  const element = document.createElement('mc-composer');
  element.attachments = attachments;
  element.attachNotice = attachNotice;
  const attached = vi.fn<(files: File[]) => void>();
  const removed = vi.fn<(id: string) => void>();
  const sent = vi.fn<(text: string) => void>();
  element.addEventListener('mc-attach', (event) => attached(event.detail.files));
  element.addEventListener('mc-remove-attachment', (event) => removed(event.detail.id));
  element.addEventListener('mc-send', (event) => sent(event.detail.text));
  await mount(element);
  const box = page.getByRole('textbox', { name: 'Message' });
  return { element, attached, removed, sent, box };
}

function transferOf(...files: File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  return transfer;
}

const textFile = (name: string, text = 'some text') => new File([text], name, { type: 'text/plain' });

describe('mc-composer with attachments', () => {
  it('has an Attach file button described by where the text goes', async () => {
    await composer([], 'Passages you send go to Hugging Face.');
    const attach = page.getByRole('button', { name: 'Attach file' });
    await expect.element(attach).toHaveAccessibleDescription('Passages you send go to Hugging Face.');
    await expect.element(page.getByText('Passages you send go to Hugging Face.')).toBeVisible();
  });

  it('opens a file chooser for several files of the kinds it reads, and attaches those chosen', async () => {
    const { element, attached } = await composer();
    const input = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(input.multiple).toBe(true);
    expect(input.accept.split(',')).toEqual(expect.arrayContaining(['text/*', '.md', '.pdf', '.html', '.ts', '.py']));
    const opened = vi.fn();
    input.addEventListener('click', (event) => {
      // The test stops the real chooser, which would wait for a person.
      event.preventDefault();
      opened();
    });
    await userEvent.click(page.getByRole('button', { name: 'Attach file' }));
    expect(opened).toHaveBeenCalledOnce();

    input.files = transferOf(textFile('a.txt'), textFile('b.md')).files;
    input.dispatchEvent(new Event('change'));
    expect(attached).toHaveBeenCalledOnce();
    expect(attached.mock.calls[0]?.[0].map((file) => file.name)).toEqual(['a.txt', 'b.md']);
    // Emptied, so choosing the same file again is a change again.
    expect(input.value).toBe('');
  });

  it('attaches files dropped on the box', async () => {
    const { element, attached } = await composer();
    const box = element.shadowRoot!.querySelector('.box')!;
    const dataTransfer = transferOf(textFile('dropped.csv', 'a,b\n1,2'));
    const over = new DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true });
    box.dispatchEvent(over);
    // Accepted as a drop target, or the browser would open the file itself.
    expect(over.defaultPrevented).toBe(true);
    const drop = new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true });
    box.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    expect(attached.mock.calls[0]?.[0].map((file) => file.name)).toEqual(['dropped.csv']);
  });

  it('ignores dragged text: only files are dropped as attachments', async () => {
    const { element, attached } = await composer();
    const dataTransfer = new DataTransfer();
    dataTransfer.setData('text/plain', 'just words');
    const over = new DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true });
    element.shadowRoot!.querySelector('.box')!.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(false);
    element.shadowRoot!.querySelector('.box')!.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true }));
    expect(attached).not.toHaveBeenCalled();
  });

  it('attaches files pasted into the box, and leaves pasted text alone', async () => {
    const { attached, box } = await composer();
    const textarea = box.element();
    const withFile = new ClipboardEvent('paste', {
      clipboardData: transferOf(textFile('pasted.json', '{}')),
      bubbles: true,
      cancelable: true,
    });
    textarea.dispatchEvent(withFile);
    expect(withFile.defaultPrevented).toBe(true);
    expect(attached.mock.calls[0]?.[0].map((file) => file.name)).toEqual(['pasted.json']);

    // Cells copied from a spreadsheet come as text and a picture of them: the text is what is meant.
    const cells = transferOf(new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' }));
    cells.setData('text/plain', 'a\tb');
    const withText = new ClipboardEvent('paste', { clipboardData: cells, bubbles: true, cancelable: true });
    textarea.dispatchEvent(withText);
    expect(withText.defaultPrevented).toBe(false);
    expect(attached).toHaveBeenCalledOnce();
  });

  it('shows the waiting files as chips, and asks for one to go with its Remove', async () => {
    const { removed } = await composer([READY]);
    const list = page.getByRole('list', { name: 'Attachments' });
    await expect.element(list.getByRole('listitem')).toHaveTextContent('notes.md');
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    expect(removed).toHaveBeenCalledExactlyOnceWith('a1');
  });

  it('puts focus back in the message box when the last chip goes', async () => {
    const { element, box } = await composer([READY]);
    element.addEventListener('mc-remove-attachment', () => (element.attachments = []));
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    await element.updateComplete;
    await expect.poll(focusedElement).toBe(box.element());
    expect(page.getByRole('list', { name: 'Attachments' }).elements()).toHaveLength(0);
  });

  it('waits to send while a file is still being read, and still needs text', async () => {
    const { element, sent, box } = await composer([READY, READING]);
    await expect.element(page.getByText('Reading… 3 / 40 pages')).toBeVisible();
    await userEvent.fill(box, 'Summarise these');
    const send = page.getByRole('button', { name: 'Send' });
    await expect.element(send).toBeDisabled();
    await userEvent.keyboard('{Enter}');
    expect(sent).not.toHaveBeenCalled();

    element.attachments = [READY, { ...READING, status: 'ready', progress: undefined }];
    await expect.element(send).toBeEnabled();
    await userEvent.click(send);
    expect(sent).toHaveBeenCalledExactlyOnceWith('Summarise these');

    // Files alone are not a message.
    await expect.element(send).toBeDisabled();
  });

  it('has no axe violations with files waiting', async () => {
    const { element } = await composer([READY, READING]);
    expect((await axe.run(element)).violations).toEqual([]);
  });
});
