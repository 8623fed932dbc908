/**
 * Two tabs of the app in one page: two chat sessions, each over its own IndexedDB repository on the same
 * database, hearing each other through the real BroadcastChannel. Only the engines are fakes. The tests drive the
 * sessions through the actions the UI calls and check what a user of either tab would see, and what is stored.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ChatEngine, EngineResolver } from '../../../src/engines/types.js';
import { ChatSession } from '../../../src/state/chat-session.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import type { Settings } from '../../../src/domain/settings.js';
import { visiblePath } from '../../../src/domain/branches.js';
import type { Range } from '../../../src/storage/search-text.js';
import { createStreamingWriter } from '../../../src/storage/streaming-writer.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import type { UnsavedReplyStore } from '../../../src/storage/unsaved-reply.js';
import { ControlledEngine, ScriptedEngine } from '../../unit/fakes/scripted-engine.js';
import { useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

/** How long another tab may take to show a change: a user notices anything slower. */
const PROMPTLY = { timeout: 1_000, interval: 20 };
/** How long both tabs may take to settle after writing at once. */
const SETTLED = { timeout: 5_000, interval: 50 };

/** A per-tab copy of the streaming reply (the real one is shared localStorage, which other test files also use). */
function memoryUnsavedReplies(): UnsavedReplyStore {
  let saved: MessageRecord | undefined;
  return {
    save: (message) => (saved = message),
    take: () => {
      const taken = saved;
      saved = undefined;
      return taken;
    },
    discard: (messageId) => {
      if (saved?.id === messageId) saved = undefined;
    },
  };
}

/** Replies "<name> answer 1", "<name> answer 2", … in two chunks each, unless the test hands it an engine. */
function numberedAnswers(name: string): () => ChatEngine {
  let calls = 0;
  return () => new ScriptedEngine([{ delta: `${name} answer ` }, { delta: String(++calls) }, { finishReason: 'stop' }]);
}

interface Tab {
  session: ChatSession;
  repository: ChatRepository;
}

/** A tab of the app as `main.ts` wires it, with a fake engine and no localStorage. */
async function openTab(databaseName: string, engine: () => ChatEngine): Promise<Tab> {
  const repository = await open(databaseName);
  const engines: EngineResolver = {
    resolve: async () => engine(),
    describe: (settings: Settings) => ({
      engine: settings.engine,
      label: 'Fake engine',
      model: settings.hfModel,
      available: true,
    }),
  };
  const session: ChatSession = new ChatSession({
    repository,
    engines,
    createStreamingWriter: (save) => createStreamingWriter(save),
    unsavedReplies: memoryUnsavedReplies(),
    saveFile: () => undefined,
    requestPersistentStorage: async () => false,
    whenIdle: (callback) => setTimeout(callback, 0),
  });
  await session.start();
  return { session, repository };
}

/** Two started tabs on one new database, and a third connection to read what the database holds. */
async function twoTabs(engines: { a?: () => ChatEngine; b?: () => ChatEngine } = {}) {
  const name = newDatabaseName();
  const a = await openTab(name, engines.a ?? numberedAnswers('A'));
  const b = await openTab(name, engines.b ?? numberedAnswers('B'));
  const database = await open(name);
  return { a, b, database };
}

/** What the transcript shows. */
function shown(tab: Tab): string[] {
  return tab.session.getState().messages.map((message) => message.content);
}

/** What the conversation list shows, by id (the order of two conversations updated in the same ms may differ). */
function listed(tab: Tab): [string, string][] {
  return tab.session
    .getState()
    .conversations.map(({ id, title }): [string, string] => [id, title])
    .sort(([x], [y]) => (x < y ? -1 : 1));
}

function titleIn(tab: Tab, id: string): string | undefined {
  return tab.session.getState().conversations.find((conversation) => conversation.id === id)?.title;
}

/** Every message stored, all conversations and branches. */
async function storedMessages(database: ChatRepository): Promise<MessageRecord[]> {
  const conversations = await database.listConversations();
  const messages = await Promise.all(conversations.map(({ id }) => database.listMessages(id)));
  return messages.flat();
}

/** A conversation started in tab `a` with `text`, then opened in tab `b` once `b` lists it: its id. */
async function openInBoth(a: Tab, b: Tab, text: string): Promise<string> {
  await a.session.send(text);
  const id = a.session.getState().activeConversationId!;
  await vi.waitFor(() => expect(titleIn(b, id)).toBe(text), PROMPTLY);
  await b.session.openConversation(id);
  return id;
}

/**
 * Both tabs agree with the database: the same conversations and titles listed, no reply streaming or unfinished,
 * and the open conversation showing exactly the branch stored as shown, every message complete.
 */
async function expectInStep(tabs: readonly Tab[], database: ChatRepository): Promise<void> {
  const conversations = await database.listConversations();
  const expectedList = conversations
    .map(({ id, title }): [string, string] => [id, title])
    .sort(([x], [y]) => (x < y ? -1 : 1));
  for (const tab of tabs) {
    const state = tab.session.getState();
    expect(state.alerts).toEqual([]);
    expect(state.streamingMessageId).toBeNull();
    expect(listed(tab)).toEqual(expectedList);
    const openId = state.activeConversationId;
    if (openId === null) continue;
    const record = conversations.find(({ id }) => id === openId);
    const path = visiblePath(await database.listMessages(openId), record?.activeLeafId).map((entry) => entry.message);
    const view = (messages: readonly MessageRecord[]) =>
      messages.map(({ id, content, status }) => ({ id, content, status }));
    expect(view(state.messages)).toEqual(view(path));
    expect(state.messages.every((message) => message.status === 'complete')).toBe(true);
  }
}

function highlighted(snippet: string, ranges: readonly Range[]): string[] {
  return ranges.map(([start, end]) => snippet.slice(start, end));
}

describe('two tabs on one database', () => {
  it('shows a conversation created, renamed and deleted in one tab in the other within a second', async () => {
    const { a, b, database } = await twoTabs();

    await a.session.send('Plan a trip to Lyon');
    const id = a.session.getState().activeConversationId!;
    await vi.waitFor(() => expect(titleIn(b, id)).toBe('Plan a trip to Lyon'), PROMPTLY);

    await b.session.openConversation(id);
    expect(shown(b)).toEqual(['Plan a trip to Lyon', 'A answer 1']);

    await a.session.renameConversation(id, 'Lyon in May');
    await vi.waitFor(() => expect(titleIn(b, id)).toBe('Lyon in May'), PROMPTLY);

    await a.session.deleteConversation(id);
    await vi.waitFor(() => expect(b.session.getState().conversations).toEqual([]), PROMPTLY);
    // It was open there: it closes rather than showing messages that no longer exist.
    expect(b.session.getState()).toMatchObject({ activeConversationId: null, messages: [] });

    // Undo in the first tab brings it back in the second.
    await a.session.undoDelete();
    await vi.waitFor(() => expect(titleIn(b, id)).toBe('Lyon in May'), PROMPTLY);
    await vi.waitFor(() => expectInStep([a, b], database), SETTLED);
  });

  it("shows a message sent in one tab, and its reply as it streams, in the other tab's open conversation", async () => {
    const engine = new ControlledEngine();
    const { a, b, database } = await twoTabs({ a: () => engine });
    engine.say('Hello!');
    engine.end();
    await openInBoth(a, b, 'Hi');
    expect(shown(b)).toEqual(['Hi', 'Hello!']);

    const sending = a.session.send('Tell me a story');
    await vi.waitFor(() => expect(shown(b)).toEqual(['Hi', 'Hello!', 'Tell me a story', '']), PROMPTLY);
    engine.say('Once upon a time');
    // The first words are saved at once, so the other tab sees the reply grow.
    await vi.waitFor(() => expect(shown(b).at(-1)).toBe('Once upon a time'), PROMPTLY);
    expect(b.session.getState().messages.at(-1)?.status).toBe('streaming');
    expect(b.session.getState().streamingMessageId).toBeNull();

    engine.say(', there were two tabs.');
    engine.end();
    await sending;
    await vi.waitFor(
      () =>
        expect(b.session.getState().messages.at(-1)).toMatchObject({
          content: 'Once upon a time, there were two tabs.',
          status: 'complete',
        }),
      PROMPTLY,
    );
    expect(shown(b)).toEqual(shown(a));
    await vi.waitFor(() => expectInStep([a, b], database), SETTLED);
  });

  it('loses nothing when one tab sends while the other renames the same conversation', async () => {
    const engine = new ControlledEngine();
    const { a, b, database } = await twoTabs({ a: () => engine });
    engine.say('Lyon is in France.');
    engine.end();
    const id = await openInBoth(a, b, 'Where is Lyon?');

    // The rename lands while the reply streams, between two of its saves.
    const sending = a.session.send('What should we eat there?');
    engine.say('Quenelles');
    await vi.waitFor(() => expect(shown(b).at(-1)).toBe('Quenelles'), PROMPTLY);
    await b.session.renameConversation(id, 'Food in Lyon');
    engine.say(' and a praline tart.');
    engine.end();
    await sending;

    // And a rename at the same moment as a whole turn.
    engine.say('Try Les Halles.');
    engine.end();
    await Promise.all([a.session.send('Where?'), b.session.renameConversation(id, 'Eating in Lyon')]);

    const expected = [
      'Where is Lyon?',
      'Lyon is in France.',
      'What should we eat there?',
      'Quenelles and a praline tart.',
      'Where?',
      'Try Les Halles.',
    ];
    await vi.waitFor(async () => {
      expect(shown(a)).toEqual(expected);
      expect(shown(b)).toEqual(expected);
      expect(titleIn(a, id)).toBe('Eating in Lyon');
      expect(titleIn(b, id)).toBe('Eating in Lyon');
      await expectInStep([a, b], database);
    }, SETTLED);
    expect((await database.getConversation(id))?.title).toBe('Eating in Lyon');
    expect((await database.listMessages(id)).map((message) => message.content).sort()).toEqual([...expected].sort());
  });

  it('ends on one title, the same in both tabs and the database, when both rename at once', async () => {
    const { a, b, database } = await twoTabs();
    await a.session.send('Shared');
    const id = a.session.getState().activeConversationId!;
    await vi.waitFor(() => expect(titleIn(b, id)).toBe('Shared'), PROMPTLY);
    for (let round = 1; round <= 5; round++) {
      await Promise.all([
        a.session.renameConversation(id, `First tab's name ${round}`),
        b.session.renameConversation(id, `Second tab's name ${round}`),
      ]);
    }
    await vi.waitFor(async () => {
      const stored = (await database.getConversation(id))?.title;
      expect(stored).toMatch(/ name 5$/);
      expect(titleIn(a, id)).toBe(stored);
      expect(titleIn(b, id)).toBe(stored);
      await expectInStep([a, b], database);
    }, SETTLED);
  });

  it('keeps both changes when the two tabs change different settings at the same moment', async () => {
    const { a, b, database } = await twoTabs();
    await Promise.all([
      a.session.updateSettings({ systemPrompt: 'Answer in French.' }),
      b.session.updateSettings({ sampling: { temperature: 0.2 } }),
    ]);
    await vi.waitFor(async () => {
      for (const settings of [
        a.session.getState().settings,
        b.session.getState().settings,
        await database.loadSettings(),
      ]) {
        expect(settings.systemPrompt).toBe('Answer in French.');
        expect(settings.sampling.temperature).toBe(0.2);
      }
    }, PROMPTLY);
  });

  it('stops a reply streaming into a conversation another tab deletes, keeps none of it, and Undo there brings back all of it', async () => {
    const engine = new ControlledEngine();
    const { a, b, database } = await twoTabs({ b: () => engine });
    const id = await openInBoth(a, b, 'Shared');
    const sending = b.session.send('A question from the second tab');
    engine.say('The first words');
    await vi.waitFor(() => expect(shown(a).at(-1)).toBe('The first words'), PROMPTLY);

    await a.session.deleteConversation(id);
    await sending;
    await vi.waitFor(() => expect(b.session.getState().conversations).toEqual([]), PROMPTLY);
    expect(b.session.getState()).toMatchObject({
      activeConversationId: null,
      messages: [],
      streamingMessageId: null,
      alerts: [],
    });
    // The second tab stopped and saved its reply's last state after the delete: that must not bring any of it back.
    expect(await database.getConversation(id)).toBeUndefined();
    expect(await database.listMessages(id)).toEqual([]);

    await a.session.undoDelete();
    await vi.waitFor(() => expect(titleIn(b, id)).toBe('Shared'), PROMPTLY);
    expect(shown(a)).toEqual(['Shared', 'A answer 1', 'A question from the second tab', 'The first words']);
    expect((await database.listMessages(id)).map((message) => message.content)).toEqual(shown(a));
  });

  it('loses nothing when both tabs send into different conversations at once', async () => {
    const { a, b, database } = await twoTabs();
    const turns = 5;
    for (let turn = 1; turn <= turns; turn++) {
      await Promise.all([a.session.send(`Alpha ${turn}`), b.session.send(`Beta ${turn}`)]);
    }
    const alpha = a.session.getState().activeConversationId!;
    const beta = b.session.getState().activeConversationId!;
    expect(alpha).not.toBe(beta);

    const transcript = (name: string, prefix: string) =>
      Array.from({ length: turns }, (_, i) => [`${prefix} ${i + 1}`, `${name} answer ${i + 1}`]).flat();
    await vi.waitFor(async () => {
      // Each tab lists both conversations, under their first message, and shows its own in full.
      expect(titleIn(a, beta)).toBe('Beta 1');
      expect(titleIn(b, alpha)).toBe('Alpha 1');
      expect(shown(a)).toEqual(transcript('A', 'Alpha'));
      expect(shown(b)).toEqual(transcript('B', 'Beta'));
      await expectInStep([a, b], database);
    }, SETTLED);

    const stored = await storedMessages(database);
    expect(stored).toHaveLength(4 * turns);
    expect(stored.filter((message) => message.conversationId === alpha).map((message) => message.content)).toEqual(
      transcript('A', 'Alpha'),
    );
    expect(stored.filter((message) => message.conversationId === beta).map((message) => message.content)).toEqual(
      transcript('B', 'Beta'),
    );

    // Swapping conversations shows the other tab's whole transcript.
    await Promise.all([a.session.openConversation(beta), b.session.openConversation(alpha)]);
    expect(shown(a)).toEqual(transcript('B', 'Beta'));
    expect(shown(b)).toEqual(transcript('A', 'Alpha'));
  });

  it('keeps both turns when both tabs send into the same conversation at once, as two branches', async () => {
    const { a, b, database } = await twoTabs();
    const id = await openInBoth(a, b, 'Common start');
    expect(shown(b)).toEqual(['Common start', 'A answer 1']);

    await Promise.all([a.session.send('From the first tab'), b.session.send('From the second tab')]);

    const stored = await database.listMessages(id);
    expect(stored.map((message) => message.content).sort()).toEqual(
      ['Common start', 'A answer 1', 'From the first tab', 'A answer 2', 'From the second tab', 'B answer 1'].sort(),
    );
    const start = stored.find((message) => message.content === 'A answer 1')!;
    const turns = stored.filter((message) => message.role === 'user' && message.parentId === start.id);
    expect(turns.map((message) => message.content).sort()).toEqual(['From the first tab', 'From the second tab']);
    // Each tab learns of the other's turn: "1 / 2" or "2 / 2" on the user message it shows.
    for (const tab of [a, b]) {
      await vi.waitFor(() => {
        const userMessage = tab.session.getState().messages[2];
        expect(userMessage && tab.session.getState().alternatives[userMessage.id]?.count).toBe(2);
      }, SETTLED);
    }
    await vi.waitFor(() => expectInStep([a, b], database), SETTLED);
  });

  it('finds in one tab what the other tab just wrote, however it is spelled', async () => {
    const { a, b } = await twoTabs();
    await a.session.send('Where do we meet?');
    await b.session.search('strasse');
    // The first search starts the search worker; the other tab's last writes may be heard meanwhile and search again.
    await vi.waitFor(
      () => expect(b.session.getState().search).toMatchObject({ query: 'strasse', results: [], pending: false }),
      PROMPTLY,
    );

    // The search shown refreshes as the other tab writes: no need to type it again.
    await a.session.send('At the Hauptstraße, by the fountain');
    const id = a.session.getState().activeConversationId!;
    await vi.waitFor(() => {
      const [result, ...others] = b.session.getState().search.results;
      expect(others).toEqual([]);
      expect(result?.conversationId).toBe(id);
      expect(result?.matches.map((match) => highlighted(match.snippet, match.ranges))).toEqual([['straße']]);
    }, PROMPTLY);

    await a.session.renameConversation(id, 'Meeting on the Strasse');
    await vi.waitFor(() => {
      const matches = b.session.getState().search.results[0]?.matches ?? [];
      expect(matches.map((match) => highlighted(match.snippet, match.ranges))).toEqual([['Strasse'], ['straße']]);
    }, PROMPTLY);
  });
});
