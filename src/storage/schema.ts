import type { DBSchema, IDBPDatabase } from 'idb';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings } from '../domain/settings.js';

export const DB_NAME = 'mistral-chat';

/** The one key of the `settings` store. */
export const SETTINGS_KEY = 'settings';

/** A message as stored: since version 2 it always names its parent (null for a root). */
export interface StoredMessage extends MessageRecord {
  parentId: string | null;
}

/**
 * Settings as stored. An older version of the app may have written them, so any field may be missing or of an old
 * shape: read them only through `mergeSettings`.
 */
export type StoredSettings = { [K in keyof Settings]?: unknown };

/**
 * The current schema, as the last migration step leaves it (version 2):
 *
 * | store           | key                     | indexes                                           |
 * | --------------- | ----------------------- | ------------------------------------------------- |
 * | `conversations` | `id`                    | `by-updatedAt` (`updatedAt`): the list            |
 * | `messages`      | `id`                    | `by-conversation` (`[conversationId, createdAt]`) |
 * | `settings`      | out of line: `settings` | none                                              |
 *
 * A conversation is `{ id, title, createdAt, updatedAt, activeLeafId? }`; a message is `{ id, conversationId,
 * parentId, role, content, createdAt, updatedAt, status, engine?, model?, error?, usage?, omittedTurns? }`; times are
 * milliseconds since 1970. Branches need no index of their own: a conversation's messages are read whole (one index
 * range, all branches) and arranged into a tree in memory, which is cheaper than keeping a `[conversationId,
 * parentId]` index up to date on every streamed write (and IndexedDB cannot index the `null` parent of a root).
 * Search has no index here either: IndexedDB cannot look inside strings, so it is an in-memory index
 * (`search-index.ts`).
 */
export interface ChatDBSchema extends DBSchema {
  conversations: {
    key: string;
    /** Since version 2 with `activeLeafId` (absent only while the conversation has no messages). */
    value: ConversationRecord;
    indexes: { 'by-updatedAt': number };
  };
  messages: {
    key: string;
    value: StoredMessage;
    /** `[conversationId, createdAt]`: one conversation's messages, oldest first, in one index range. */
    indexes: { 'by-conversation': [string, number] };
  };
  settings: {
    key: typeof SETTINGS_KEY;
    value: StoredSettings;
  };
}

export type ChatDatabase = IDBPDatabase<ChatDBSchema>;
