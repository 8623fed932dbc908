import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../../src/state/types.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import { DB_VERSION, MIGRATIONS, runMigrations, type MigrationStep } from '../../../src/storage/migrations.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { conversation, message, openAtVersion, useTestDatabases } from './harness.js';

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

  it('refuses a version no migration leads to', async () => {
    await expect(openAtVersion(newDatabaseName(), DB_VERSION + 1)).rejects.toThrow(RangeError);
  });

  // The oldest shipped schema: at every later version this test upgrades it through all the steps.
  it('opens a version 1 database at the current version with every record intact', async () => {
    const name = newDatabaseName();
    const oldConversations = [conversation('a', 100, 'First'), conversation('b', 200, 'Second')];
    const oldMessages: MessageRecord[] = [
      message('a1', 'a', 10, { content: 'Hello' }),
      message('a2', 'a', 20, {
        role: 'assistant',
        content: 'Hi! How can I help?',
        engine: 'hosted',
        model: 'mistralai/Mistral-7B-Instruct-v0.3',
        usage: { promptTokens: 5, completionTokens: 7 },
      }),
      message('b1', 'b', 30, { content: 'Half a reply', role: 'assistant', status: 'interrupted' }),
    ];
    const oldSettings = { engine: 'local', hfToken: 'hf_old', systemPrompt: 'Be brief.' };

    const v1 = await openAtVersion(name, 1);
    const tx = v1.transaction(['conversations', 'messages', 'settings'], 'readwrite');
    await Promise.all([
      ...oldConversations.map((c) => tx.objectStore('conversations').put(c)),
      ...oldMessages.map((m) => tx.objectStore('messages').put(m)),
      tx.objectStore('settings').put(oldSettings, 'settings'),
      tx.done,
    ]);
    v1.close();

    const repository = await openChatRepository({ name });
    opened.push(repository);
    expect(await repository.listConversations()).toEqual([...oldConversations].reverse());
    expect(await repository.listMessages('a')).toEqual(oldMessages.slice(0, 2));
    expect(await repository.listMessages('b')).toEqual(oldMessages.slice(2));
    expect(await repository.loadSettings()).toMatchObject(oldSettings);
  });

  it('runs an async step that rewrites records inside the upgrade', async () => {
    const name = newDatabaseName();
    const v1 = await openAtVersion(name, 1);
    await v1.put('conversations', conversation('a', 1, 'untitled'));
    v1.close();
    const capitalise: MigrationStep = async (_db, tx) => {
      const store = tx.objectStore('conversations');
      for (const record of (await store.getAll()) as { title: string }[]) {
        await store.put({ ...record, title: record.title.toUpperCase() });
      }
    };

    const next = await openDB(name, 2, {
      upgrade: (db, oldVersion, _newVersion, tx) => runMigrations(db, oldVersion, 2, tx, [...MIGRATIONS, capitalise]),
    });
    const upgraded: unknown = await next.get('conversations', 'a');
    next.close();

    expect(upgraded).toMatchObject({ title: 'UNTITLED' });
  });

  it('leaves the database at its old version, records intact, when a step fails', async () => {
    const name = newDatabaseName();
    const v1 = await openAtVersion(name, 1);
    await v1.put('conversations', conversation('a', 1));
    v1.close();
    const broken: MigrationStep = async (db, tx) => {
      await tx.objectStore('conversations').clear();
      db.createObjectStore('conversations');
    };

    await expect(
      openDB(name, 2, {
        upgrade: (db, oldVersion, _newVersion, tx) => runMigrations(db, oldVersion, 2, tx, [...MIGRATIONS, broken]),
      }),
    ).rejects.toThrow();

    const after = await openAtVersion(name, 1);
    const version = after.version;
    const records: unknown[] = await after.getAll('conversations');
    after.close();
    expect(version).toBe(1);
    expect(records).toEqual([conversation('a', 1)]);
  });
});
