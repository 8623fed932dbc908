import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-transcript.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import type { AttachmentSummary, ShownSource } from '../../../src/state/app-state.js';
import { assistantMessage, mount, userMessage } from './fixtures.js';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.txt';
const HOSTILE_EXCERPT = '<script>window.ran = true</script><b>bold?</b>';

const ATTACHMENTS: Record<string, AttachmentSummary> = {
  f1: { id: 'f1', name: 'handbook.md', type: 'text/markdown', size: 2_100_000, kept: false },
  f2: { id: 'f2', name: HOSTILE_NAME, type: 'text/plain', size: 40, kept: false },
};

const EXCHANGE: MessageRecord[] = [
  { ...userMessage('u1', 'Where is the needle?'), attachmentIds: ['f1', 'f2'] },
  assistantMessage('a1', 'In chapter 7.', {
    sources: [
      {
        attachmentId: 'f1',
        name: 'handbook.md',
        whole: false,
        passages: [
          { start: 0, end: 10 },
          { start: 50, end: 60 },
          { start: 90, end: 99 },
        ],
      },
      { attachmentId: 'f2', name: HOSTILE_NAME, whole: true, passages: [] },
    ],
  }),
];

const SHOWN: ShownSource[] = [
  {
    attachmentId: 'f1',
    name: 'handbook.md',
    whole: false,
    excerpts: ['The needle is in chapter 7.', 'Second passage.', 'Third.'],
  },
  { attachmentId: 'f2', name: HOSTILE_NAME, whole: true, excerpts: [HOSTILE_EXCERPT] },
];

async function transcript(messages = EXCHANGE) {
  const element = document.createElement('mc-transcript');
  // Its height, as the app's layout gives it: the transcript scrolls within it.
  element.style.height = '600px';
  element.messages = messages;
  element.attachments = ATTACHMENTS;
  const loads = vi.fn<(messageId: string) => void>();
  element.addEventListener('mc-load-sources', (event) => loads(event.detail.messageId));
  await mount(element);
  return { element, loads };
}

/** Every element under `root`, through the shadow roots of the elements in it. */
function deepElements(root: ParentNode): Element[] {
  return [...root.querySelectorAll('*')].flatMap((element) => [
    element,
    ...(element.shadowRoot ? deepElements(element.shadowRoot) : []),
  ]);
}

describe('mc-message with attachments and sources', () => {
  it('names the files sent with a user message, as text', async () => {
    const { element } = await transcript();
    const question = page.getByRole('article', { name: 'You' });
    const files = question.getByRole('list', { name: 'Attachments' }).getByRole('listitem');
    expect(files.elements()).toHaveLength(2);
    await expect.element(files.first()).toHaveTextContent('handbook.md');
    await expect.element(files.last()).toHaveTextContent(HOSTILE_NAME);
    // Sent files are part of the record: no Remove.
    expect(question.getByRole('button', { name: 'Remove' }).elements()).toHaveLength(0);
    expect(deepElements(element).some((node) => node.localName === 'img')).toBe(false);
  });

  it('leaves out a file not among the conversation’s stored ones', async () => {
    await transcript([{ ...userMessage('u1', 'Hi'), attachmentIds: ['gone'] }]);
    expect(page.getByRole('list', { name: 'Attachments' }).elements()).toHaveLength(0);
  });

  it('offers a closed "Sources (N)" on a reply, listing each file and how much of it the model saw', async () => {
    const { loads } = await transcript();
    const reply = page.getByRole('article', { name: /^Assistant/ });
    const summary = reply.getByText('Sources (2)');
    await expect.element(summary).toBeVisible();
    const disclosure = summary.element().closest('details')!;
    expect(disclosure.open).toBe(false);
    expect(loads).not.toHaveBeenCalled();
    await expect.element(reply.getByText('3 passages', { exact: false })).not.toBeVisible();

    await userEvent.click(summary);
    await expect.element(reply.getByText('· 3 passages')).toBeVisible();
    await expect.element(reply.getByText('· whole file')).toBeVisible();
    await expect.poll(() => loads.mock.calls).toEqual([['a1']]);
    await expect.element(reply.getByText('Loading the text the model saw…')).toBeVisible();
  });

  it('shows the excerpts under their files once they arrive, as text, and asks for them only once', async () => {
    const { element, loads } = await transcript();
    const reply = page.getByRole('article', { name: /^Assistant/ });
    await userEvent.click(reply.getByText('Sources (2)'));
    element.shownSources = { a1: SHOWN };
    await expect.element(reply.getByText('The needle is in chapter 7.')).toBeVisible();
    expect(reply.getByRole('list', { name: 'Passages sent' }).getByRole('listitem').elements()).toHaveLength(3);
    await expect.element(reply.getByText(HOSTILE_EXCERPT)).toBeVisible();
    expect(deepElements(element).some((node) => node.localName === 'script' || node.localName === 'b')).toBe(false);
    expect((window as { ran?: boolean }).ran).toBeUndefined();
    await expect.element(reply.getByText('Loading the text the model saw…')).not.toBeInTheDocument();

    // Closed and opened again: the text is already here.
    await userEvent.click(reply.getByText('Sources (2)'));
    await userEvent.click(reply.getByText('Sources (2)'));
    expect(loads).toHaveBeenCalledOnce();
  });

  it('offers no Sources on a reply given no file', async () => {
    await transcript([userMessage('u1', 'Hi'), assistantMessage('a1', 'Hello.')]);
    expect(page.getByText(/^Sources/).elements()).toHaveLength(0);
  });

  it('has no axe violations with files and opened sources, a long excerpt scrolling', async () => {
    const { element } = await transcript();
    const long = { ...SHOWN[0]!, excerpts: ['A line of the handbook.\n'.repeat(200)] };
    element.shownSources = { a1: [long, SHOWN[1]!] };
    await userEvent.click(page.getByText('Sources (2)'));
    expect((await axe.run(element)).violations).toEqual([]);
  });
});
