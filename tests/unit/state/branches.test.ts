import { describe, expect, test } from 'vitest';
import { CONTINUE_PROMPT } from '../../../src/state/chat-controller.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { messageWith, numberedAnswers, setup, shown, until } from './controller-setup.js';

describe('branches: edit, regenerate, alternatives, continue', () => {
  test('editing a message starts a new branch with a new reply; the original branch stays', async () => {
    const { controller, repository, lastRequest } = setup(numberedAnswers());
    await controller.start();
    await controller.send('one');
    await controller.send('two');
    const two = messageWith(controller, 'two');

    await controller.editMessage(two.id, '  deux  ');

    expect(shown(controller)).toEqual(['one', 'answer 1', 'deux', 'answer 3']);
    expect(lastRequest()).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: 'deux' },
    ]);
    const deux = messageWith(controller, 'deux');
    expect(deux.parentId).toBe(two.parentId);
    expect(controller.getState().alternatives[deux.id]).toEqual({
      position: 2,
      count: 2,
      previousId: two.id,
      nextId: null,
    });
    expect(controller.getState().alternatives[messageWith(controller, 'one').id]).toBeUndefined();
    const stored = [...repository.messages.values()].map((m) => m.content).sort();
    expect(stored).toEqual(['answer 1', 'answer 2', 'answer 3', 'deux', 'one', 'two']);
  });

  test('Previous and Next alternative walk "1 / 3" … "3 / 3" and show each branch down to its end', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('question');
    await controller.send('follow-up');
    const question = messageWith(controller, 'question');
    await controller.editMessage(question.id, 'second wording');
    const second = messageWith(controller, 'second wording');
    await controller.editMessage(second.id, 'third wording');
    const third = messageWith(controller, 'third wording');
    expect(controller.getState().alternatives[third.id]).toMatchObject({ position: 3, count: 3, nextId: null });

    await controller.showAlternative(third.id, 'previous');
    expect(shown(controller)).toEqual(['second wording', 'answer 3']);
    await controller.showAlternative(second.id, 'previous');
    // The first wording's branch, down to its newest end: the follow-up and its reply come back.
    expect(shown(controller)).toEqual(['question', 'answer 1', 'follow-up', 'answer 2']);
    expect(controller.getState().alternatives[question.id]).toEqual({
      position: 1,
      count: 3,
      previousId: null,
      nextId: second.id,
    });

    await controller.showAlternative(question.id, 'previous');
    expect(shown(controller)).toEqual(['question', 'answer 1', 'follow-up', 'answer 2']);

    await controller.showAlternative(question.id, 'next');
    expect(shown(controller)).toEqual(['second wording', 'answer 3']);
    expect(controller.getState().alternatives[second.id]).toMatchObject({
      position: 2,
      count: 3,
    });
    // The branch shown is kept, so a reload shows the same one.
    const conversationId = controller.getState().activeConversationId!;
    expect(repository.conversations.get(conversationId)?.activeLeafId).toBe(messageWith(controller, 'answer 3').id);
  });

  test('Regenerate of an earlier reply adds an alternative to it; the later turns stay on the old branch', async () => {
    const { controller, lastRequest } = setup(numberedAnswers());
    await controller.start();
    await controller.send('first');
    await controller.send('second');
    const firstReply = messageWith(controller, 'answer 1');

    await controller.regenerate(firstReply.id);

    expect(shown(controller)).toEqual(['first', 'answer 3']);
    expect(lastRequest()).toEqual([{ role: 'user', content: 'first' }]);
    const newReply = messageWith(controller, 'answer 3');
    expect(controller.getState().alternatives[newReply.id]).toMatchObject({ position: 2, count: 2 });
    await controller.showAlternative(newReply.id, 'previous');
    expect(shown(controller)).toEqual(['first', 'answer 1', 'second', 'answer 2']);
  });

  test('Regenerate three times gives "3 / 3", each answer kept', async () => {
    const { controller } = setup(numberedAnswers());
    await controller.start();
    await controller.send('question');
    await controller.retry();
    await controller.retry();
    const last = messageWith(controller, 'answer 3');
    expect(controller.getState().alternatives[last.id]).toMatchObject({ position: 3, count: 3 });
    await controller.showAlternative(last.id, 'previous');
    await controller.showAlternative(messageWith(controller, 'answer 2').id, 'previous');
    expect(shown(controller)).toEqual(['question', 'answer 1']);
  });

  test('an edit with the same or no text changes nothing', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('same');
    const same = messageWith(controller, 'same');
    await controller.editMessage(same.id, ' same ');
    await controller.editMessage(same.id, '   ');
    expect(shown(controller)).toEqual(['same', 'answer 1']);
    expect(repository.messages.size).toBe(2);
  });

  test('Continue appends to the stopped reply itself, after asking the engine to carry on', async () => {
    let calls = 0;
    const { controller, repository, lastRequest } = setup(() =>
      ++calls === 1
        ? new ScriptedEngine([{ delta: 'Once upon' }, { waitForAbort: true }])
        : new ScriptedEngine([{ delta: ' a time.' }, { finishReason: 'stop' }]),
    );
    await controller.start();
    const sending = controller.send('Tell me a story');
    await until(() => controller.getState().messages.at(-1)?.content === 'Once upon');
    controller.stop();
    await sending;
    const stopped = messageWith(controller, 'Once upon');
    expect(stopped.status).toBe('stopped');

    await controller.continueReply(stopped.id);

    expect(lastRequest()).toEqual([
      { role: 'user', content: 'Tell me a story' },
      { role: 'assistant', content: 'Once upon' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
    expect(controller.getState().messages).toMatchObject([
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
    const { controller } = setup([{ delta: ' a time.' }], { repository });
    await controller.start();
    expect(controller.getState().messages.at(-1)).toMatchObject({ id: 'r', status: 'interrupted' });

    await controller.continueReply('r');

    expect(controller.getState().messages.at(-1)).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
    expect(repository.messages.get('r')).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
  });

  test('Continue of a reply that never got any text answers the question afresh, into that reply', async () => {
    let calls = 0;
    const { controller, lastRequest } = setup(() =>
      ++calls === 1 ? new ScriptedEngine([{ waitForAbort: true }]) : new ScriptedEngine([{ delta: 'Hello!' }]),
    );
    await controller.start();
    const sending = controller.send('hi');
    await until(() => controller.getState().streamingMessageId !== null);
    controller.stop();
    await sending;
    const empty = controller.getState().messages.at(-1)!;

    await controller.continueReply(empty.id);

    expect(lastRequest()).toEqual([{ role: 'user', content: 'hi' }]);
    expect(controller.getState().messages.at(-1)).toMatchObject({ id: empty.id, content: 'Hello!' });
  });

  test('Continue does nothing for a finished reply, and nothing starts while a reply streams', async () => {
    let calls = 0;
    const { controller, repository } = setup(() =>
      ++calls === 1 ? new ScriptedEngine([{ delta: 'done' }]) : new ScriptedEngine([{ waitForAbort: true }]),
    );
    await controller.start();
    await controller.send('a');
    await controller.continueReply(messageWith(controller, 'done').id);
    expect(calls).toBe(1);

    const sending = controller.send('b');
    await until(() => controller.getState().streamingMessageId !== null);
    await controller.retry();
    await controller.editMessage(messageWith(controller, 'a').id, 'changed');
    await controller.send('c');
    expect(calls).toBe(2);
    controller.stop();
    await sending;
    expect([...repository.messages.values()].map((m) => m.content)).not.toContain('changed');
  });
});
