import { describe, expect, test } from 'vitest';
import { STALE_STREAM_MS } from '../../../src/state/reducers.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { SharedDatabase } from '../fakes/tabs.js';
import { messageWith, numberedAnswers, setup, shown, until } from './controller-setup.js';

/** Two tabs of the app on one database, on one clock. */
function twoTabs(engines: { a?: () => ControlledEngine; b?: () => ControlledEngine } = {}) {
  const database = new SharedDatabase();
  const clock = { now: 100_000 };
  const a = setup(engines.a ?? numberedAnswers(), { repository: database.tab(), clock, idPrefix: 'a' });
  const b = setup(engines.b ?? numberedAnswers(), { repository: database.tab(), clock, idPrefix: 'b' });
  return { a, b, database, clock };
}

describe('tabs in step', () => {
  test('a conversation started in one tab appears in the other, and so do its new messages', async () => {
    const { a, b } = twoTabs();
    await a.controller.start();
    await b.controller.start();

    await a.controller.send('Hello from the first tab');
    await until(() => b.controller.getState().conversations.length === 1);
    expect(b.controller.getState().conversations[0]?.title).toBe('Hello from the first tab');

    await b.controller.openConversation(a.controller.getState().activeConversationId!);
    await a.controller.send('And a second question');
    await until(() => shown(b.controller).length === 4);
    expect(shown(b.controller)).toEqual(shown(a.controller));
  });

  test('a reply streaming in another tab grows here as that tab saves it, and is never stored as interrupted', async () => {
    const engine = new ControlledEngine();
    const { a, b, database, clock } = twoTabs({ a: () => engine });
    await a.controller.start();
    await b.controller.start();
    const sending = a.controller.send('Tell me a story');
    await until(() => a.controller.getState().streamingMessageId !== null);
    const replyId = a.controller.getState().streamingMessageId!;
    await until(() => b.controller.getState().conversations.length === 1);
    await b.controller.openConversation(a.controller.getState().activeConversationId!);

    engine.say('Once upon');
    await until(() => a.controller.getState().messages.at(-1)?.content === 'Once upon');
    await a.controller.flushPending();
    await until(() => b.controller.getState().messages.at(-1)?.content === 'Once upon');
    expect(b.controller.getState().messages.at(-1)).toMatchObject({ id: replyId, status: 'streaming' });
    expect(b.controller.getState().streamingMessageId).toBeNull();

    // The other tab goes quiet (a long prefill, or it closed): shown as interrupted here, but not written so.
    clock.now += STALE_STREAM_MS + 1_000;
    b.timers.fire();
    expect(b.controller.getState().messages.at(-1)?.status).toBe('interrupted');
    expect(database.records.messages.get(replyId)?.status).toBe('streaming');

    engine.say(' a time');
    await until(() => a.controller.getState().messages.at(-1)?.content === 'Once upon a time');
    await a.controller.flushPending();
    await until(() => b.controller.getState().messages.at(-1)?.content === 'Once upon a time');
    expect(b.controller.getState().messages.at(-1)?.status).toBe('streaming');

    engine.end();
    await sending;
    await until(() => b.controller.getState().messages.at(-1)?.status === 'complete');
    expect(database.records.messages.get(replyId)).toMatchObject({ content: 'Once upon a time', status: 'complete' });
  });

  test("this tab's own streaming reply is never overwritten by what another tab's change makes it re-read", async () => {
    const engine = new ControlledEngine();
    const { a, b, database } = twoTabs({ b: () => engine });
    await a.controller.start();
    await a.controller.send('Shared question');
    const id = a.controller.getState().activeConversationId!;
    await b.controller.start();
    expect(b.controller.getState().activeConversationId).toBe(id);

    const streaming = b.controller.send('A question from the second tab');
    await until(() => b.controller.getState().streamingMessageId !== null);
    engine.say('Only in memory so far');
    await until(() => b.controller.getState().messages.at(-1)?.content === 'Only in memory so far');

    // A rename makes the second tab re-read every message; a message makes it re-read that one.
    await a.controller.renameConversation(id, 'Renamed in the first tab');
    await until(() => b.controller.getState().conversations[0]?.title === 'Renamed in the first tab');
    await a.controller.send('Meanwhile, in the first tab');
    await until(() => shown(b.controller).includes('answer 2'));

    // The first tab's message follows the reply it saw begin; the reply itself keeps every word streamed here.
    expect(shown(b.controller)).toEqual([
      'Shared question',
      'answer 1',
      'A question from the second tab',
      'Only in memory so far',
      'Meanwhile, in the first tab',
      'answer 2',
    ]);
    expect(messageWith(b.controller, 'Only in memory so far')).toMatchObject({
      id: b.controller.getState().streamingMessageId,
      status: 'streaming',
    });

    engine.say(', and then saved.');
    const replyId = b.controller.getState().streamingMessageId!;
    engine.end();
    await streaming;
    expect(database.records.messages.get(replyId)).toMatchObject({
      content: 'Only in memory so far, and then saved.',
      status: 'complete',
    });
  });

  test('two tabs writing to one conversation at once lose nothing: both turns become branches', async () => {
    const { a, b, database } = twoTabs();
    await a.controller.start();
    await a.controller.send('Common start');
    await b.controller.start();
    const start = messageWith(a.controller, 'answer 1');

    await Promise.all([a.controller.send('From the first tab'), b.controller.send('From the second tab')]);

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
        const userMessage = tab.controller.getState().messages[2];
        return userMessage !== undefined && tab.controller.getState().alternatives[userMessage.id]?.count === 2;
      });
    }
  });

  test('renames, deletions and settings made in another tab show here', async () => {
    const { a, b } = twoTabs();
    await a.controller.start();
    await a.controller.send('To be renamed');
    const id = a.controller.getState().activeConversationId!;
    await b.controller.start();
    expect(shown(b.controller)).toEqual(['To be renamed', 'answer 1']);

    await a.controller.renameConversation(id, 'New name');
    await until(() => b.controller.getState().conversations[0]?.title === 'New name');

    await a.controller.updateSettings({ systemPrompt: 'Answer in French.' });
    await until(() => b.controller.getState().settings.systemPrompt === 'Answer in French.');

    await a.controller.deleteConversation(id);
    await until(() => b.controller.getState().conversations.length === 0);
    expect(b.controller.getState()).toMatchObject({ activeConversationId: null, messages: [] });

    await a.controller.undoDelete();
    await until(() => b.controller.getState().conversations.length === 1);
  });

  test('a branch chosen in another tab is followed here', async () => {
    const { a, b } = twoTabs();
    await a.controller.start();
    await a.controller.send('question');
    await a.controller.retry();
    await b.controller.start();
    expect(shown(b.controller)).toEqual(['question', 'answer 2']);

    await a.controller.showAlternative(messageWith(a.controller, 'answer 2').id, 'previous');
    await until(() => shown(b.controller).at(-1) === 'answer 1');
  });

  test('a message sent here while a re-read is under way never leaves the screen', async () => {
    const { a, b } = twoTabs();
    await a.controller.start();
    await b.controller.start();
    await a.controller.send('Shared');
    const id = a.controller.getState().activeConversationId!;
    await until(() => b.controller.getState().conversations.length === 1);
    await b.controller.openConversation(id);
    // The reply's text arrives with the first tab's last save: nothing is left to hear after it.
    await until(() => shown(b.controller).join() === 'Shared,answer 1');
    const seen: string[][] = [];
    b.controller.subscribe((state) => seen.push(state.messages.map((m) => m.content)));

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
    await a.controller.renameConversation(id, 'Renamed');
    await until(() => reading);
    const sending = b.controller.send('Mine');
    await until(() => shown(b.controller).includes('Mine'));
    release();
    await sending;
    await until(() => reread);
    await new Promise((resolve) => setTimeout(resolve, 0));

    const firstShown = seen.findIndex((messages) => messages.includes('Mine'));
    expect(seen.slice(firstShown).every((messages) => messages.includes('Mine'))).toBe(true);
    expect(shown(b.controller)).toEqual(['Shared', 'answer 1', 'Mine', 'answer 1']);
  });
});
