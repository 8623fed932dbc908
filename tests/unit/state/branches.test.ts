import { describe, expect, test } from 'vitest';
import { CONTINUE_PROMPT } from '../../../src/state/chat-session.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { messageWith, numberedAnswers, setup, shown, until } from './session-setup.js';

describe('branches: edit, regenerate, alternatives, continue', () => {
  test('editing a message starts a new branch with a new reply; the original branch stays', async () => {
    const { session, repository, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.send('one');
    await session.send('two');
    const two = messageWith(session, 'two');

    await session.editMessage(two.id, '  deux  ');

    expect(shown(session)).toEqual(['one', 'answer 1', 'deux', 'answer 3']);
    expect(lastRequest()).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: 'deux' },
    ]);
    const deux = messageWith(session, 'deux');
    expect(deux.parentId).toBe(two.parentId);
    expect(session.getState().alternatives[deux.id]).toEqual({
      position: 2,
      count: 2,
      previousId: two.id,
      nextId: null,
    });
    expect(session.getState().alternatives[messageWith(session, 'one').id]).toBeUndefined();
    const stored = [...repository.messages.values()].map((m) => m.content).sort();
    expect(stored).toEqual(['answer 1', 'answer 2', 'answer 3', 'deux', 'one', 'two']);
  });

  test('Previous and Next alternative walk "1 / 3" … "3 / 3" and show each branch down to its end', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('question');
    await session.send('follow-up');
    const question = messageWith(session, 'question');
    await session.editMessage(question.id, 'second wording');
    const second = messageWith(session, 'second wording');
    await session.editMessage(second.id, 'third wording');
    const third = messageWith(session, 'third wording');
    expect(session.getState().alternatives[third.id]).toMatchObject({ position: 3, count: 3, nextId: null });

    await session.showAlternative(third.id, 'previous');
    expect(shown(session)).toEqual(['second wording', 'answer 3']);
    await session.showAlternative(second.id, 'previous');
    // The first wording's branch, down to its newest end: the follow-up and its reply come back.
    expect(shown(session)).toEqual(['question', 'answer 1', 'follow-up', 'answer 2']);
    expect(session.getState().alternatives[question.id]).toEqual({
      position: 1,
      count: 3,
      previousId: null,
      nextId: second.id,
    });

    await session.showAlternative(question.id, 'previous');
    expect(shown(session)).toEqual(['question', 'answer 1', 'follow-up', 'answer 2']);

    await session.showAlternative(question.id, 'next');
    expect(shown(session)).toEqual(['second wording', 'answer 3']);
    expect(session.getState().alternatives[second.id]).toMatchObject({
      position: 2,
      count: 3,
    });
    // The branch shown is kept, so a reload shows the same one.
    const conversationId = session.getState().activeConversationId!;
    expect(repository.conversations.get(conversationId)?.activeLeafId).toBe(messageWith(session, 'answer 3').id);
  });

  test('Regenerate of an earlier reply adds an alternative to it; the later turns stay on the old branch', async () => {
    const { session, lastRequest } = setup(numberedAnswers());
    await session.start();
    await session.send('first');
    await session.send('second');
    const firstReply = messageWith(session, 'answer 1');

    await session.regenerate(firstReply.id);

    expect(shown(session)).toEqual(['first', 'answer 3']);
    expect(lastRequest()).toEqual([{ role: 'user', content: 'first' }]);
    const newReply = messageWith(session, 'answer 3');
    expect(session.getState().alternatives[newReply.id]).toMatchObject({ position: 2, count: 2 });
    await session.showAlternative(newReply.id, 'previous');
    expect(shown(session)).toEqual(['first', 'answer 1', 'second', 'answer 2']);
  });

  test('Regenerate three times gives "3 / 3", each answer kept', async () => {
    const { session } = setup(numberedAnswers());
    await session.start();
    await session.send('question');
    await session.retry();
    await session.retry();
    const last = messageWith(session, 'answer 3');
    expect(session.getState().alternatives[last.id]).toMatchObject({ position: 3, count: 3 });
    await session.showAlternative(last.id, 'previous');
    await session.showAlternative(messageWith(session, 'answer 2').id, 'previous');
    expect(shown(session)).toEqual(['question', 'answer 1']);
  });

  test('an edit with the same or no text changes nothing', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('same');
    const same = messageWith(session, 'same');
    await session.editMessage(same.id, ' same ');
    await session.editMessage(same.id, '   ');
    expect(shown(session)).toEqual(['same', 'answer 1']);
    expect(repository.messages.size).toBe(2);
  });

  test('Continue appends to the stopped reply itself, after asking the engine to carry on', async () => {
    let calls = 0;
    const { session, repository, lastRequest } = setup(() =>
      ++calls === 1
        ? new ScriptedEngine([{ delta: 'Once upon' }, { waitForAbort: true }])
        : new ScriptedEngine([{ delta: ' a time.' }, { finishReason: 'stop' }]),
    );
    await session.start();
    const sending = session.send('Tell me a story');
    await until(() => session.getState().messages.at(-1)?.content === 'Once upon');
    session.stop();
    await sending;
    const stopped = messageWith(session, 'Once upon');
    expect(stopped.status).toBe('stopped');

    await session.continueReply(stopped.id);

    expect(lastRequest()).toEqual([
      { role: 'user', content: 'Tell me a story' },
      { role: 'assistant', content: 'Once upon' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
    expect(session.getState().messages).toMatchObject([
      { content: 'Tell me a story' },
      { id: stopped.id, content: 'Once upon a time.', status: 'complete' },
    ]);
    expect(repository.messages.get(stopped.id)).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
    expect(repository.messages.size).toBe(2);
  });

  test('a reply cut off by a closed tab shows as interrupted and can be continued', async () => {
    const repository = new MemoryRepository();
    await repository.putConversation({ id: 'c', title: 'Story', createdAt: 1, updatedAt: 2 });
    await repository.putMessage({
      id: 'q',
      conversationId: 'c',
      role: 'user',
      content: 'Tell me a story',
      createdAt: 1,
      updatedAt: 1,
      status: 'complete',
      parentId: null,
    });
    await repository.putMessage({
      id: 'r',
      conversationId: 'c',
      role: 'assistant',
      content: 'Once upon',
      createdAt: 2,
      updatedAt: 2,
      status: 'streaming',
      parentId: 'q',
    });
    const { session } = setup([{ delta: ' a time.' }], { repository });
    await session.start();
    expect(session.getState().messages.at(-1)).toMatchObject({ id: 'r', status: 'interrupted' });

    await session.continueReply('r');

    expect(session.getState().messages.at(-1)).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
    expect(repository.messages.get('r')).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
  });

  test('Continue of a reply that never got any text answers the question afresh, into that reply', async () => {
    let calls = 0;
    const { session, lastRequest } = setup(() =>
      ++calls === 1 ? new ScriptedEngine([{ waitForAbort: true }]) : new ScriptedEngine([{ delta: 'Hello!' }]),
    );
    await session.start();
    const sending = session.send('hi');
    await until(() => session.getState().streamingMessageId !== null);
    session.stop();
    await sending;
    const empty = session.getState().messages.at(-1)!;

    await session.continueReply(empty.id);

    expect(lastRequest()).toEqual([{ role: 'user', content: 'hi' }]);
    expect(session.getState().messages.at(-1)).toMatchObject({ id: empty.id, content: 'Hello!' });
  });

  test('Continue does nothing for a finished reply, and nothing starts while a reply streams', async () => {
    let calls = 0;
    const { session, repository } = setup(() =>
      ++calls === 1 ? new ScriptedEngine([{ delta: 'done' }]) : new ScriptedEngine([{ waitForAbort: true }]),
    );
    await session.start();
    await session.send('a');
    await session.continueReply(messageWith(session, 'done').id);
    expect(calls).toBe(1);

    const sending = session.send('b');
    await until(() => session.getState().streamingMessageId !== null);
    await session.retry();
    await session.editMessage(messageWith(session, 'a').id, 'changed');
    await session.send('c');
    expect(calls).toBe(2);
    session.stop();
    await sending;
    expect([...repository.messages.values()].map((m) => m.content)).not.toContain('changed');
  });
});
