import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../../src/domain/records.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import { visiblePath } from '../../../src/domain/branches.js';
import { DB_VERSION, MIGRATIONS, runMigrations, type MigrationStep } from '../../../src/storage/migrations.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { attachment, conversation, message, openAtVersion, useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: ChatRepository[] = [];

afterEach(() => {
  for (const repository of opened.splice(0)) repository.close();
});

describe('schema versions', () => {
  it('has one migration step per version', () => {
    expect(DB_VERSION).toBe(MIGRATIONS.length);
  });

  it('creates the version 1 stores and indexes', async () => {
    const db = await openAtVersion(newDatabaseName(), 1);
    try {
      expect([...db.objectStoreNames].sort()).toEqual(['conversations', 'messages', 'settings']);
      const tx = db.transaction(['conversations', 'messages', 'settings']);
      expect(tx.objectStore('conversations').keyPath).toBe('id');
      expect([...tx.objectStore('conversations').indexNames]).toEqual(['by-updatedAt']);
      expect(tx.objectStore('messages').keyPath).toBe('id');
      expect(tx.objectStore('messages').index('by-conversation').keyPath).toEqual(['conversationId', 'createdAt']);
      expect(tx.objectStore('settings').keyPath).toBeNull();
    } finally {
      db.close();
    }
  });

  it('keeps the version 1 stores and indexes at version 2: branches need no new index', async () => {
    const db = await openAtVersion(newDatabaseName(), 2);
    try {
      expect([...db.objectStoreNames].sort()).toEqual(['conversations', 'messages', 'settings']);
      const tx = db.transaction(['conversations', 'messages']);
      expect([...tx.objectStore('conversations').indexNames]).toEqual(['by-updatedAt']);
      expect([...tx.objectStore('messages').indexNames]).toEqual(['by-conversation']);
    } finally {
      db.close();
    }
  });

  it('adds the attachments store (by conversation) and the presets store at version 3', async () => {
    const db = await openAtVersion(newDatabaseName(), 3);
    try {
      expect([...db.objectStoreNames].sort()).toEqual([
        'attachments',
        'conversations',
        'messages',
        'presets',
        'settings',
      ]);
      const tx = db.transaction(['attachments', 'presets', 'messages']);
      expect(tx.objectStore('attachments').keyPath).toBe('id');
      expect(tx.objectStore('attachments').index('by-conversation').keyPath).toBe('conversationId');
      expect(tx.objectStore('presets').keyPath).toBe('id');
      expect([...tx.objectStore('presets').indexNames]).toEqual([]);
      expect([...tx.objectStore('messages').indexNames]).toEqual(['by-conversation']);
    } finally {
      db.close();
    }
  });

  it('adds the search index copy store (out of line keys, no index) at version 4', async () => {
    const db = await openAtVersion(newDatabaseName(), 4);
    try {
      expect([...db.objectStoreNames].sort()).toEqual([
        'attachments',
        'conversations',
        'messages',
        'presets',
        'search-index',
        'settings',
      ]);
      const tx = db.transaction(['search-index', 'messages']);
      expect(tx.objectStore('search-index').keyPath).toBeNull();
      expect([...tx.objectStore('search-index').indexNames]).toEqual([]);
      expect([...tx.objectStore('messages').indexNames]).toEqual(['by-conversation']);
    } finally {
      db.close();
    }
  });

  it('opens a version 3 database at the current version with every record as it was, and no search index copy', async () => {
    const name = newDatabaseName();
    const v3Conversation = { ...conversation('a', 100, 'Files'), activeLeafId: 'a1' };
    const v3Message = { ...message('a1', 'a', 10, { content: 'Read this' }), parentId: null, attachmentIds: ['f1'] };
    const v3File = attachment('f1', 'a', 'a1');
    const v3 = await openAtVersion(name, 3);
    const tx = v3.transaction(['conversations', 'messages', 'attachments'], 'readwrite');
    await Promise.all([
      tx.objectStore('conversations').put(v3Conversation),
      tx.objectStore('messages').put(v3Message),
      tx.objectStore('attachments').put(v3File),
      tx.done,
    ]);
    v3.close();

    const repository = await openChatRepository({ name });
    opened.push(repository);
    expect(await repository.listConversations()).toEqual([v3Conversation]);
    expect(await repository.listMessages('a')).toEqual([v3Message]);
    expect(await repository.listAttachments('a')).toEqual([v3File]);
    const upgraded = await openAtVersion(name, DB_VERSION);
    const copies = await upgraded.count('search-index');
    upgraded.close();
    expect(copies).toBe(0);
  });

  it('opens a version 2 database at the current version with every record as it was, and stores attachments', async () => {
    const name = newDatabaseName();
    const v2Conversations = [
      { ...conversation('a', 100, 'Branched'), activeLeafId: 'a2b' },
      conversation('empty', 300, 'No messages yet'),
    ];
    const v2Messages = [
      { ...message('a1', 'a', 10, { content: 'Hello' }), parentId: null },
      { ...message('a2', 'a', 20, { role: 'assistant', content: 'Hi' }), parentId: 'a1' },
      { ...message('a2b', 'a', 30, { role: 'assistant', content: 'Hello there' }), parentId: 'a1' },
    ];
    const v2Settings = { engine: 'hosted', hfToken: 'hf_v2', systemPrompt: 'Be kind.' };
    const v2 = await openAtVersion(name, 2);
    const tx = v2.transaction(['conversations', 'messages', 'settings'], 'readwrite');
    await Promise.all([
      ...v2Conversations.map((c) => tx.objectStore('conversations').put(c)),
      ...v2Messages.map((m) => tx.objectStore('messages').put(m)),
      tx.objectStore('settings').put(v2Settings, 'settings'),
      tx.done,
    ]);
    v2.close();

    const repository = await openChatRepository({ name });
    opened.push(repository);
    expect(await repository.listConversations()).toEqual([v2Conversations[1], v2Conversations[0]]);
    expect(await repository.listMessages('a')).toEqual(v2Messages);
    expect(await repository.loadSettings()).toMatchObject(v2Settings);
    expect(await repository.listAttachments('a')).toEqual([]);

    const file = attachment('f1', 'a', 'a1');
    await repository.putMessageWithAttachments(v2Messages[0]!, [file]);
    expect(await repository.listAttachments('a')).toEqual([file]);
    expect(await repository.getMessage('a1')).toMatchObject({ attachmentIds: ['f1'], content: 'Hello' });
  });

  it('refuses a version no migration leads to', async () => {
    await expect(openAtVersion(newDatabaseName(), DB_VERSION + 1)).rejects.toThrow(RangeError);
  });

  // The oldest shipped schema: at every later version this test upgrades it through all the steps.
  it('opens a version 1 database at the current version with every record intact and linked into branches', async () => {
    const name = newDatabaseName();
    const oldConversations = [
      conversation('a', 100, 'First'),
      conversation('b', 200, 'Second'),
      conversation('empty', 300, 'No messages yet'),
    ];
    const oldMessages: MessageRecord[] = [
      message('a1', 'a', 10, { content: 'Hello' }),
      message('a2', 'a', 20, {
        role: 'assistant',
        content: 'Hi! How can I help?',
        engine: 'hosted',
        model: 'mistralai/Mistral-7B-Instruct-v0.3',
        usage: { promptTokens: 5, completionTokens: 7 },
      }),
      message('a3', 'a', 30, { content: 'Tell me about Lyon.' }),
      message('a4', 'a', 40, {
        role: 'assistant',
        content: 'Lyon is…',
        status: 'error',
        error: 'The connection dropped.',
      }),
      message('b1', 'b', 30, { content: 'Half a reply', role: 'assistant', status: 'interrupted' }),
      // Two messages written in the same millisecond: the id decides, as the index orders them.
      message('b2-x', 'b', 50, { content: 'same time, first by id' }),
      message('b2-y', 'b', 50, { role: 'assistant', content: 'same time, second by id' }),
      message('stray', 'gone', 60, { content: 'A message whose conversation was deleted' }),
    ];
    const oldSettings = { engine: 'local', hfToken: 'hf_old', systemPrompt: 'Be brief.' };

    const v1 = await openAtVersion(name, 1);
    const tx = v1.transaction(['conversations', 'messages', 'settings'], 'readwrite');
    await Promise.all([
      // Written out of order: the upgrade must order by time, not by when records were stored.
      ...[...oldConversations].reverse().map((c) => tx.objectStore('conversations').put(c)),
      ...[...oldMessages].reverse().map((m) => tx.objectStore('messages').put(m)),
      tx.objectStore('settings').put(oldSettings, 'settings'),
      tx.done,
    ]);
    v1.close();

    const repository = await openChatRepository({ name });
    opened.push(repository);
    const parents: Record<string, string | null> = {
      a1: null,
      a2: 'a1',
      a3: 'a2',
      a4: 'a3',
      b1: null,
      'b2-x': 'b1',
      'b2-y': 'b2-x',
      stray: null,
    };
    const upgraded = oldMessages.map((m) => ({ ...m, parentId: parents[m.id] }));
    expect(await repository.listConversations()).toEqual([
      oldConversations[2],
      { ...oldConversations[1], activeLeafId: 'b2-y' },
      { ...oldConversations[0], activeLeafId: 'a4' },
    ]);
    expect(await repository.listMessages('a')).toEqual(upgraded.slice(0, 4));
    expect(await repository.listMessages('b')).toEqual(upgraded.slice(4, 7));
    expect(await repository.listMessages('gone')).toEqual(upgraded.slice(7));
    expect(await repository.loadSettings()).toMatchObject(oldSettings);

    // What the user sees is the conversation as it was, one message after another, with no alternatives.
    const a = await repository.getConversation('a');
    const path = visiblePath(await repository.listMessages('a'), a?.activeLeafId);
    expect(path.map((entry) => [entry.message.id, entry.count])).toEqual([
      ['a1', 1],
      ['a2', 1],
      ['a3', 1],
      ['a4', 1],
    ]);
  });

  it('runs an async step that rewrites records inside the upgrade', async () => {
    const name = newDatabaseName();
    const current = await openAtVersion(name, DB_VERSION);
    await current.put('conversations', conversation('a', 1, 'untitled'));
    current.close();
    const capitalise: MigrationStep = async (_db, tx) => {
      const store = tx.objectStore('conversations');
      for (const record of (await store.getAll()) as { title: string }[]) {
        await store.put({ ...record, title: record.title.toUpperCase() });
      }
    };

    const next = await openDB(name, DB_VERSION + 1, {
      upgrade: (db, oldVersion, _newVersion, tx) =>
        runMigrations(db, oldVersion, DB_VERSION + 1, tx, [...MIGRATIONS, capitalise]),
    });
    const upgraded: unknown = await next.get('conversations', 'a');
    next.close();

    expect(upgraded).toMatchObject({ title: 'UNTITLED' });
  });

  it('leaves the database at its old version, records intact, when a step fails', async () => {
    const name = newDatabaseName();
    const current = await openAtVersion(name, DB_VERSION);
    await current.put('conversations', conversation('a', 1));
    current.close();
    const broken: MigrationStep = async (db, tx) => {
      await tx.objectStore('conversations').clear();
      db.createObjectStore('conversations');
    };

    await expect(
      openDB(name, DB_VERSION + 1, {
        upgrade: (db, oldVersion, _newVersion, tx) =>
          runMigrations(db, oldVersion, DB_VERSION + 1, tx, [...MIGRATIONS, broken]),
      }),
    ).rejects.toThrow();

    const after = await openAtVersion(name, DB_VERSION);
    const version = after.version;
    const records: unknown[] = await after.getAll('conversations');
    after.close();
    expect(version).toBe(DB_VERSION);
    expect(records).toEqual([conversation('a', 1)]);
  });
});
