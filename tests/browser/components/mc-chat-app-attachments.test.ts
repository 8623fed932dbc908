import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { ShownSource } from '../../../src/state/app-state.js';
import { expectNoAxeViolations, mountApp, WITH_CONVERSATION } from './app-harness.js';
import { assistantMessage, HOSTED_SETTINGS, userMessage } from './fixtures.js';

const WITH_FILES = {
  ...WITH_CONVERSATION,
  messages: [
    { ...userMessage('u1', 'What does the guide say about trams?', 'c2'), attachmentIds: ['f1'] },
    assistantMessage('a1', 'Take tram 28 early.', {
      conversationId: 'c2',
      sources: [{ attachmentId: 'f1', name: 'lisbon.md', whole: true, passages: [] }],
    }),
  ],
  attachments: { f1: { id: 'f1', name: 'lisbon.md', type: 'text/markdown', size: 4000, kept: false } },
};

const SHOWN: ShownSource[] = [
  { attachmentId: 'f1', name: 'lisbon.md', whole: true, excerpts: ['Tram 28 is busiest after 10.'] },
];

describe('mc-chat-app attachments', () => {
  it('passes files attached in the message box and their Remove on to the session', async () => {
    const { element, source, actions } = await mountApp();
    const composer = element.shadowRoot!.querySelector('mc-composer')!;
    const file = new File(['hello'], 'hello.txt', { type: 'text/plain' });
    composer.dispatchEvent(new CustomEvent('mc-attach', { detail: { files: [file] } }));
    expect(actions.attach).toHaveBeenCalledExactlyOnceWith([file]);

    source.set({ pendingAttachments: [{ id: 'p1', name: 'hello.txt', size: 5, type: 'text/plain', status: 'ready' }] });
    await expect.element(page.getByRole('list', { name: 'Attachments' })).toHaveTextContent('hello.txt');
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    expect(actions.removeAttachment).toHaveBeenCalledExactlyOnceWith('p1');
  });

  it('says under the message box where an attached file’s text goes, for the engine chosen', async () => {
    const { source } = await mountApp();
    const attach = page.getByRole('button', { name: 'Attach file' });
    await expect.element(attach).toHaveAccessibleDescription('Passages you send go to Hugging Face.');
    source.set({ settings: { ...HOSTED_SETTINGS, endpointUrl: 'https://llm.example.org/v1' } });
    await expect.element(attach).toHaveAccessibleDescription('Passages you send go to llm.example.org.');
    source.set({ settings: { ...HOSTED_SETTINGS, engine: 'local' } });
    await expect.element(attach).toHaveAccessibleDescription('Files stay on this device.');
  });

  it('names a message’s files and shows a reply’s sources, read from the session when opened', async () => {
    const { element, source, actions } = await mountApp(WITH_FILES);
    actions.sourcesOf.mockResolvedValue(SHOWN);
    const question = page.getByRole('article', { name: 'You' });
    await expect.element(question.getByRole('list', { name: 'Attachments' })).toHaveTextContent('lisbon.md');

    await userEvent.click(page.getByText('Sources (1)'));
    expect(actions.sourcesOf).toHaveBeenCalledExactlyOnceWith('a1');
    await expect.element(page.getByText('Tram 28 is busiest after 10.')).toBeVisible();
    await expectNoAxeViolations(element);

    // Another conversation opened and this one again: its text is read afresh.
    source.set({ activeConversationId: 'c1', messages: [] });
    await expect.element(page.getByText('Sources (1)')).not.toBeInTheDocument();
    source.set({ activeConversationId: 'c2', messages: WITH_FILES.messages });
    await userEvent.click(page.getByText('Sources (1)'));
    await expect.element(page.getByText('Tram 28 is busiest after 10.')).toBeVisible();
    expect(actions.sourcesOf).toHaveBeenCalledTimes(2);
  });
});
