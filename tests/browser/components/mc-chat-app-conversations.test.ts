import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { WITH_CONVERSATION, mountApp } from './app-harness.js';
import { appState, assistantMessage, conversation, focusedElement, userMessage } from './fixtures.js';

const app = mountApp;

describe('mc-chat-app: branches, search, undo, notices', () => {
  const BRANCHED = appState({
    ...WITH_CONVERSATION,
    messages: [
      userMessage('u1', 'Three days in Lisbon: what should I see?', 'c2'),
      assistantMessage('a1', 'Start in Alfama', { conversationId: 'c2', status: 'stopped' }),
    ],
    alternatives: { a1: { position: 2, count: 2, previousId: 'a0', nextId: null } },
  });

  it('passes the message actions on: edit, alternatives, continue, and a reply for a reply-less message', async () => {
    const { actions, source } = await app(BRANCHED);
    const log = page.getByRole('log', { name: 'Conversation' });
    await expect.element(log.getByText('2 / 2')).toBeVisible();
    await userEvent.click(log.getByRole('button', { name: 'Previous alternative' }));
    expect(actions.showAlternative).toHaveBeenCalledExactlyOnceWith('a1', 'previous');
    await userEvent.click(log.getByRole('button', { name: 'Continue' }));
    expect(actions.continueReply).toHaveBeenCalledExactlyOnceWith('a1');

    await userEvent.click(log.getByRole('button', { name: 'Edit' }));
    await userEvent.fill(log.getByRole('textbox', { name: 'Edit message' }), 'Four days in Lisbon?');
    await userEvent.click(log.getByRole('button', { name: 'Save' }));
    expect(actions.editMessage).toHaveBeenCalledExactlyOnceWith('u1', 'Four days in Lisbon?');

    source.set({ messages: [...BRANCHED.messages, userMessage('u2', 'And Porto?', 'c2')], alternatives: {} });
    await userEvent.click(log.getByRole('article').last().getByRole('button', { name: 'Regenerate' }));
    expect(actions.retry).toHaveBeenCalledOnce();
    expect(actions.regenerate).not.toHaveBeenCalled();
  });

  it('searches as the user types, shows the results with the matches marked, and opens one at its message', async () => {
    const { actions, source } = await app();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await userEvent.fill(nav.getByRole('searchbox', { name: 'Search conversations' }), 'alfama');
    expect(actions.search).toHaveBeenLastCalledWith('alfama');
    source.set({
      search: {
        query: 'alfama',
        pending: false,
        results: [
          {
            conversationId: 'c2',
            title: 'Trip to Lisbon',
            matches: [{ messageId: 'a1', snippet: 'Start in Alfama, then Belém.', ranges: [[9, 15]] }],
            matchCount: 1,
          },
        ],
      },
    });
    const results = nav.getByRole('list', { name: 'Search results' });
    const result = results.getByRole('button', { name: 'Trip to Lisbon', exact: true });
    await expect.element(result).toHaveAccessibleDescription('Start in Alfama, then Belém.');
    await expect.element(results.getByText('Alfama', { exact: true })).toBeVisible();
    expect(results.getByText('Alfama', { exact: true }).element().localName).toBe('mark');
    await userEvent.click(result);
    expect(actions.openConversation).toHaveBeenCalledExactlyOnceWith('c2', 'a1');
  });

  it('takes the reader to the message a search result led to', async () => {
    const { source } = await app();
    source.set({ focusedMessageId: 'a1' });
    const reply = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
    await expect.poll(() => focusedElement()).toBe(reply.element());
  });

  it('offers Undo after a deletion, and gives focus to the conversation it brings back', async () => {
    const { actions, source } = await app();
    source.set({
      conversations: [conversation('c1', 'WebGPU questions', 1)],
      undo: {
        kind: 'delete-conversation',
        conversationId: 'c2',
        title: 'Trip to Lisbon',
        expiresAt: Date.now() + 6000,
      },
    });
    await expect.element(page.getByText('Conversation deleted: “Trip to Lisbon”.')).toBeVisible();
    actions.undoDelete.mockImplementation(async () => {
      source.set({ conversations: WITH_CONVERSATION.conversations, undo: null });
    });
    await userEvent.click(page.getByRole('button', { name: 'Undo', exact: true }));
    expect(actions.undoDelete).toHaveBeenCalledOnce();
    await expect.element(page.getByRole('button', { name: 'Undo', exact: true })).not.toBeInTheDocument();
    const restored = page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: 'Trip to Lisbon', exact: true });
    await expect.poll(() => focusedElement()).toBe(restored.element());

    source.set({
      undo: { kind: 'delete-conversation', conversationId: 'c1', title: 'WebGPU questions', expiresAt: 0 },
    });
    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    expect(actions.dismissUndo).toHaveBeenCalledOnce();
  });

  it('shows a notice (an import summary) politely, once', async () => {
    const { actions, source } = await app();
    source.set({ notice: { id: 7, message: 'Imported 3 conversations (120 messages).' } });
    await expect.element(page.getByText('Imported 3 conversations (120 messages).')).toBeVisible();
    expect(actions.dismissNotice).toHaveBeenCalledExactlyOnceWith(7);
  });
});
