import type { DBSchema, IDBPDatabase } from 'idb';
import type { AttachmentRecord } from '../domain/attachments.js';
import type { Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings } from '../domain/settings.js';

export const DB_NAME = 'mistral-chat';

/** The one key of the `settings` store. */
export const SETTINGS_KEY = 'settings';

/**
 * A message as stored: since version 2 it always names its parent (null for a root). Its attachment fields
 * (`attachmentIds`, `sources`) are optional, so records of every version fit.
 */
export interface StoredMessage extends MessageRecord {
  parentId: string | null;
}

/** A conversation as stored: the shared record as it is, `presetId` included. */
export type StoredConversation = ConversationRecord;

/**
 * Settings as stored. An older version of the app may have written them, so any field may be missing or of an old
 * shape: read them only through `mergeSettings`.
 */
export type StoredSettings = { [K in keyof Settings]?: unknown };

/**
 * The current schema, as the last migration step leaves it (version 4):
 *
 * | store           | key                     | indexes                                           |
 * | --------------- | ----------------------- | ------------------------------------------------- |
 * | `conversations` | `id`                    | `by-updatedAt` (`updatedAt`): the list            |
 * | `messages`      | `id`                    | `by-conversation` (`[conversationId, createdAt]`) |
 * | `attachments`   | `id`                    | `by-conversation` (`conversationId`)              |
 * | `presets`       | `id`                    | none                                              |
 * | `settings`      | out of line: `settings` | none                                              |
 * | `search-index`  | out of line: `index`    | none                                              |
 *
 * A conversation is `{ id, title, createdAt, updatedAt, activeLeafId?, presetId? }`; a message is `{ id,
 * conversationId, parentId, role, content, createdAt, updatedAt, status, engine?, model?, error?, usage?,
 * omittedTurns?, attachmentIds?, sources? }`; an attachment is `{ id, conversationId, messageId, name, type, size,
 * text, passages, pages?, bytes?, createdAt }` (`bytes`, a Blob, only when the user asked to keep the original); a
 * preset is `{ id, name, systemPrompt, sampling, model?, builtIn: false, updatedAt }` (the user's only: built-ins
 * live in code). Times are milliseconds since 1970. Version 3 added the attachments and presets stores and changed
 * no record. Version 4 added `search-index`: one record, a copy of the search index (`search-copy.ts`) that the
 * search worker starts from instead of reading every message. It is a cache, checked against the other stores before
 * use and rebuilt when wrong; deleting it loses nothing, and backups leave it out.
 * An attachment is found by its conversation (one index range; a conversation has few) and filtered by message in
 * memory, so deleting a message or a conversation takes its attachments along. Branches need no index of their own: a
 * conversation's messages are read whole (one index range, all branches) and arranged into a tree in memory, which is
 * cheaper than keeping a `[conversationId, parentId]` index up to date on every streamed write (and IndexedDB cannot
 * index the `null` parent of a root). Search has no index here either: IndexedDB cannot look inside strings, so it is
 * an in-memory index (`search-index.ts`).
 */
export interface ChatDBSchema extends DBSchema {
  conversations: {
    key: string;
    /** Since version 2 with `activeLeafId` (absent only while the conversation has no messages). */
    value: StoredConversation;
    indexes: { 'by-updatedAt': number };
  };
  messages: {
    key: string;
    value: StoredMessage;
    /** `[conversationId, createdAt]`: one conversation's messages, oldest first, in one index range. */
    indexes: { 'by-conversation': [string, number] };
  };
  attachments: {
    key: string;
    value: AttachmentRecord;
    indexes: { 'by-conversation': string };
  };
  presets: {
    key: string;
    value: Preset;
  };
  settings: {
    key: typeof SETTINGS_KEY;
    value: StoredSettings;
  };
  'search-index': {
    key: string;
    /** A `StoredSearchCopy` as some version of the app wrote it: read only through `parseCopy`. */
    value: unknown;
  };
}

export type ChatDatabase = IDBPDatabase<ChatDBSchema>;
