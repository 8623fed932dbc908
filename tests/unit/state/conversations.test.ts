import { describe, expect, test } from 'vitest';
import { UNDO_MS } from '../../../src/state/chat-controller.js';
import { BACKUP_MESSAGES, parseBackup } from '../../../src/storage/backup.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import type { StorageUsage } from '../../../src/storage/health.js';
import type { SearchResult } from '../../../src/storage/types.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { messageWith, numberedAnswers, setup, shown, until } from './controller-setup.js';

/** Everything stored, to compare before and after. */
function snapshot(repository: MemoryRepository) {
  return structuredClone({
    conversations: [...repository.conversations.values()],
    messages: [...repository.messages.values()],
  });
}

async function twoConversations() {
  const context = setup(numberedAnswers());
  const { controller } = context;
  await controller.start();
  await controller.send('Crème brûlée recipe');
  const dessert = controller.getState().activeConversationId!;
  await controller.newConversation();
  await controller.send('Été à Paris');
  const summer = controller.getState().activeConversationId!;
  return { ...context, dessert, summer };
}

describe('delete with undo', () => {
  test('Undo puts back the conversation with every branch and the branch shown, and reopens it', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('question');
    await controller.retry();
    const id = controller.getState().activeConversationId!;
    const before = snapshot(repository);

    await controller.deleteConversation(id);
    expect(controller.getState()).toMatchObject({ conversations: [], messages: [], activeConversationId: null });
    expect(repository.messages.size).toBe(0);
    expect(controller.getState().undo).toMatchObject({
      kind: 'delete-conversation',
      conversationId: id,
      title: 'question',
    });

    await controller.undoDelete();

    expect(snapshot(repository)).toEqual(before);
    expect(controller.getState().undo).toBeNull();
    expect(controller.getState().conversations.map((c) => c.id)).toEqual([id]);
    expect(controller.getState().activeConversationId).toBe(id);
    expect(shown(controller)).toEqual(['question', 'answer 2']);
    expect(controller.getState().alternatives[messageWith(controller, 'answer 2').id]).toMatchObject({ count: 2 });
  });

  test('the offer lapses after a few seconds, and the deletion stays', async () => {
    const { controller, repository, timers, clock } = setup(numberedAnswers());
    await controller.start();
    await controller.send('short-lived');
    await controller.deleteConversation(controller.getState().activeConversationId!);
    const { undo } = controller.getState();
    expect(undo!.expiresAt - clock.now).toBeGreaterThan(UNDO_MS - 100);
    expect(undo!.expiresAt - clock.now).toBeLessThanOrEqual(UNDO_MS);

    timers.fire();
    expect(controller.getState().undo).toBeNull();
    await controller.undoDelete();
    expect(repository.conversations.size).toBe(0);
    expect(controller.getState().conversations).toEqual([]);
  });

  test('a closed offer cannot be used; a later deletion replaces the earlier offer', async () => {
    const { controller, repository, dessert, summer } = await twoConversations();
    await controller.deleteConversation(dessert);
    controller.dismissUndo();
    await controller.undoDelete();
    expect(repository.conversations.has(dessert)).toBe(false);

    await controller.deleteConversation(summer);
    await controller.undoDelete();
    expect([...repository.conversations.keys()]).toEqual([summer]);
  });

  test('an Undo that cannot be written says why, and can be tried again', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('keep me');
    const id = controller.getState().activeConversationId!;
    await controller.deleteConversation(id);
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);

    await controller.undoDelete();
    expect(controller.getState().alerts.map((a) => a.message)).toEqual([STORAGE_MESSAGES.quota]);
    expect(controller.getState().undo).toMatchObject({ conversationId: id });

    await controller.undoDelete();
    expect(shown(controller)).toEqual(['keep me', 'answer 1']);
  });
});

describe('rename', () => {
  test('Rename keeps the new title, trimmed, and ignores an empty one', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('original');
    const id = controller.getState().activeConversationId!;
    await controller.renameConversation(id, '  Better title ');
    await controller.renameConversation(id, '   ');
    expect(controller.getState().conversations[0]?.title).toBe('Better title');
    expect(repository.conversations.get(id)?.title).toBe('Better title');
  });
});

describe('search', () => {
  test('finds titles and messages regardless of case and accents, with the ranges to highlight', async () => {
    const { controller, summer } = await twoConversations();
    await controller.search('ETE');
    const { search } = controller.getState();
    expect(search).toMatchObject({ query: 'ETE', pending: false });
    expect(search.results.map((r) => r.conversationId)).toEqual([summer]);
    const [titleMatch] = search.results[0]!.matches;
    expect(titleMatch!.ranges.map(([start, end]) => titleMatch!.snippet.slice(start, end))).toEqual(['Été']);

    await controller.search('answer 1');
    expect(controller.getState().search.results[0]?.matches[0]).toMatchObject({
      messageId: expect.any(String),
      snippet: 'answer 1',
    });

    await controller.search('  ');
    expect(controller.getState().search).toEqual({ query: '  ', results: [], pending: false });
  });

  test('a slower earlier query never overwrites a newer one', async () => {
    const { controller, repository } = await twoConversations();
    const gates: (() => void)[] = [];
    const search = repository.searchConversations.bind(repository);
    repository.searchConversations = async (query) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return search(query);
    };

    const older = controller.search('creme');
    const newer = controller.search('paris');
    expect(controller.getState().search).toMatchObject({ query: 'paris', pending: true });
    await until(() => gates.length === 2);
    gates[1]!();
    await newer;
    gates[0]!();
    await older;

    const { search: state } = controller.getState();
    expect(state).toMatchObject({ query: 'paris', pending: false });
    expect(state.results.map((r: SearchResult) => r.title)).toEqual(['Été à Paris']);
  });

  test('results follow a deletion while a query is shown', async () => {
    const { controller, dessert } = await twoConversations();
    await controller.search('answer');
    expect(controller.getState().search.results).toHaveLength(2);
    await controller.deleteConversation(dessert);
    await until(() => controller.getState().search.results.length === 1);
  });

  test('opening a match on another branch shows that branch and points at the message', async () => {
    const { controller, repository } = setup(numberedAnswers());
    await controller.start();
    await controller.send('question');
    await controller.retry();
    const id = controller.getState().activeConversationId!;
    await controller.newConversation();

    await controller.search('answer 1');
    const match = controller.getState().search.results[0]!.matches[0]!;
    await controller.openConversation(id, match.messageId);

    expect(shown(controller)).toEqual(['question', 'answer 1']);
    expect(controller.getState().focusedMessageId).toBe(match.messageId);
    expect(repository.conversations.get(id)?.activeLeafId).toBe(match.messageId);
  });

  test('builds the search index once the page is idle after start', async () => {
    const { controller, repository, idle } = setup([]);
    let prepared = 0;
    repository.prepareSearch = async () => void prepared++;
    await controller.start();
    expect(prepared).toBe(0);
    for (const callback of idle) callback();
    expect(prepared).toBe(1);
  });
});

describe('export and import', () => {
  test('Export all saves one JSON backup with every conversation and never the token', async () => {
    const { controller, saved, summer } = await twoConversations();
    await controller.updateSettings({
      hfToken: 'hf_secretToken123',
      endpointKeys: { 'https://example.com': 'sk-endpoint-key' },
    });
    await controller.exportAll();

    expect(saved).toHaveLength(1);
    const [file] = saved;
    expect(file!.name).toMatch(/^private-mistral-chat-\d{4}-\d{2}-\d{2}\.json$/);
    const text = await file!.blob.text();
    expect(text).not.toContain('hf_secretToken123');
    expect(text).not.toContain('sk-endpoint-key');
    const parsed = parseBackup(text);
    expect(parsed.ok && parsed.data.conversations.map((c) => c.id).sort()).toEqual(
      [summer, controller.getState().conversations[1]!.id].sort(),
    );
    expect(parsed.ok && parsed.data.messages).toHaveLength(4);
  });

  test('a backup stays importable when a reply outlived its conversation', async () => {
    const { controller, repository, saved } = await twoConversations();
    await repository.putMessage({
      id: 'orphan',
      conversationId: 'deleted-elsewhere',
      role: 'assistant',
      content: 'last save after the delete',
      createdAt: 1,
      updatedAt: 1,
      status: 'stopped',
    });
    await controller.exportAll();
    const parsed = parseBackup(await saved[0]!.blob.text());
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.data.messages.map((m) => m.id)).not.toContain('orphan');
  });

  test('Export as Markdown saves the branch shown, named after the title', async () => {
    const { controller, saved } = setup(numberedAnswers());
    await controller.start();
    await controller.send('Crème brûlée, please');
    await controller.retry();
    await controller.exportConversation(controller.getState().activeConversationId!);

    expect(saved[0]!.name).toBe('creme-brulee-please.md');
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('# Crème brûlée, please');
    expect(markdown).toContain('answer 2');
    expect(markdown).not.toContain('answer 1');
  });

  test('Markdown of a conversation that is not open has its branch shown too', async () => {
    const { controller, saved, dessert } = await twoConversations();
    await controller.exportConversation(dessert);
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('Crème brûlée recipe');
    expect(markdown).not.toContain('Paris');
  });

  test('Import of a broken or foreign file says so and changes nothing', async () => {
    const { controller, repository } = await twoConversations();
    const before = snapshot(repository);
    const list = controller.getState().conversations;

    await controller.importBackup(new Blob(['{"format":"private-mistral-chat","version":1,"conversations":[']));
    await controller.importBackup(new Blob([JSON.stringify({ conversations: [], messages: [] })]));

    expect(controller.getState().alerts.map((a) => a.message)).toEqual([
      BACKUP_MESSAGES.truncated,
      BACKUP_MESSAGES.foreign,
    ]);
    expect(snapshot(repository)).toEqual(before);
    expect(controller.getState().conversations).toEqual(list);
    expect(controller.getState().notice).toBeNull();
  });

  test('Import of a backup adds its conversations to the list and says what it added', async () => {
    const source = await twoConversations();
    await source.controller.exportAll();
    const backup = source.saved[0]!.blob;

    const { controller, repository } = setup([]);
    await controller.start();
    await controller.importBackup(backup);

    expect(controller.getState().notice?.message).toBe('Imported 2 conversations (4 messages).');
    expect(controller.getState().conversations.map((c) => c.title)).toEqual(['Été à Paris', 'Crème brûlée recipe']);
    expect(repository.messages.size).toBe(4);
    const { id } = controller.getState().notice!;
    controller.dismissNotice(id);
    expect(controller.getState().notice).toBeNull();
  });
});

describe('storage health', () => {
  test('asks for persistent storage at start, and measures usage when asked', async () => {
    const usage: StorageUsage = {
      conversationsBytes: 2_000,
      conversationCount: 1,
      messageCount: 2,
      indexedDbBytes: 50_000,
      modelsBytes: 4_500_000_000,
      totalUsage: 4_600_000_000,
      quota: 60_000_000_000,
      persisted: true,
    };
    let asked = 0;
    const { controller } = setup([], {
      requestPersistentStorage: async () => (asked++, false),
      estimateUsage: async () => usage,
    });
    await controller.start();
    expect(asked).toBe(1);
    await until(() => controller.getState().storage.persisted === false);

    const measuring = controller.refreshStorageUsage();
    expect(controller.getState().storage.measuring).toBe(true);
    await measuring;
    expect(controller.getState().storage).toEqual({ usage, persisted: true, measuring: false });
  });

  test('a full disk while a reply streams: one alert, the text stays on screen, the last save stays on disk', async () => {
    const repository = new MemoryRepository();
    const { controller } = setup([{ delta: 'Every word ' }, { delta: 'on screen' }, { waitForAbort: true }], {
      repository,
    });
    await controller.start();
    const sending = controller.send('Write a lot');
    await until(() => controller.getState().messages.at(-1)?.content === 'Every word on screen');
    const replyId = controller.getState().streamingMessageId!;
    const lastSaved = structuredClone(repository.messages.get(replyId));
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);

    controller.stop();
    await sending;

    expect(controller.getState().alerts.map((a) => a.message)).toEqual([STORAGE_MESSAGES.quota]);
    expect(controller.getState().messages.at(-1)).toMatchObject({ content: 'Every word on screen', status: 'stopped' });
    expect(repository.messages.get(replyId)).toEqual(lastSaved);
    expect(repository.messages.get(controller.getState().messages[0]!.id)?.content).toBe('Write a lot');
  });
});

describe('a long conversation', () => {
  /** A stored conversation of `count` messages, question and answer in turn, each following the one before. */
  function longConversation(repository: MemoryRepository, count: number) {
    const id = 'long';
    for (let i = 0; i < count; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      repository.messages.set(`m${i}`, {
        id: `m${i}`,
        conversationId: id,
        parentId: i === 0 ? null : `m${i - 1}`,
        role,
        content: role === 'user' ? `question ${i}` : `answer ${i}`,
        createdAt: 1_000 + i,
        updatedAt: 1_000 + i,
        status: 'complete',
      });
    }
    repository.conversations.set(id, {
      id,
      title: 'Long',
      createdAt: 1_000,
      updatedAt: 1_000 + count,
      activeLeafId: `m${count - 1}`,
    });
    return id;
  }

  /** Holds the read of the earlier messages until `paint()`, as the browser holds it until the newest are shown. */
  /**
   * A stored conversation of `count` messages, opening: its newest messages are shown, and the read of the earlier
   * ones waits for `paint()`, as the browser holds it until the newest are on screen.
   */
  async function openingLongConversation(count: number) {
    const repository = new MemoryRepository();
    const id = longConversation(repository, count);
    let paint = () => {};
    const afterPaint = () => new Promise<void>((resolve) => (paint = resolve));
    const context = setup(numberedAnswers(), { repository, afterPaint });
    const opened = context.controller.openConversation(id);
    await until(() => context.controller.getState().earlierMessagesLoading);
    return { ...context, opened, paint: () => paint() };
  }

  test('opens on its newest messages, then shows every one without moving them', async () => {
    const { controller, opened, paint } = await openingLongConversation(1_000);
    const first = shown(controller);
    // Enough to fill a tall screen of short messages, and few enough to open at once.
    expect(first.length).toBeGreaterThanOrEqual(12);
    expect(first.length).toBeLessThanOrEqual(20);
    expect(first.at(-1)).toBe('answer 999');

    paint();
    await opened;
    expect(controller.getState().earlierMessagesLoading).toBe(false);
    expect(shown(controller)).toHaveLength(1_000);
    expect(shown(controller)[0]).toBe('question 0');
    expect(shown(controller).slice(-first.length)).toEqual(first);
  });

  test('asked for a new reply while the earlier messages are read, the engine gets the whole conversation', async () => {
    const { controller, lastRequest, opened, paint } = await openingLongConversation(200);
    const regenerated = controller.regenerate('m199');
    paint();
    await Promise.all([opened, regenerated]);

    expect(lastRequest()).toHaveLength(199);
    expect(lastRequest()[0]).toEqual({ role: 'user', content: 'question 0' });
    expect(shown(controller)).toHaveLength(200);
    expect(shown(controller).at(-1)).toBe('answer 1');
    expect(controller.getState().alternatives['m199']).toBeUndefined();
    expect(Object.values(controller.getState().alternatives)).toEqual([
      expect.objectContaining({ position: 2, count: 2 }),
    ]);
  });

  test('exported as Markdown while its earlier messages are read, the file holds all of it', async () => {
    const { controller, saved, opened, paint } = await openingLongConversation(200);
    // The export code loaded already, so nothing but the read of the earlier messages could hold the export back.
    await import('../../../src/storage/backup.js');
    const exported = controller.exportConversation('long');
    for (let task = 0; task < 10; task++) await new Promise((resolve) => setTimeout(resolve, 0));
    paint();
    await Promise.all([opened, exported]);
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('question 0');
    expect(markdown).toContain('answer 199');
  });

  test('closed before its earlier messages are read, it stays closed', async () => {
    const { controller, opened, paint } = await openingLongConversation(200);
    await controller.newConversation();
    paint();
    await opened;
    expect(controller.getState()).toMatchObject({
      activeConversationId: null,
      messages: [],
      earlierMessagesLoading: false,
    });
  });
});
