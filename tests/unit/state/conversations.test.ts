import { describe, expect, test, vi } from 'vitest';
import { UNDO_MS } from '../../../src/state/chat-session.js';
import { BACKUP_MESSAGES, parseBackup } from '../../../src/storage/backup.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import type { StorageUsage } from '../../../src/storage/health.js';
import type { SearchResult } from '../../../src/storage/types.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { messageWith, numberedAnswers, setup, shown, until } from './session-setup.js';

/** Everything stored, to compare before and after. */
function snapshot(repository: MemoryRepository) {
  return structuredClone({
    conversations: [...repository.conversations.values()],
    messages: [...repository.messages.values()],
  });
}

async function twoConversations() {
  const context = setup(numberedAnswers());
  const { session } = context;
  await session.start();
  await session.send('Crème brûlée recipe');
  const dessert = session.getState().activeConversationId!;
  await session.newConversation();
  await session.send('Été à Paris');
  const summer = session.getState().activeConversationId!;
  return { ...context, dessert, summer };
}

describe('delete with undo', () => {
  test('Undo puts back the conversation with every branch and the branch shown, and reopens it', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('question');
    await session.retry();
    const id = session.getState().activeConversationId!;
    const before = snapshot(repository);

    await session.deleteConversation(id);
    expect(session.getState()).toMatchObject({ conversations: [], messages: [], activeConversationId: null });
    expect(repository.messages.size).toBe(0);
    expect(session.getState().undo).toMatchObject({
      kind: 'delete-conversation',
      conversationId: id,
      title: 'question',
    });

    await session.undoDelete();

    expect(snapshot(repository)).toEqual(before);
    expect(session.getState().undo).toBeNull();
    expect(session.getState().conversations.map((c) => c.id)).toEqual([id]);
    expect(session.getState().activeConversationId).toBe(id);
    expect(shown(session)).toEqual(['question', 'answer 2']);
    expect(session.getState().alternatives[messageWith(session, 'answer 2').id]).toMatchObject({ count: 2 });
  });

  test('the offer lapses after a few seconds, and the deletion stays', async () => {
    const { session, repository, timers, clock } = setup(numberedAnswers());
    await session.start();
    await session.send('short-lived');
    await session.deleteConversation(session.getState().activeConversationId!);
    const { undo } = session.getState();
    expect(undo!.expiresAt - clock.now).toBeGreaterThan(UNDO_MS - 100);
    expect(undo!.expiresAt - clock.now).toBeLessThanOrEqual(UNDO_MS);

    timers.fire();
    expect(session.getState().undo).toBeNull();
    await session.undoDelete();
    expect(repository.conversations.size).toBe(0);
    expect(session.getState().conversations).toEqual([]);
  });

  test('a closed offer cannot be used; a later deletion replaces the earlier offer', async () => {
    const { session, repository, dessert, summer } = await twoConversations();
    await session.deleteConversation(dessert);
    session.dismissUndo();
    await session.undoDelete();
    expect(repository.conversations.has(dessert)).toBe(false);

    await session.deleteConversation(summer);
    await session.undoDelete();
    expect([...repository.conversations.keys()]).toEqual([summer]);
  });

  test('an Undo that cannot be written says why, and can be tried again', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('keep me');
    const id = session.getState().activeConversationId!;
    await session.deleteConversation(id);
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);

    await session.undoDelete();
    expect(session.getState().alerts.map((a) => a.message)).toEqual([STORAGE_MESSAGES.quota]);
    expect(session.getState().undo).toMatchObject({ conversationId: id });

    await session.undoDelete();
    expect(shown(session)).toEqual(['keep me', 'answer 1']);
  });
});

describe('rename', () => {
  test('Rename keeps the new title, trimmed, and ignores an empty one', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('original');
    const id = session.getState().activeConversationId!;
    await session.renameConversation(id, '  Better title ');
    await session.renameConversation(id, '   ');
    expect(session.getState().conversations[0]?.title).toBe('Better title');
    expect(repository.conversations.get(id)?.title).toBe('Better title');
  });
});

describe('search', () => {
  test('finds titles and messages regardless of case and accents, with the ranges to highlight', async () => {
    const { session, summer } = await twoConversations();
    await session.search('ETE');
    const { search } = session.getState();
    expect(search).toMatchObject({ query: 'ETE', pending: false });
    expect(search.results.map((r) => r.conversationId)).toEqual([summer]);
    const [titleMatch] = search.results[0]!.matches;
    expect(titleMatch!.ranges.map(([start, end]) => titleMatch!.snippet.slice(start, end))).toEqual(['Été']);

    await session.search('answer 1');
    expect(session.getState().search.results[0]?.matches[0]).toMatchObject({
      messageId: expect.any(String),
      snippet: 'answer 1',
    });

    await session.search('  ');
    expect(session.getState().search).toEqual({ query: '  ', results: [], pending: false });
  });

  test('a slower earlier query never overwrites a newer one', async () => {
    const { session, repository } = await twoConversations();
    const gates: (() => void)[] = [];
    const search = repository.searchConversations.bind(repository);
    repository.searchConversations = async (query) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return search(query);
    };

    const older = session.search('creme');
    const newer = session.search('paris');
    expect(session.getState().search).toMatchObject({ query: 'paris', pending: true });
    await until(() => gates.length === 2);
    gates[1]!();
    await newer;
    gates[0]!();
    await older;

    const { search: state } = session.getState();
    expect(state).toMatchObject({ query: 'paris', pending: false });
    expect(state.results.map((r: SearchResult) => r.title)).toEqual(['Été à Paris']);
  });

  test('results follow a deletion while a query is shown', async () => {
    const { session, dessert } = await twoConversations();
    await session.search('answer');
    expect(session.getState().search.results).toHaveLength(2);
    await session.deleteConversation(dessert);
    await until(() => session.getState().search.results.length === 1);
  });

  test('opening a match on another branch shows that branch and points at the message', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.send('question');
    await session.retry();
    const id = session.getState().activeConversationId!;
    await session.newConversation();

    await session.search('answer 1');
    const match = session.getState().search.results[0]!.matches[0]!;
    await session.openConversation(id, match.messageId);

    expect(shown(session)).toEqual(['question', 'answer 1']);
    expect(session.getState().focusedMessageId).toBe(match.messageId);
    expect(repository.conversations.get(id)?.activeLeafId).toBe(match.messageId);
  });

  test('builds the search index once the page is idle after start', async () => {
    const { session, repository, idle } = setup([]);
    let prepared = 0;
    repository.prepareSearch = async () => void prepared++;
    await session.start();
    expect(prepared).toBe(0);
    for (const callback of idle) callback();
    expect(prepared).toBe(1);
  });
});

describe('export and import', () => {
  test('Export all saves one JSON backup with every conversation and never the token', async () => {
    const { session, saved, summer } = await twoConversations();
    await session.updateSettings({
      hfToken: 'hf_secretToken123',
      endpointKeys: { 'https://example.com': 'sk-endpoint-key' },
    });
    const outcome = await session.exportAll();

    expect(outcome).toEqual({ ok: true, message: 'Exported 2 conversations. The file is in your downloads.' });
    expect(saved).toHaveLength(1);
    const [file] = saved;
    expect(file!.name).toMatch(/^private-mistral-chat-\d{4}-\d{2}-\d{2}\.json$/);
    const text = await file!.blob.text();
    expect(text).not.toContain('hf_secretToken123');
    expect(text).not.toContain('sk-endpoint-key');
    const parsed = parseBackup(text);
    expect(parsed.ok && parsed.data.conversations.map((c) => c.id).sort()).toEqual(
      [summer, session.getState().conversations[1]!.id].sort(),
    );
    expect(parsed.ok && parsed.data.messages).toHaveLength(4);
  });

  test('a backup stays importable when a reply outlived its conversation', async () => {
    const { session, repository, saved } = await twoConversations();
    await repository.putMessage({
      id: 'orphan',
      conversationId: 'deleted-elsewhere',
      role: 'assistant',
      content: 'last save after the delete',
      createdAt: 1,
      updatedAt: 1,
      status: 'stopped',
    });
    await session.exportAll();
    const parsed = parseBackup(await saved[0]!.blob.text());
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.data.messages.map((m) => m.id)).not.toContain('orphan');
  });

  test('Export as Markdown saves the branch shown, named after the title', async () => {
    const { session, saved } = setup(numberedAnswers());
    await session.start();
    await session.send('Crème brûlée, please');
    await session.retry();
    const outcome = await session.exportConversation(session.getState().activeConversationId!);

    expect(outcome).toEqual({
      ok: true,
      message: 'Saved “Crème brûlée, please” as Markdown. The file is in your downloads.',
    });
    expect(saved[0]!.name).toBe('creme-brulee-please.md');
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('# Crème brûlée, please');
    expect(markdown).toContain('answer 2');
    expect(markdown).not.toContain('answer 1');
  });

  test('Markdown of a conversation that is not open has its branch shown too', async () => {
    const { session, saved, dessert } = await twoConversations();
    await session.exportConversation(dessert);
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('Crème brûlée recipe');
    expect(markdown).not.toContain('Paris');
  });

  test('Import of a broken or foreign file says so and changes nothing', async () => {
    const { session, repository } = await twoConversations();
    const before = snapshot(repository);
    const list = session.getState().conversations;

    const outcomes = [
      await session.importBackup(new Blob(['{"format":"private-mistral-chat","version":1,"conversations":['])),
      await session.importBackup(new Blob([JSON.stringify({ conversations: [], messages: [] })])),
    ];

    expect(outcomes).toEqual([
      { ok: false, message: BACKUP_MESSAGES.truncated },
      { ok: false, message: BACKUP_MESSAGES.foreign },
    ]);
    // The Backup panel says it: no alert is raised for it.
    expect(session.getState().alerts).toEqual([]);
    expect(snapshot(repository)).toEqual(before);
    expect(session.getState().conversations).toEqual(list);
    expect(session.getState().notice).toBeNull();
  });

  test('Import of a backup adds its conversations to the list and says what it added', async () => {
    const source = await twoConversations();
    await source.session.exportAll();
    const backup = source.saved[0]!.blob;

    const { session, repository } = setup([]);
    await session.start();
    const outcome = await session.importBackup(backup);

    expect(outcome).toEqual({ ok: true, message: 'Imported 2 conversations (4 messages).' });
    expect(session.getState().notice?.message).toBe('Imported 2 conversations (4 messages).');
    expect(session.getState().conversations.map((c) => c.title)).toEqual(['Été à Paris', 'Crème brûlée recipe']);
    expect(repository.messages.size).toBe(4);
    const { id } = session.getState().notice!;
    session.dismissNotice(id);
    expect(session.getState().notice).toBeNull();
  });
});

describe('storage health', () => {
  test('asks for persistent storage at start, and measures usage when asked', async () => {
    const usage: StorageUsage = {
      conversationsBytes: 2_000,
      conversationCount: 1,
      messageCount: 2,
      attachmentCount: 0,
      attachmentsBytes: 0,
      indexedDbBytes: 50_000,
      modelsBytes: 4_500_000_000,
      totalUsage: 4_600_000_000,
      quota: 60_000_000_000,
      persisted: true,
    };
    let asked = 0;
    const { session } = setup([], {
      requestPersistentStorage: async () => (asked++, false),
      estimateUsage: async () => usage,
    });
    await session.start();
    expect(asked).toBe(1);
    await until(() => session.getState().storage.persisted === false);

    const measuring = session.refreshStorageUsage();
    expect(session.getState().storage.measuring).toBe(true);
    await measuring;
    expect(session.getState().storage).toEqual({ usage, persisted: true, measuring: false });
  });

  test('a full disk while a reply streams: one alert, the text stays on screen, the last save stays on disk', async () => {
    const repository = new MemoryRepository();
    const { session } = setup([{ delta: 'Every word ' }, { delta: 'on screen' }, { waitForAbort: true }], {
      repository,
    });
    await session.start();
    const sending = session.send('Write a lot');
    await until(() => session.getState().messages.at(-1)?.content === 'Every word on screen');
    const replyId = session.getState().streamingMessageId!;
    const lastSaved = structuredClone(repository.messages.get(replyId));
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);

    session.stop();
    await sending;

    expect(session.getState().alerts.map((a) => a.message)).toEqual([STORAGE_MESSAGES.quota]);
    expect(session.getState().messages.at(-1)).toMatchObject({ content: 'Every word on screen', status: 'stopped' });
    expect(repository.messages.get(replyId)).toEqual(lastSaved);
    expect(repository.messages.get(session.getState().messages[0]!.id)?.content).toBe('Write a lot');
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
    const opened = context.session.openConversation(id);
    await until(() => context.session.getState().earlierMessagesLoading);
    return { ...context, opened, paint: () => paint() };
  }

  test('opens on its newest messages, then shows every one without moving them', async () => {
    const { session, opened, paint } = await openingLongConversation(1_000);
    const first = shown(session);
    // Enough to fill a tall screen of short messages, and few enough to open at once.
    expect(first.length).toBeGreaterThanOrEqual(12);
    expect(first.length).toBeLessThanOrEqual(20);
    expect(first.at(-1)).toBe('answer 999');

    paint();
    await opened;
    expect(session.getState().earlierMessagesLoading).toBe(false);
    expect(shown(session)).toHaveLength(1_000);
    expect(shown(session)[0]).toBe('question 0');
    expect(shown(session).slice(-first.length)).toEqual(first);
  });

  test('asked for a new reply while the earlier messages are read, the engine gets the whole conversation', async () => {
    const { session, lastRequest, opened, paint } = await openingLongConversation(200);
    const regenerated = session.regenerate('m199');
    paint();
    await Promise.all([opened, regenerated]);

    expect(lastRequest()).toHaveLength(199);
    expect(lastRequest()[0]).toEqual({ role: 'user', content: 'question 0' });
    expect(shown(session)).toHaveLength(200);
    expect(shown(session).at(-1)).toBe('answer 1');
    expect(session.getState().alternatives['m199']).toBeUndefined();
    expect(Object.values(session.getState().alternatives)).toEqual([
      expect.objectContaining({ position: 2, count: 2 }),
    ]);
  });

  test('exported as Markdown while its earlier messages are read, the file holds all of it', async () => {
    const { session, saved, opened, paint } = await openingLongConversation(200);
    // The export code loaded already, so nothing but the read of the earlier messages could hold the export back.
    await import('../../../src/storage/backup.js');
    const exported = session.exportConversation('long');
    for (let task = 0; task < 10; task++) await new Promise((resolve) => setTimeout(resolve, 0));
    paint();
    await Promise.all([opened, exported]);
    const markdown = await saved[0]!.blob.text();
    expect(markdown).toContain('question 0');
    expect(markdown).toContain('answer 199');
  });

  /** A conversation of one message, to click while the long one opens. */
  function shortConversation(repository: MemoryRepository) {
    repository.conversations.set('short', {
      id: 'short',
      title: 'Short',
      createdAt: 1,
      updatedAt: 2,
      activeLeafId: 's1',
    });
    repository.messages.set('s1', {
      ...{ id: 's1', conversationId: 'short', parentId: null, role: 'user', content: 'Hello' },
      ...{ createdAt: 1, updatedAt: 1, status: 'complete' },
    });
  }

  test('another conversation clicked while it opens opens next at once: the rest of this one is not read', async () => {
    const { session, repository, opened, paint } = await openingLongConversation(200);
    shortConversation(repository);
    const listed = vi.spyOn(repository, 'listMessages');
    const next = session.openConversation('short');
    paint();
    await Promise.all([opened, next]);

    expect(session.getState()).toMatchObject({ activeConversationId: 'short', earlierMessagesLoading: false });
    expect(shown(session)).toEqual(['Hello']);
    expect(listed).not.toHaveBeenCalledWith('long');
  });

  test('should the next conversation fail to open, the rest of this one is read after all', async () => {
    const { session, opened, paint } = await openingLongConversation(200);
    // Deleted in another tab before it could be read.
    const next = session.openConversation('gone');
    paint();
    await Promise.all([opened, next]);
    await until(() => !session.getState().earlierMessagesLoading);

    expect(session.getState().activeConversationId).toBe('long');
    expect(shown(session)).toHaveLength(200);
    expect(shown(session)[0]).toBe('question 0');
  });

  test('closed before its earlier messages are read, it stays closed', async () => {
    const { session, opened, paint } = await openingLongConversation(200);
    await session.newConversation();
    paint();
    await opened;
    expect(session.getState()).toMatchObject({
      activeConversationId: null,
      messages: [],
      earlierMessagesLoading: false,
    });
  });
});
