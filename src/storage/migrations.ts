import { openDB, type IDBPDatabase, type IDBPTransaction, type OpenDBCallbacks } from 'idb';

/**
 * One schema upgrade. Steps are untyped on purpose: each sees the database as it was at its own version, which the
 * current `ChatDBSchema` no longer describes. A step may be async if it awaits only requests on `tx` (anything else
 * lets the upgrade transaction commit under it).
 */
export type MigrationStep = (
  db: IDBPDatabase,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
) => void | Promise<void>;

/**
 * `MIGRATIONS[i]` upgrades version i to version i + 1. Only ever append: a shipped step is history, because some
 * browser still holds a database at its version.
 */
export const MIGRATIONS: readonly MigrationStep[] = [
  // 0 → 1: conversations, their messages, and one settings record.
  (db) => {
    const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
    conversations.createIndex('by-updatedAt', 'updatedAt');
    const messages = db.createObjectStore('messages', { keyPath: 'id' });
    messages.createIndex('by-conversation', ['conversationId', 'createdAt']);
    db.createObjectStore('settings');
  },
  // 1 → 2: branches. Every message names its parent; a conversation names the last message of the branch shown.
  // Conversations were linear, so each message follows the one before it and the last one is the leaf. The index
  // reads each conversation's messages oldest first (ties by id), messages without a conversation included.
  async (_db, tx) => {
    const messages = tx.objectStore('messages');
    const ordered = (await messages.index('by-conversation').getAll()) as { id: string; conversationId: string }[];
    const lastOf = new Map<string, string>();
    const writes: Promise<unknown>[] = [];
    for (const message of ordered) {
      writes.push(messages.put({ ...message, parentId: lastOf.get(message.conversationId) ?? null }));
      lastOf.set(message.conversationId, message.id);
    }
    const conversations = tx.objectStore('conversations');
    for (const conversation of (await conversations.getAll()) as { id: string }[]) {
      const leaf = lastOf.get(conversation.id);
      if (leaf !== undefined) writes.push(conversations.put({ ...conversation, activeLeafId: leaf }));
    }
    await Promise.all(writes);
  },
  // 2 → 3: files sent with messages, found by their conversation; and the user's presets (built-ins live in code).
  // No record changes: messages without attachments and conversations without a preset are as they were.
  (db) => {
    const attachments = db.createObjectStore('attachments', { keyPath: 'id' });
    attachments.createIndex('by-conversation', 'conversationId');
    db.createObjectStore('presets', { keyPath: 'id' });
  },
  // 3 → 4: a stored copy of the search index (search-copy.ts), a cache the search worker starts from. No record
  // changes, and nothing fills it here: the worker stores it once it has built the index.
  (db) => {
    db.createObjectStore('search-index');
  },
];

export const DB_VERSION = MIGRATIONS.length;

/**
 * Runs the steps from `oldVersion` up to `newVersion` in the upgrade transaction. Synchronous steps run before this
 * returns; if any step fails the transaction is aborted, so the database stays whole at `oldVersion` and the open
 * fails. `migrations` lets a test try a step before it ships.
 */
export function runMigrations(
  db: IDBPDatabase,
  oldVersion: number,
  newVersion: number,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
  migrations: readonly MigrationStep[] = MIGRATIONS,
): void {
  const steps = migrations.slice(oldVersion, newVersion);
  // A failed upgrade is reported by the open itself; nobody else waits for this transaction.
  tx.done.catch(() => undefined);
  const run = async (): Promise<void> => {
    for (const step of steps) {
      const pending = step(db, tx);
      if (pending) await pending;
    }
  };
  run().catch(() => {
    try {
      tx.abort();
    } catch {
      // The transaction already ended (it aborted itself): the open fails either way.
    }
  });
}

/**
 * Opens `name` at `version`, upgrading it from whatever version it has through the migration steps. The app opens at
 * `DB_VERSION`; migration tests open an older version to write records of that era.
 */
export function openDatabaseAtVersion(
  name: string,
  version: number,
  callbacks: Omit<OpenDBCallbacks<unknown>, 'upgrade'> = {},
): Promise<IDBPDatabase> {
  if (!Number.isInteger(version) || version < 1 || version > DB_VERSION) {
    return Promise.reject(
      new RangeError(`There is no schema version ${version}; versions run from 1 to ${DB_VERSION}.`),
    );
  }
  return openDB(name, version, {
    ...callbacks,
    upgrade: (db, oldVersion, _newVersion, tx) => runMigrations(db, oldVersion, version, tx),
  });
}
