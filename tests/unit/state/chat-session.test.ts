import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../src/engines/types.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { MapStorage } from '../fakes/map-storage.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import type { StreamingWriter } from '../../../src/storage/streaming-writer.js';
import { localUnsavedReplyStore } from '../../../src/storage/unsaved-reply.js';
import { setup, until } from './session-setup.js';

describe('ChatSession', () => {
  test('streams a reply into the transcript and keeps both messages on disk', async () => {
    const { session, repository } = setup([{ delta: 'Bonjour' }, { delta: ' !' }, { finishReason: 'stop' }]);
    await session.start();
    await session.send('  Say hello in French  ');

    const { messages, conversations, streamingMessageId } = session.getState();
    expect(messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'Say hello in French', 'complete'],
      ['assistant', 'Bonjour !', 'complete'],
    ]);
    expect(messages[1]).toMatchObject({ engine: 'hosted', model: 'mistralai/Mistral-7B-Instruct-v0.3' });
    expect(streamingMessageId).toBeNull();
    expect(conversations.map((c) => c.title)).toEqual(['Say hello in French']);
    const stored = await repository.listMessages(conversations[0]!.id);
    expect(stored.map((m) => m.content)).toEqual(['Say hello in French', 'Bonjour !']);
  });

  test('sends the system prompt first and the whole conversation on the second turn', async () => {
    const { session, lastEngine } = setup([{ delta: 'ok' }]);
    await session.start();
    await session.updateSettings({ systemPrompt: 'Be brief.' });
    await session.send('one');
    await session.send('two');
    expect(lastEngine().requests[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'two' },
    ]);
  });

  test('a reply records how many old turns the engine left out to fit its context', async () => {
    const { session, repository } = setup([{ omittedTurns: 4 }, { delta: 'short answer' }]);
    await session.start();
    await session.send('a question after a long talk');
    const reply = session.getState().messages.at(-1)!;
    expect(reply).toMatchObject({ content: 'short answer', omittedTurns: 4 });
    expect(repository.messages.get(reply.id)?.omittedTurns).toBe(4);
  });

  test('does nothing for an empty message', async () => {
    const { session, repository } = setup([{ delta: 'x' }]);
    await session.start();
    await session.send('   \n ');
    expect(session.getState().messages).toEqual([]);
    expect(repository.conversations.size).toBe(0);
  });

  test('Stop aborts the stream and keeps the partial reply, on screen and on disk', async () => {
    const { session, repository, lastEngine } = setup([{ delta: 'Once ' }, { delta: 'upon' }, { waitForAbort: true }]);
    await session.start();
    const sending = session.send('Tell me a story');
    await until(() => session.getState().messages.at(-1)?.content === 'Once upon');
    expect(session.getState().streamingMessageId).not.toBeNull();

    session.stop();
    await sending;

    expect(lastEngine().signals[0]!.aborted).toBe(true);
    const reply = session.getState().messages.at(-1)!;
    expect(reply).toMatchObject({ content: 'Once upon', status: 'stopped' });
    expect(repository.messages.get(reply.id)).toMatchObject({ content: 'Once upon', status: 'stopped' });
    expect(session.getState().streamingMessageId).toBeNull();
  });

  test('an engine failure keeps the partial reply, marks it failed and raises one alert', async () => {
    const failure = new EngineError('stream-error', 'The server stopped the reply with an error. Try again.');
    const { session, repository } = setup([{ delta: 'Partial' }, { error: failure }]);
    await session.start();
    await session.send('hi');

    const reply = session.getState().messages.at(-1)!;
    expect(reply).toMatchObject({ content: 'Partial', status: 'error', error: failure.userMessage });
    expect(repository.messages.get(reply.id)?.content).toBe('Partial');
    expect(session.getState().alerts.map((a) => a.message)).toEqual([failure.userMessage]);
  });

  test('a failed reply is left out of the next request', async () => {
    let calls = 0;
    const { session, lastEngine } = setup(() =>
      ++calls === 1
        ? new ScriptedEngine([{ error: new EngineError('rate-limited', 'Rate limit reached. Wait a minute.') }])
        : new ScriptedEngine([{ delta: 'fine' }]),
    );
    await session.start();
    await session.send('first');
    await session.send('second');
    expect(lastEngine().requests[0]!.messages.filter((turn) => turn.role !== 'system')).toEqual([
      { role: 'user', content: 'first' },
      { role: 'user', content: 'second' },
    ]);
  });

  test('Regenerate adds a new reply and keeps the old one as an alternative', async () => {
    let calls = 0;
    const { session, repository } = setup(() => new ScriptedEngine([{ delta: `answer ${++calls}` }]));
    await session.start();
    await session.send('question');
    await session.retry();
    expect(session.getState().messages.map((m) => m.content)).toEqual(['question', 'answer 2']);
    expect([...repository.messages.values()].map((m) => m.content).sort()).toEqual([
      'answer 1',
      'answer 2',
      'question',
    ]);
  });

  test('shows the retry notice while the engine waits, and clears it when text arrives', async () => {
    const { session } = setup([{ retry: true }, { waitForAbort: true }]);
    await session.start();
    const sending = session.send('hello');
    await until(() => session.getState().retryNotice !== null);
    expect(session.getState().retryNotice).toMatchObject({ attempt: 1, delayMs: 2000 });
    session.stop();
    await sending;
    expect(session.getState().retryNotice).toBeNull();
  });

  test('reopens the latest conversation on start and marks a reply cut off by a closed tab as interrupted', async () => {
    const repository = new MemoryRepository();
    await repository.putConversation({ id: 'old', title: 'Old', createdAt: 1, updatedAt: 2 });
    await repository.putConversation({ id: 'recent', title: 'Recent', createdAt: 3, updatedAt: 4 });
    await repository.putMessage({
      id: 'm1',
      conversationId: 'recent',
      role: 'assistant',
      content: 'half a sent',
      createdAt: 3,
      updatedAt: 4,
      status: 'streaming',
    });
    const { session } = setup([], { repository });
    await session.start();
    const state = session.getState();
    expect(state.conversations.map((c) => c.title)).toEqual(['Recent', 'Old']);
    expect(state.activeConversationId).toBe('recent');
    expect(state.messages).toMatchObject([{ content: 'half a sent', status: 'interrupted' }]);
  });

  test('a storage failure becomes an alert and what the user typed stays on screen', async () => {
    const repository = new MemoryRepository();
    const { session } = setup([{ delta: 'reply' }], { repository });
    await session.start();
    await session.send('first');
    repository.failNextWrite = Object.assign(new Error('full'), {
      userMessage: 'Storage is full, so the last change was not saved.',
    });
    await session.send('second');
    expect(session.getState().messages.some((m) => m.content === 'second')).toBe(true);
    expect(session.getState().alerts.map((a) => a.message)).toEqual([
      'Storage is full, so the last change was not saved.',
    ]);
  });

  test('settings changes are merged, kept, and drive the engine status', async () => {
    const { session, repository } = setup([]);
    await session.start();
    await session.updateSettings({ hfModel: 'mistralai/Mistral-7B-Instruct-v0.3:together' });
    await session.updateSettings({ sampling: { ...session.getState().settings.sampling, temperature: 0.2 } });
    expect(repository.settings.hfModel).toBe('mistralai/Mistral-7B-Instruct-v0.3:together');
    expect(repository.settings.sampling).toMatchObject({ temperature: 0.2, topP: 0.95, maxNewTokens: 512 });
    expect(session.getState().engineStatus.model).toBe('mistralai/Mistral-7B-Instruct-v0.3:together');
  });

  test('deleting a conversation while its reply streams leaves no message behind', async () => {
    const { session, repository } = setup([{ delta: 'still talking' }, { waitForAbort: true }]);
    await session.start();
    const sending = session.send('hello');
    await until(() => session.getState().messages.at(-1)?.content === 'still talking');
    await session.deleteConversation(session.getState().activeConversationId!);
    await sending;
    expect(repository.messages.size).toBe(0);
    expect(session.getState().streamingMessageId).toBeNull();
  });

  test('deleting the open conversation removes it everywhere', async () => {
    const { session, repository } = setup([{ delta: 'x' }]);
    await session.start();
    await session.send('bye');
    const id = session.getState().activeConversationId!;
    await session.deleteConversation(id);
    expect(session.getState()).toMatchObject({ conversations: [], messages: [], activeConversationId: null });
    expect(repository.messages.size).toBe(0);
  });
});

describe('a tab closed mid-reply', () => {
  test('the text shown is restored from the synchronous copy when IndexedDB never got the last write', async () => {
    const repository = new MemoryRepository();
    const unsavedReplies = localUnsavedReplyStore(new MapStorage().asStorage());
    // A closing page: the writer's IndexedDB write never completes.
    const closingPage = (): StreamingWriter => ({
      update: () => undefined,
      flush: () => new Promise<void>(() => undefined),
      dispose: () => undefined,
    });
    const first = setup([{ delta: 'Once ' }, { delta: 'upon a time' }, { waitForAbort: true }], {
      repository,
      unsavedReplies,
      createStreamingWriter: closingPage,
    });
    await first.session.start();
    void first.session.send('Tell me a story');
    await until(() => first.session.getState().messages.at(-1)?.content === 'Once upon a time');
    void first.session.flushPending();

    const reopened = setup([], { repository, unsavedReplies, clock: { now: 1_000_000 } });
    await reopened.session.start();
    expect(reopened.session.getState().messages.at(-1)).toMatchObject({
      content: 'Once upon a time',
      status: 'interrupted',
    });
    expect(unsavedReplies.take()).toBeUndefined();
  });

  test('an older copy never overwrites newer text already in IndexedDB', async () => {
    const repository = new MemoryRepository();
    const unsavedReplies = localUnsavedReplyStore(new MapStorage().asStorage());
    const first = setup([{ delta: 'Complete answer' }], { repository, unsavedReplies });
    await first.session.start();
    await first.session.send('question');
    const reply = first.session.getState().messages.at(-1)!;
    unsavedReplies.save({ ...reply, content: 'Comp', status: 'streaming', updatedAt: reply.updatedAt - 1 });

    const reopened = setup([], { repository, unsavedReplies });
    await reopened.session.start();
    expect(reopened.session.getState().messages.at(-1)?.content).toBe('Complete answer');
  });
});
