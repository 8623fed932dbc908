import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { WITH_CONVERSATION, expectNoAxeViolations, mountApp } from './app-harness.js';
import { appState, assistantMessage, focusedElement, userMessage } from './fixtures.js';

const TWO_EXCHANGES = appState({
  ...WITH_CONVERSATION,
  messages: [
    userMessage('u1', 'Three days in Lisbon: what should I see?', 'c2'),
    assistantMessage('a1', 'Start in Alfama, then Belém.', { conversationId: 'c2' }),
    userMessage('u2', 'And Porto?', 'c2'),
    assistantMessage('a2', 'The Ribeira, then a port cellar.', { conversationId: 'c2' }),
  ],
  branchSizes: { u1: 5, a1: 4, u2: 3, a2: 1 },
});

const log = () => page.getByRole('log', { name: 'Conversation' });
const messageBox = () => page.getByRole('textbox', { name: 'Message' });

describe('mc-chat-app: Undo last exchange and Delete', () => {
  it('offers "Undo last exchange" on the last message only; it asks for it and puts focus in the message box', async () => {
    const { actions, source, element } = await mountApp(TWO_EXCHANGES);
    const undo = log().getByRole('button', { name: 'Undo last exchange' });
    expect(undo.elements()).toHaveLength(1);
    await expect
      .element(log().getByRole('article').last().getByRole('button', { name: 'Undo last exchange' }))
      .toBeVisible();
    actions.undoLastExchange.mockImplementation(async () => {
      source.set({
        messages: TWO_EXCHANGES.messages.slice(0, 2),
        draft: { conversationId: 'c2', text: 'And Porto?' },
        undo: { kind: 'undo-exchange', conversationId: 'c2', count: 3, expiresAt: Date.now() + 6_000 },
      });
    });

    await userEvent.click(undo);

    expect(actions.undoLastExchange).toHaveBeenCalledOnce();
    await expect.element(messageBox()).toHaveValue('And Porto?');
    expect(focusedElement()).toBe(messageBox().element());
    await expect.element(page.getByText('Last exchange taken back (3 messages).')).toBeVisible();
    await expectNoAxeViolations(element);
  });

  it('offers neither while a reply streams', async () => {
    await mountApp(appState({ ...TWO_EXCHANGES, streamingMessageId: 'a2' }));
    await expect.element(log().getByText('The Ribeira, then a port cellar.')).toBeVisible();
    expect(log().getByRole('button', { name: 'Undo last exchange' }).elements()).toHaveLength(0);
    expect(log().getByRole('button', { name: 'Delete' }).elements()).toHaveLength(0);
  });

  it('Delete asks first, saying how many messages go; Cancel (or Escape) keeps them and returns focus', async () => {
    const { actions } = await mountApp(TWO_EXCHANGES);
    const middle = log().getByRole('article').nth(1);
    await userEvent.click(middle.getByRole('button', { name: 'Delete' }));

    const confirm = middle.getByRole('group', {
      name: 'Delete this message and the 3 below it? 4 messages go, other branches included.',
    });
    await expect.element(confirm).toBeVisible();
    expect(focusedElement()).toBe(confirm.getByRole('button', { name: 'Cancel' }).element());
    await expectNoAxeViolations(document.querySelector('mc-chat-app')!);

    await userEvent.keyboard('{Escape}');
    await expect.element(confirm).not.toBeInTheDocument();
    expect(focusedElement()).toBe(middle.getByRole('button', { name: 'Delete' }).element());

    await userEvent.click(middle.getByRole('button', { name: 'Delete' }));
    await userEvent.click(middle.getByRole('button', { name: 'Cancel' }));
    expect(actions.deleteMessage).not.toHaveBeenCalled();
  });

  it('a confirmed Delete asks for it, focus goes to the message box, and the Undo above it brings the messages back', async () => {
    const { actions, source } = await mountApp(TWO_EXCHANGES);
    actions.deleteMessage.mockImplementation(async () => {
      source.set({
        messages: TWO_EXCHANGES.messages.slice(0, 1),
        undo: { kind: 'delete-messages', conversationId: 'c2', count: 4, expiresAt: Date.now() + 6_000 },
      });
    });
    actions.undoDelete.mockImplementation(async () => source.set({ messages: TWO_EXCHANGES.messages, undo: null }));
    const middle = log().getByRole('article').nth(1);
    await userEvent.click(middle.getByRole('button', { name: 'Delete' }));
    await userEvent.click(middle.getByRole('button', { name: 'Delete 4 messages' }));

    expect(actions.deleteMessage).toHaveBeenCalledExactlyOnceWith('a1');
    await expect.element(page.getByText('4 messages deleted.')).toBeVisible();
    expect(focusedElement()).toBe(messageBox().element());
    // Near the message box, not in the sidebar (a closed drawer on a narrow screen).
    const main = page.getByRole('main');
    await userEvent.click(main.getByRole('button', { name: 'Undo', exact: true }));
    expect(actions.undoDelete).toHaveBeenCalledOnce();
    await expect.element(log().getByRole('article')).toHaveLength(4);
    expect(focusedElement()).toBe(messageBox().element());
  });

  it('a message with nothing below it is deleted as "Delete message"', async () => {
    const { actions } = await mountApp(TWO_EXCHANGES);
    const last = log().getByRole('article').last();
    await userEvent.click(last.getByRole('button', { name: 'Delete' }));
    await expect.element(last.getByRole('group', { name: 'Delete this message?' })).toBeVisible();
    await userEvent.click(last.getByRole('button', { name: 'Delete message' }));
    expect(actions.deleteMessage).toHaveBeenCalledExactlyOnceWith('a2');
  });
});
