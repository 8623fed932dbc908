/**
 * The session's tests where storage behaviour matters, written once and run over both repositories: the in-memory
 * one (`session-over-memory.test.ts`) and the IndexedDB one in a real browser
 * (`tests/browser/state/session-over-idb.test.ts`). They check what a user sees and what a reload (a new session
 * on the same database) shows, through the `ChatRepository` interface only.
 */
import { describe, expect, test } from 'vitest';
import type { ChatRepository } from '../../../src/storage/types.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { messageWith, numberedAnswers, setup, shown, until } from './session-setup.js';

/** A database that several tabs (or a page and the same page reloaded) open: each `tab()` is its own connection. */
export interface TestDatabase {
  tab(): Promise<ChatRepository>;
}

/** Makes a fresh, empty database for one test. */
export type NewTestDatabase = () => Promise<TestDatabase>;

export function sessionStorageSuite(label: string, newDatabase: NewTestDatabase): void {
  /** A started session on `database`, on a clock shared by the tabs of one test. */
  async function openTab(
    database: TestDatabase,
    clock: { now: number },
    idPrefix: string,
    engine: Parameters<typeof setup>[0] = numberedAnswers(),
  ) {
    const context = setup(engine, { repository: await database.tab(), clock, idPrefix });
    await context.session.start();
    return context;
  }

  describe(`the chat session over ${label}`, () => {
    test('a reply is stored as it was shown, and a reload shows the same conversation', async () => {
      const database = await newDatabase();
      const clock = { now: 100_000 };
      const page = await openTab(database, clock, 'a');
      await page.session.send('Say hello');
      await page.session.send('Once more');
      expect(shown(page.session)).toEqual(['Say hello', 'answer 1', 'Once more', 'answer 2']);

      const stored = await page.repository.listMessages(page.session.getState().activeConversationId!);
      expect(stored.map((message) => [message.content, message.status])).toEqual([
        ['Say hello', 'complete'],
        ['answer 1', 'complete'],
        ['Once more', 'complete'],
        ['answer 2', 'complete'],
      ]);
      const reloaded = await openTab(database, clock, 'b');
      expect(shown(reloaded.session)).toEqual(shown(page.session));
      expect(reloaded.session.getState().conversations.map((c) => c.title)).toEqual(['Say hello']);
    });

    test('Stop keeps the partial reply, stored as stopped, and a reload shows it', async () => {
      const database = await newDatabase();
      const clock = { now: 100_000 };
      const engine = new ControlledEngine();
      const page = await openTab(database, clock, 'a', () => engine);
      const sending = page.session.send('Tell me a story');
      engine.say('Once upon');
      await until(() => page.session.getState().messages.at(-1)?.content === 'Once upon');
      page.session.stop();
      await sending;

      const reloaded = await openTab(database, clock, 'b');
      expect(reloaded.session.getState().messages.map((m) => [m.content, m.status])).toEqual([
        ['Tell me a story', 'complete'],
        ['Once upon', 'stopped'],
      ]);
    });

    test('regenerate and edit keep every branch, and a reload shows the branch last chosen', async () => {
      const database = await newDatabase();
      const clock = { now: 100_000 };
      const page = await openTab(database, clock, 'a');
      await page.session.send('question');
      await page.session.retry();
      await page.session.editMessage(messageWith(page.session, 'question').id, 'better question');
      expect(shown(page.session)).toEqual(['better question', 'answer 3']);

      // Back to the first question, on its newest reply.
      await page.session.showAlternative(messageWith(page.session, 'better question').id, 'previous');
      expect(shown(page.session)).toEqual(['question', 'answer 2']);

      const reloaded = await openTab(database, clock, 'b');
      expect(shown(reloaded.session)).toEqual(['question', 'answer 2']);
      const { alternatives } = reloaded.session.getState();
      expect(alternatives[messageWith(reloaded.session, 'question').id]).toMatchObject({ position: 1, count: 2 });
      expect(alternatives[messageWith(reloaded.session, 'answer 2').id]).toMatchObject({ position: 2, count: 2 });
    });

    test('a deletion removes every record, and Undo writes them all back with the branch shown', async () => {
      const database = await newDatabase();
      const clock = { now: 100_000 };
      const page = await openTab(database, clock, 'a');
      await page.session.send('question');
      await page.session.retry();
      const id = page.session.getState().activeConversationId!;

      await page.session.deleteConversation(id);
      expect(await page.repository.getConversation(id)).toBeUndefined();
      expect(await page.repository.listMessages(id)).toEqual([]);

      await page.session.undoDelete();
      expect(shown(page.session)).toEqual(['question', 'answer 2']);
      expect((await page.repository.listMessages(id)).map((m) => m.content).sort()).toEqual([
        'answer 1',
        'answer 2',
        'question',
      ]);
      const reloaded = await openTab(database, clock, 'b');
      expect(shown(reloaded.session)).toEqual(['question', 'answer 2']);
    });

    test('an import stores every conversation of the backup, and a reload lists them', async () => {
      const source = await openTab(await newDatabase(), { now: 100_000 }, 's');
      await source.session.send('Crème brûlée recipe');
      await source.session.newConversation();
      await source.session.send('Été à Paris');
      expect((await source.session.exportAll()).ok).toBe(true);

      const database = await newDatabase();
      const clock = { now: 200_000 };
      const page = await openTab(database, clock, 'a');
      const outcome = await page.session.importBackup(source.saved[0]!.blob);
      expect(outcome).toEqual({ ok: true, message: 'Imported 2 conversations (4 messages).' });
      expect(page.session.getState().conversations.map((c) => c.title)).toEqual(['Été à Paris', 'Crème brûlée recipe']);

      const reloaded = await openTab(database, clock, 'b');
      expect(reloaded.session.getState().conversations.map((c) => c.title)).toEqual([
        'Été à Paris',
        'Crème brûlée recipe',
      ]);
      expect(shown(reloaded.session)).toEqual(['Été à Paris', 'answer 2']);
    });

    test("another tab shows this tab's new conversation and its messages, and a deletion closes it there", async () => {
      const database = await newDatabase();
      const clock = { now: 100_000 };
      const a = await openTab(database, clock, 'a');
      const b = await openTab(database, clock, 'b');
      await a.session.send('Hello from the first tab');
      const id = a.session.getState().activeConversationId!;
      await until(() => b.session.getState().conversations.length === 1);
      await b.session.openConversation(id);
      expect(shown(b.session)).toEqual(['Hello from the first tab', 'answer 1']);

      await a.session.send('And a second question');
      await until(() => shown(b.session).length === 4);
      expect(shown(b.session)).toEqual(shown(a.session));

      await a.session.deleteConversation(id);
      await until(() => b.session.getState().conversations.length === 0);
      expect(b.session.getState()).toMatchObject({ activeConversationId: null, messages: [] });
    });
  });
}
