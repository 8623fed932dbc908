/**
 * The dedicated worker that holds the search index (see idb-search.ts): it opens its own connection to the database,
 * fills the index from it and answers searches, so the page neither reads nor folds 100,000 messages. The page sends
 * what it stored in the order it stored it (search-protocol.ts).
 */
import { DB_VERSION, openDatabaseAtVersion } from './migrations.js';
import { IndexedSearch } from './indexed-search.js';
import type { ChatDatabase } from './schema.js';
import type { FromSearchWorker, ToSearchWorker } from './search-protocol.js';

// The global scope is the worker's own here; typing it through the DOM lib keeps worker globals
// (DedicatedWorkerGlobalScope) out of the page's types, and both scopes post and deliver MessageEvents alike.
const scope = globalThis as unknown as {
  postMessage(message: FromSearchWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToSearchWorker>) => void): void;
};

let databaseName: string | null = null;
let connection: Promise<ChatDatabase> | null = null;
const search = new IndexedSearch(connect);

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

function answer(id: number, work: Promise<FromSearchWorker & { type: 'done' }>): void {
  work.then(
    (done) => scope.postMessage(done),
    (error: unknown) => {
      const name = error instanceof Error || error instanceof DOMException ? error.name : 'Error';
      const message = error instanceof Error || error instanceof DOMException ? error.message : String(error);
      scope.postMessage({ type: 'failed', id, error: { name, message } });
    },
  );
}

scope.addEventListener('message', ({ data }) => {
  switch (data.type) {
    case 'open':
      databaseName = data.name;
      return;
    case 'prepare':
      answer(
        data.id,
        search.prepare().then(() => ({ type: 'done', id: data.id, results: null })),
      );
      return;
    case 'search':
      answer(
        data.id,
        search.search(data.query, data.options).then((results) => ({ type: 'done', id: data.id, results })),
      );
      return;
    default:
      search.apply(data);
  }
});

scope.postMessage({ type: 'ready' });
