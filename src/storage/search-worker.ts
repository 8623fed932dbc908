/**
 * The dedicated worker that holds the search index (see idb-search.ts): it opens its own connection to the database,
 * fills the index from it and answers searches, so the page neither reads nor folds 100,000 messages. The page sends
 * what it stored in the order it stored it (search-protocol.ts).
 */
import { DB_VERSION, openDatabaseAtVersion } from './migrations.js';
import { IndexedSearch } from './indexed-search.js';
import type { ChatDatabase } from './schema.js';
import type { FromSearchWorker, ToSearchWorker } from './search-protocol.js';
import { replyWhenDone, workerScope } from '../messaging/endpoint.js';
import type { SearchResult } from './search-index.js';

const scope = workerScope<FromSearchWorker>();
const post = (message: FromSearchWorker): void => scope.postMessage(message);

let databaseName: string | null = null;
let connection: Promise<ChatDatabase> | null = null;
// Only the worker starts from a stored copy of the index and keeps it: storing it takes a few hundred milliseconds.
const search = new IndexedSearch(connect, { storedCopy: true });

function connect(): Promise<ChatDatabase> {
  if (databaseName === null) return Promise.reject(new DOMException('No database to search.', 'InvalidStateError'));
  if (!connection) {
    const opening = open(databaseName);
    connection = opening;
    // A failed open is not kept: the next request tries again.
    opening.catch(() => {
      if (connection === opening) connection = null;
    });
  }
  return connection;
}

async function open(name: string): Promise<ChatDatabase> {
  let db: ChatDatabase | null = null;
  const opened = await openDatabaseAtVersion(name, DB_VERSION, {
    // Another tab upgrades or deletes the database: this connection must not hold it up, and what the index holds
    // may no longer be there. The next request reads again.
    blocking: () => {
      db?.close();
      connection = null;
      search.clear();
    },
    terminated: () => {
      connection = null;
    },
  });
  // The migration steps up to DB_VERSION build exactly ChatDBSchema.
  db = opened as unknown as ChatDatabase;
  return db;
}

/** Answers request `id` with what `work` found, or with the error the database threw. */
function answer(id: number, work: () => Promise<SearchResult[] | null>): void {
  void replyWhenDone(post, id, work, (results) => ({ type: 'done', id, results }) as const);
}

// Heard without the kit's envelope check: a notice's `id` is a record's (a string), not a call's. Only the page that
// started this worker can post to it.
scope.addEventListener('message', ({ data }: MessageEvent<ToSearchWorker>) => {
  switch (data.type) {
    case 'open':
      databaseName = data.name;
      return;
    case 'prepare':
      answer(data.id, () => search.prepare().then(() => null));
      return;
    case 'search':
      answer(data.id, () => search.search(data.query, data.options));
      return;
    default:
      search.apply(data);
  }
});

post({ type: 'ready' });
