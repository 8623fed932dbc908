import type { DBSchema, IDBPDatabase } from 'idb';
import type { ConversationRecord, MessageRecord, Settings } from '../state/types.js';

export const DB_NAME = 'mistral-chat';

/** The one key of the `settings` store. */
export const SETTINGS_KEY = 'settings';

/** A message as stored. */
export interface StoredMessage extends MessageRecord {
  /** Reserved for branches (the message this one answers or replaces); the next schema version uses it. */
  parentId?: string;
}

/**
 * Settings as stored. An older version of the app may have written them, so any field may be missing or of an old
 * shape: read them only through `mergeSettings`.
 */
export type StoredSettings = { [K in keyof Settings]?: unknown };

/** The current schema, as the last migration step leaves it. */
export interface ChatDBSchema extends DBSchema {
  conversations: {
    key: string;
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
