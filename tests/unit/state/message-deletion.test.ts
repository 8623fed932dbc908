import { describe, expect, test } from 'vitest';
import { UNDO_MS } from '../../../src/state/chat-session.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { messageWith, numberedAnswers, setup, shown, until, twoTabs } from './session-setup.js';

/** A conversation of two exchanges, the last reply regenerated once ("answer 2" and "answer 3"). */
async function twoExchanges() {
  const context = setup(numberedAnswers());
  const { session } = context;
  await session.start();
  await session.send('first question');
  await session.send('second question');
  await session.retry();
  return context;
}

describe('Undo last exchange', () => {
  test('takes back the last question with every reply to it, and puts the question in the message box', async () => {
    const { session, repository } = await twoExchanges();
    const id = session.getState().activeConversationId!;

    await session.undoLastExchange();

    expect(shown(session)).toEqual(['first question', 'answer 1']);
    expect([...repository.messages.values()].map(({ content }) => content).sort()).toEqual([
      'answer 1',
      'first question',
    ]);
    expect(session.getState().draft).toEqual({ conversationId: id, text: 'second question' });
    expect(session.getState().undo).toMatchObject({ kind: 'undo-exchange', conversationId: id, count: 3 });
    expect(session.getState().branchSizes[messageWith(session, 'first question').id]).toBe(2);
  });

  test('Undo brings the exchange back, with its alternatives, and empties the box again', async () => {
    const { session } = await twoExchanges();
    const before = session.getState();

    await session.undoLastExchange();
    await session.undoDelete();

    expect(shown(session)).toEqual(['first question', 'answer 1', 'second question', 'answer 3']);
    expect(session.getState().alternatives[messageWith(session, 'answer 3').id]).toMatchObject({ count: 2 });
    expect(session.getState().draft.text).toBe('');
    expect(session.getState().undo).toBeNull();
    expect(session.getState().branchSizes).toEqual(before.branchSizes);
  });

  test('text already in the box stays, after the question; Undo leaves a box changed since alone', async () => {
    const { session } = await twoExchanges();
    session.updateDraft('half a thought');

    await session.undoLastExchange();
    expect(session.getState().draft.text).toBe('second question\n\nhalf a thought');

    // What is typed goes to the session, not back into the box: the box keeps it unless a new draft is put there.
    session.updateDraft('second question, reworded');
    const boxHeld = session.getState().draft;
    await session.undoDelete();
    expect(shown(session)).toHaveLength(4);
    expect(session.getState().draft).toBe(boxHeld);
  });

  test('does nothing while a reply streams', async () => {
    const engine = new ControlledEngine();
    const { session, repository } = setup(() => engine);
    await session.start();
    const sending = session.send('question');
    await until(() => session.getState().streamingMessageId !== null);

    await session.undoLastExchange();
    await session.deleteMessage(messageWith(session, 'question').id);

    expect(repository.messages.size).toBe(2);
    expect(session.getState().undo).toBeNull();
    session.stop();
    await sending;
  });

  test('the offer lapses, and the exchange stays taken back', async () => {
    const { session, timers, clock } = await twoExchanges();
    await session.undoLastExchange();

    clock.now += UNDO_MS + 1;
    timers.fire();
    expect(session.getState().undo).toBeNull();
    await session.undoDelete();
    expect(shown(session)).toEqual(['first question', 'answer 1']);
  });
});

describe('Delete on a message', () => {
  test('deletes a middle message with the whole branch below it, and Undo puts it all back', async () => {
    const { session, repository } = await twoExchanges();
    const middle = messageWith(session, 'answer 1');
    expect(session.getState().branchSizes[middle.id]).toBe(4);

    await session.deleteMessage(middle.id);

    expect(shown(session)).toEqual(['first question']);
    expect(repository.messages.size).toBe(1);
    expect(session.getState().undo).toMatchObject({ kind: 'delete-messages', count: 4 });
    expect(session.getState().draft.text).toBe('');

    await session.undoDelete();
    expect(shown(session)).toEqual(['first question', 'answer 1', 'second question', 'answer 3']);
    expect(repository.messages.size).toBe(5);
  });

  test('a deletion that fails changes nothing and says so; an Undo that fails keeps its offer', async () => {
    const { session, repository } = await twoExchanges();
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);
    await session.deleteMessage(messageWith(session, 'answer 1').id);
    expect(shown(session)).toHaveLength(4);
    expect(session.getState().alerts.map(({ message }) => message)).toEqual([STORAGE_MESSAGES.quota]);
    expect(session.getState().undo).toBeNull();

    await session.deleteMessage(messageWith(session, 'answer 1').id);
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);
    await session.undoDelete();
    expect(shown(session)).toEqual(['first question']);
    expect(session.getState().undo).toMatchObject({ kind: 'delete-messages', count: 4 });
    await session.undoDelete();
    expect(shown(session)).toHaveLength(4);
  });

  test('deleting a conversation afterwards replaces the offer, and Undo brings back the conversation', async () => {
    const { session } = await twoExchanges();
    const id = session.getState().activeConversationId!;
    await session.deleteMessage(messageWith(session, 'answer 3').id);
    expect(shown(session)).toEqual(['first question', 'answer 1', 'second question', 'answer 2']);

    await session.deleteConversation(id);
    expect(session.getState().undo).toMatchObject({ kind: 'delete-conversation', conversationId: id });
    await session.undoDelete();

    expect(shown(session)).toEqual(['first question', 'answer 1', 'second question', 'answer 2']);
    expect(session.getState().undo).toBeNull();
  });

  test('another tab follows a deletion and its Undo', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await b.session.start();
    await a.session.send('first question');
    await a.session.send('second question');
    await until(() => b.session.getState().conversations.length === 1);
    await b.session.openConversation(a.session.getState().activeConversationId!);
    await until(() => shown(b.session).length === 4);

    await a.session.undoLastExchange();
    await until(() => shown(b.session).length === 2);
    expect(shown(b.session)).toEqual(['first question', 'answer 1']);

    await a.session.undoDelete();
    await until(() => shown(b.session).length === 4);
    expect(shown(b.session)).toEqual(shown(a.session));
  });
});
