import { deleteDB, type IDBPDatabase } from 'idb';
import { afterEach, vi } from 'vitest';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import { openDatabaseAtVersion } from '../../../src/storage/migrations.js';
import type { ChatRepository } from '../../../src/storage/types.js';

/**
 * A fresh database name per call, deleted after the test. Every connection a test opens must be closed by then,
 * or the deletion waits for it.
 */
export function useTestDatabases(): () => string {
  const names: string[] = [];
  afterEach(async () => {
    await Promise.all(names.splice(0).map((name) => deleteDB(name)));
  });
  return () => {
    const name = `mistral-chat-test-${crypto.randomUUID()}`;
    names.push(name);
    return name;
  };
}

/**
 * Repositories over fresh test databases: each one `open` returns is closed after the test (before its database is
 * deleted: hooks run last-registered first), and mocks are restored.
 */
export function useTestRepositories(): {
  newDatabaseName: () => string;
  open: (name?: string) => Promise<ChatRepository>;
  opened: ChatRepository[];
} {
  const newDatabaseName = useTestDatabases();
  const opened: ChatRepository[] = [];
  afterEach(() => {
    for (const repository of opened.splice(0)) repository.close();
    vi.restoreAllMocks();
  });
  return {
    newDatabaseName,
    opened,
    async open(name = newDatabaseName()) {
      const repository = await openChatRepository({ name });
      opened.push(repository);
      return repository;
    },
  };
}

/**
 * The database as a browser that last ran schema `version` holds it: created through the migration steps up to
 * that version only, untyped because the current schema types describe only the latest version. Write records of
 * that era into it, close it, then open the repository (which upgrades to the current version).
 */
export function openAtVersion(name: string, version: number): Promise<IDBPDatabase> {
  return openDatabaseAtVersion(name, version);
}

export { conversation, message } from '../../fixtures/records.js';
export { attachment, userPreset } from '../../fixtures/attachments.js';
