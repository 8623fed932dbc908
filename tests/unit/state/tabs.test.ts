import { describe, expect, test } from 'vitest';
import { STALE_STREAM_MS } from '../../../src/state/reducers.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { messageWith, shown, twoTabs, until } from './session-setup.js';

describe('tabs in step', () => {
  test('a conversation started in one tab appears in the other, and so do its new messages', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await b.session.start();

    await a.session.send('Hello from the first tab');
    await until(() => b.session.getState().conversations.length === 1);
    expect(b.session.getState().conversations[0]?.title).toBe('Hello from the first tab');

    await b.session.openConversation(a.session.getState().activeConversationId!);
    await a.session.send('And a second question');
    await until(() => shown(b.session).length === 4);
    expect(shown(b.session)).toEqual(shown(a.session));
  });

  test('a reply streaming in another tab grows here as that tab saves it, and is never stored as interrupted', async () => {
    const engine = new ControlledEngine();
    const { a, b, database, clock } = twoTabs({ a: () => engine });
    await a.session.start();
    await b.session.start();
    const sending = a.session.send('Tell me a story');
    await until(() => a.session.getState().streamingMessageId !== null);
    const replyId = a.session.getState().streamingMessageId!;
    await until(() => b.session.getState().conversations.length === 1);
    await b.session.openConversation(a.session.getState().activeConversationId!);

    engine.say('Once upon');
    await until(() => a.session.getState().messages.at(-1)?.content === 'Once upon');
    await a.session.flushPending();
    await until(() => b.session.getState().messages.at(-1)?.content === 'Once upon');
    expect(b.session.getState().messages.at(-1)).toMatchObject({ id: replyId, status: 'streaming' });
    expect(b.session.getState().streamingMessageId).toBeNull();

    // The other tab goes quiet (a long prefill, or it closed): shown as interrupted here, but not written so.
    clock.now += STALE_STREAM_MS + 1_000;
    b.timers.fire();
    expect(b.session.getState().messages.at(-1)?.status).toBe('interrupted');
    expect(database.records.messages.get(replyId)?.status).toBe('streaming');

    engine.say(' a time');
    await until(() => a.session.getState().messages.at(-1)?.content === 'Once upon a time');
    await a.session.flushPending();
    await until(() => b.session.getState().messages.at(-1)?.content === 'Once upon a time');
    expect(b.session.getState().messages.at(-1)?.status).toBe('streaming');

    engine.end();
    await sending;
    await until(() => b.session.getState().messages.at(-1)?.status === 'complete');
    expect(database.records.messages.get(replyId)).toMatchObject({ content: 'Once upon a time', status: 'complete' });
  });

  test("this tab's own streaming reply is never overwritten by what another tab's change makes it re-read", async () => {
    const engine = new ControlledEngine();
    const { a, b, database } = twoTabs({ b: () => engine });
    await a.session.start();
    await a.session.send('Shared question');
    const id = a.session.getState().activeConversationId!;
    await b.session.start();
    expect(b.session.getState().activeConversationId).toBe(id);

    const streaming = b.session.send('A question from the second tab');
    await until(() => b.session.getState().streamingMessageId !== null);
    engine.say('Only in memory so far');
    await until(() => b.session.getState().messages.at(-1)?.content === 'Only in memory so far');

    // A rename makes the second tab re-read every message; a message makes it re-read that one.
    await a.session.renameConversation(id, 'Renamed in the first tab');
    await until(() => b.session.getState().conversations[0]?.title === 'Renamed in the first tab');
    await a.session.send('Meanwhile, in the first tab');
    await until(() => shown(b.session).includes('answer 2'));

    // The first tab's message follows the reply it saw begin; the reply itself keeps every word streamed here.
    expect(shown(b.session)).toEqual([
      'Shared question',
      'answer 1',
      'A question from the second tab',
      'Only in memory so far',
      'Meanwhile, in the first tab',
      'answer 2',
    ]);
    expect(messageWith(b.session, 'Only in memory so far')).toMatchObject({
      id: b.session.getState().streamingMessageId,
      status: 'streaming',
    });

    engine.say(', and then saved.');
    const replyId = b.session.getState().streamingMessageId!;
    engine.end();
    await streaming;
    expect(database.records.messages.get(replyId)).toMatchObject({
      content: 'Only in memory so far, and then saved.',
      status: 'complete',
    });
  });

  test('two tabs writing to one conversation at once lose nothing: both turns become branches', async () => {
    const { a, b, database } = twoTabs();
    await a.session.start();
    await a.session.send('Common start');
    await b.session.start();
    const start = messageWith(a.session, 'answer 1');

    await Promise.all([a.session.send('From the first tab'), b.session.send('From the second tab')]);

    const stored = [...database.records.messages.values()];
    const fromA = stored.find((m) => m.content === 'From the first tab')!;
    const fromB = stored.find((m) => m.content === 'From the second tab')!;
    expect(fromA.parentId).toBe(start.id);
    expect(fromB.parentId).toBe(start.id);
    expect(stored.filter((m) => m.parentId === fromA.id)).toHaveLength(1);
    expect(stored.filter((m) => m.parentId === fromB.id)).toHaveLength(1);

    // Each tab learns of the other's turn: "2 / 2" on the user message it shows.
    for (const tab of [a, b]) {
      await until(() => {
        const userMessage = tab.session.getState().messages[2];
        return userMessage !== undefined && tab.session.getState().alternatives[userMessage.id]?.count === 2;
      });
    }
  });

  test('renames, deletions and settings made in another tab show here', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await a.session.send('To be renamed');
    const id = a.session.getState().activeConversationId!;
    await b.session.start();
    expect(shown(b.session)).toEqual(['To be renamed', 'answer 1']);

    await a.session.renameConversation(id, 'New name');
    await until(() => b.session.getState().conversations[0]?.title === 'New name');

    await a.session.updateSettings({ systemPrompt: 'Answer in French.' });
    await until(() => b.session.getState().settings.systemPrompt === 'Answer in French.');

    await a.session.deleteConversation(id);
    await until(() => b.session.getState().conversations.length === 0);
    expect(b.session.getState()).toMatchObject({ activeConversationId: null, messages: [] });

    await a.session.undoDelete();
    await until(() => b.session.getState().conversations.length === 1);
  });

  test('a branch chosen in another tab is followed here', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await a.session.send('question');
    await a.session.retry();
    await b.session.start();
    expect(shown(b.session)).toEqual(['question', 'answer 2']);

    await a.session.showAlternative(messageWith(a.session, 'answer 2').id, 'previous');
    await until(() => shown(b.session).at(-1) === 'answer 1');
  });

  test('a message sent here while a re-read is under way never leaves the screen', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await b.session.start();
    await a.session.send('Shared');
    const id = a.session.getState().activeConversationId!;
    await until(() => b.session.getState().conversations.length === 1);
    await b.session.openConversation(id);
    // The reply's text arrives with the first tab's last save: nothing is left to hear after it.
    await until(() => shown(b.session).join() === 'Shared,answer 1');
    const seen: string[][] = [];
    b.session.subscribe((state) => seen.push(state.messages.map((m) => m.content)));

    // The re-read for the rename reads storage, then waits while this tab sends a message.
    let reading = false;
    let reread = false;
    let release = () => {};
    const list = b.repository.listMessages.bind(b.repository);
    b.repository.listMessages = async (conversationId) => {
      const stored = await list(conversationId);
      reading = true;
      await new Promise<void>((resolve) => (release = resolve));
      reread = true;
      return stored;
    };
    await a.session.renameConversation(id, 'Renamed');
    await until(() => reading);
    const sending = b.session.send('Mine');
    await until(() => shown(b.session).includes('Mine'));
    release();
    await sending;
    await until(() => reread);
    await new Promise((resolve) => setTimeout(resolve, 0));

    const firstShown = seen.findIndex((messages) => messages.includes('Mine'));
    expect(seen.slice(firstShown).every((messages) => messages.includes('Mine'))).toBe(true);
    expect(shown(b.session)).toEqual(['Shared', 'answer 1', 'Mine', 'answer 1']);
  });
});
