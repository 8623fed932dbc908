import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexedSearch } from '../../../src/storage/indexed-search.js';
import type { ChatDatabase } from '../../../src/storage/schema.js';
import type { IndexableAttachment } from '../../../src/storage/search-index.js';
import { ATTACHMENTS_STORE } from '../../../src/storage/search-reads.js';
import { conversation, message, useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: IDBPDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A database with the files' store as issue 14's schema adds it, which the search reads wherever it is there. */
async function databaseWithFiles(): Promise<IDBPDatabase> {
  const db = await openDB(newDatabaseName(), 1, {
    upgrade(upgrading) {
      upgrading.createObjectStore('conversations', { keyPath: 'id' }).createIndex('by-updatedAt', 'updatedAt');
      const messages = upgrading.createObjectStore('messages', { keyPath: 'id' });
      messages.createIndex('by-conversation', ['conversationId', 'createdAt']);
      upgrading
        .createObjectStore(ATTACHMENTS_STORE, { keyPath: 'id' })
        .createIndex('by-conversation', 'conversationId');
    },
  });
  opened.push(db);
  await db.put('conversations', conversation('trip', 100, 'Paris trip'));
  await db.put('messages', message('m1', 'trip', 110, { parentId: null, content: 'Here is the plan.' }));
  await db.put('messages', message('m2', 'trip', 120, { parentId: 'm1', content: 'Lovely!' }));
  await db.put(ATTACHMENTS_STORE, file('a1', 'Itinéraire.pdf', 'Day two: a crêpe in Montmartre.'));
  return db;
}

function file(id: string, name: string, text: string): IndexableAttachment & { size: number; passages: [] } {
  return { id, conversationId: 'trip', messageId: 'm1', name, text, createdAt: 111, size: text.length, passages: [] };
}

function searchOver(db: IDBPDatabase): IndexedSearch {
  return new IndexedSearch(async () => db as unknown as ChatDatabase);
}

describe('the search index over a database with attached files', () => {
  it("fills from every file's name and text, and cuts the snippet from the stored file", async () => {
    const search = searchOver(await databaseWithFiles());
    const [trip] = await search.search('CREPE');
    expect(trip?.matches).toEqual([
      {
        messageId: 'm1',
        attachment: { id: 'a1', name: 'Itinéraire.pdf' },
        snippet: 'Day two: a crêpe in Montmartre.',
        ranges: [[11, 16]],
      },
    ]);
    expect((await search.search('itineraire'))[0]?.matches[0]?.snippet).toBe('Itinéraire.pdf');
  });

  it('reads the files of a conversation again when another tab changed it', async () => {
    const db = await databaseWithFiles();
    const search = searchOver(db);
    await search.prepare();
    await db.put(ATTACHMENTS_STORE, file('a2', 'notes.md', 'Book the Orsay tickets'));
    await db.delete(ATTACHMENTS_STORE, 'a1');
    search.apply({ type: 'stale', conversationIds: ['trip'] });
    expect((await search.search('orsay'))[0]?.matches.map((match) => match.attachment?.id)).toEqual(['a2']);
    expect(await search.search('montmartre')).toEqual([]);
  });

  it('takes the files this tab stores, and forgets those it deletes', async () => {
    const db = await databaseWithFiles();
    const search = searchOver(db);
    await search.prepare();
    const notes = file('a2', 'notes.md', 'Book the Orsay tickets');
    await db.put(ATTACHMENTS_STORE, notes);
    search.apply({ type: 'attachment-changed', attachment: notes });
    expect((await search.search('orsay'))[0]?.matches[0]?.attachment?.name).toBe('notes.md');
    await db.delete(ATTACHMENTS_STORE, 'a2');
    search.apply({ type: 'attachment-deleted', id: 'a2', conversationId: 'trip' });
    expect(await search.search('orsay')).toEqual([]);
  });
});
