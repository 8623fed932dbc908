import { afterEach, describe, expect, it, vi } from 'vitest';
import { COPY_DELAY_MS, IndexedSearch } from '../../../src/storage/indexed-search.js';
import { DB_VERSION, openDatabaseAtVersion } from '../../../src/storage/migrations.js';
import type { ChatDatabase } from '../../../src/storage/schema.js';
import {
  parseCopy,
  restoreFromCopy,
  SEARCH_COPY_KEY,
  SEARCH_COPY_STORE,
  storeCopy,
} from '../../../src/storage/search-copy.js';
import { SearchIndex } from '../../../src/storage/search-index.js';
import { forEachConversationWithFiles } from '../../../src/storage/search-reads.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { attachment, conversation, message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();
const connections: ChatDatabase[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const db of connections.splice(0)) db.close();
});

async function connect(name: string): Promise<ChatDatabase> {
  const db = (await openDatabaseAtVersion(name, DB_VERSION)) as unknown as ChatDatabase;
  connections.push(db);
  return db;
}

/** Three conversations, one of them with a file, and the database they are in. */
async function library(): Promise<{ repository: ChatRepository; db: ChatDatabase }> {
  const name = newDatabaseName();
  const repository = await open(name);
  await repository.putConversation(conversation('paris', 100, 'Week-end à Paris'));
  await repository.putMessage(message('p1', 'paris', 110, { content: 'Où manger une crème brûlée ?' }));
  await repository.putConversation(conversation('code', 200, 'Python'));
  await repository.putMessage(message('c1', 'code', 210, { content: 'How do I read a CSV file?' }));
  await repository.putMessage(message('c2', 'code', 220, { role: 'assistant', content: 'With the csv module.' }));
  await repository.putConversation(conversation('tea', 300, 'Tea'));
  await repository.putMessageWithAttachments(message('t1', 'tea', 310, { content: 'Which one?' }), [
    attachment('f1', 'tea', 't1', { name: 'teas.txt', text: 'Sencha, Darjeeling' }),
  ]);
  return { repository, db: await connect(name) };
}

/** Stores a copy of the index as it would be filled from the database now. */
async function storeCopyOfDatabase(db: ChatDatabase): Promise<void> {
  const index = new SearchIndex();
  await forEachConversationWithFiles(db, (record, messages, attachments) =>
    index.replaceConversation(record.id, record, messages, attachments),
  );
  await storeCopy(db, index.snapshot());
}

const found = async (search: IndexedSearch, query: string) =>
  (await search.search(query)).map((result) => result.conversationId);

describe('the search index, started from its stored copy', () => {
  it('takes each conversation unchanged since from the copy, and reads every other one again', async () => {
    const { repository, db } = await library();
    // Most conversations are as they were: otherwise reading them all at once is quicker.
    for (const id of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      await repository.putConversation(conversation(id, 50, `Unchanged ${id}`));
      await repository.putMessage(message(`${id}-m`, id, 60, { content: `Kept ${id}` }));
    }
    await storeCopyOfDatabase(db);

    await repository.putMessage(message('c3', 'code', 230, { content: 'Or pandas.' }));
    await repository.renameConversation('paris', 'Lyon, finalement');
    await repository.deleteMessage('t1');
    await repository.putConversation(conversation('new', 400, 'Sushi'));
    const restored = await restoreFromCopy(db);

    // A new message moves `updatedAt`, a deletion changes how many messages there are. A rename changes neither:
    // the messages are taken from the copy, the title as stored now.
    expect(restored?.changed.map((record) => record.id).sort()).toEqual(['code', 'new', 'tea']);
    expect(restored?.outdated).toBe(true);
    const search = new IndexedSearch(() => Promise.resolve(db), { storedCopy: true });
    expect(await found(search, 'pandas')).toEqual(['code']);
    expect(await found(search, 'lyon')).toEqual(['paris']);
    expect(await found(search, 'brulee')).toEqual(['paris']);
    expect(await found(search, 'sencha')).toEqual([]);
    expect(await found(search, 'sushi')).toEqual(['new']);
    expect(await found(search, 'kept u3')).toEqual(['u3']);
  });

  it('takes a conversation from the copy only while it is stored as it was, and drops a deleted one', async () => {
    const { repository, db } = await library();
    await repository.putConversation(conversation('extra', 50, 'Old'));
    await storeCopyOfDatabase(db);
    await repository.deleteConversation('extra');

    const restored = await restoreFromCopy(db);
    expect(restored?.changed).toEqual([]);
    expect(restored?.outdated).toBe(true);
    expect(restored?.index.find('old').hits).toEqual([]);
    expect(restored?.index.find('csv').hits.map((hit) => hit.places)).toEqual([
      [{ messageId: 'c1' }, { messageId: 'c2' }],
    ]);
    expect(restored?.index.find('darjeeling').hits.map((hit) => hit.places)).toEqual([
      [{ messageId: 't1', attachmentId: 'f1' }],
    ]);
  });

  it('builds the index afresh when there is no copy, when it is damaged, or when most conversations changed', async () => {
    const { repository, db } = await library();
    expect(await restoreFromCopy(db)).toBeNull();

    await db.put(SEARCH_COPY_STORE, { format: 1, conversations: [{ id: 'paris', title: 'Paris' }] }, SEARCH_COPY_KEY);
    expect(await restoreFromCopy(db)).toBeNull();
    const search = new IndexedSearch(() => Promise.resolve(db), { storedCopy: true });
    expect(await found(search, 'csv')).toEqual(['code']);

    await storeCopyOfDatabase(db);
    await repository.putMessage(message('p2', 'paris', 500, { content: 'Macarons' }));
    await repository.putMessage(message('c4', 'code', 500, { content: 'Or polars' }));
    expect(await restoreFromCopy(db)).toBeNull();
  });

  it('is stored once the index has been left alone, and kept up to date with what it is told', async () => {
    const { db } = await library();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const search = new IndexedSearch(() => Promise.resolve(db), { storedCopy: true });
    await search.prepare();
    await vi.advanceTimersByTimeAsync(COPY_DELAY_MS - 1);
    expect(await db.count(SEARCH_COPY_STORE)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(async () => expect(await db.count(SEARCH_COPY_STORE)).toBe(1));
    const copied = async () =>
      (parseCopy(await db.get(SEARCH_COPY_STORE, SEARCH_COPY_KEY)) ?? [])
        .map((entry) => [entry.id, entry.messageIds])
        .sort();
    expect(await copied()).toEqual([
      ['code', ['c1', 'c2']],
      ['paris', ['p1']],
      ['tea', ['t1']],
    ]);

    search.apply({ type: 'message-deleted', id: 'c2', conversationId: 'code' });
    // A search postpones the copy: storing it must not hold up the next one.
    await vi.advanceTimersByTimeAsync(COPY_DELAY_MS - 1);
    expect(await found(search, 'csv')).toEqual(['code']);
    await vi.advanceTimersByTimeAsync(COPY_DELAY_MS - 1);
    expect((await copied())[0]).toEqual(['code', ['c1', 'c2']]);
    // Another tab's change is read again at the next start: the copy leaves that conversation out until then.
    search.apply({ type: 'stale', conversationIds: ['tea'] });
    await vi.advanceTimersByTimeAsync(COPY_DELAY_MS);
    await vi.waitFor(async () =>
      expect(await copied()).toEqual([
        ['code', ['c1']],
        ['paris', ['p1']],
      ]),
    );
  });

  it('is never taken on the page, where storing it would hold up the app', async () => {
    const { db } = await library();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await storeCopyOfDatabase(db);
    await db.put(SEARCH_COPY_STORE, { format: 1, conversations: [] }, SEARCH_COPY_KEY);
    const search = new IndexedSearch(() => Promise.resolve(db));
    expect(await found(search, 'csv')).toEqual(['code']);
    await vi.advanceTimersByTimeAsync(COPY_DELAY_MS * 2);
    expect(parseCopy(await db.get(SEARCH_COPY_STORE, SEARCH_COPY_KEY))).toEqual([]);
  });
});
