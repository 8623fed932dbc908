import type { AttachmentRecord } from '../domain/attachments.js';
import type { Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings, SettingsChanges } from '../domain/settings.js';
import type { BackupData } from './backup.js';
import type { DeletedMessages } from './deletions.js';
import type { ImportSummary } from './import-plan.js';
import type { DeletedConversation } from './records.js';
import type { SearchOptions, SearchResult } from './search-index.js';

export type { BackupData } from './backup.js';
export type { DeletedMessages } from './deletions.js';
export type { ImportSummary } from './import-plan.js';
export type { DeletedConversation } from './records.js';
export type { SearchOptions, SearchResult } from './search-index.js';

/**
 * Something another tab of the app stored. This tab's own writes are not reported (it knows what it wrote). Re-read
 * what changed: a conversation that `getConversation` no longer finds was deleted.
 */
export interface StorageChange {
  /** Conversations created, renamed, deleted, imported, or whose messages or branch changed. */
  conversationIds: string[];
  /**
   * When only some messages of those conversations were written or deleted (a reply streaming in another tab):
   * their ids, so `getMessage` can fetch just them. Absent: re-read the conversations' messages.
   */
  messageIds?: string[];
  /** The settings changed. */
  settings?: true;
  /** The user's presets changed: list them again. */
  presets?: true;
}

/** What `listNewestMessages` read. */
export interface NewestMessages {
  messages: MessageRecord[];
  /** Whether these are all of the conversation's messages. */
  complete: boolean;
}

/** What the conversations take, for the storage panel. */
export interface ConversationsSize {
  conversations: number;
  messages: number;
  /** Files sent in the conversations. */
  attachments: number;
  /**
   * Roughly what the records take as UTF-8 text, attachments (their text, and the bytes kept) included; the
   * browser's own count includes its overheads.
   */
  approximateBytes: number;
  /** The attachments' part of `approximateBytes`. */
  attachmentBytes: number;
}

/** Everything stored but the settings, read at one moment: what a backup holds. */
export interface StoredRecords {
  conversations: ConversationRecord[];
  messages: MessageRecord[];
  attachments: AttachmentRecord[];
  /** The user's own presets (never the built-ins). */
  presets: Preset[];
}

/**
 * The only way the app reads and writes what it keeps. Implemented over IndexedDB; `MemoryRepository` is the
 * fallback when the browser refuses IndexedDB and the base of the tests' fake. Every method of the IndexedDB one
 * rejects with a `StorageError` (never a raw DOMException); a write that fails changes nothing.
 *
 * Branches: every stored message names its parent (`parentId`), and a conversation names the last message of the
 * branch shown (`activeLeafId`). `listMessages` gives all branches; `visiblePath` in `branches.ts` turns them into
 * what is shown, with "2 / 3" positions. To edit a user message, write a new user message with the edited one's
 * `parentId`; to regenerate, write a new reply with the old reply's `parentId`: each new message becomes the active
 * leaf by itself. Previous/Next alternative: `setActiveLeaf(id, leafAfterChoosing(messages, alternativeId))`.
 */
export interface ChatRepository {
  /** Newest first (by `updatedAt`). */
  listConversations(): Promise<ConversationRecord[]>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /**
   * Creates or overwrites a conversation, except its `activeLeafId`: once stored, that moves only with new messages
   * and `setActiveLeaf`, so writing back a stale copy cannot change the branch shown.
   */
  putConversation(conversation: ConversationRecord): Promise<void>;
  /** Sets the title (not `updatedAt`) in one read-and-write; returns the conversation, or undefined if it is gone. */
  renameConversation(id: string, title: string): Promise<ConversationRecord | undefined>;
  /** Sets the preset ('' for none; not `updatedAt`) in one read-and-write; as `renameConversation` otherwise. */
  setConversationPreset(id: string, presetId: string): Promise<ConversationRecord | undefined>;
  /**
   * Shows another branch: `leafId` must be a message of the conversation (else nothing changes). `updatedAt` stays,
   * so looking at an alternative does not reorder the list. Returns the conversation, or undefined if it is gone.
   */
  setActiveLeaf(conversationId: string, leafId: string): Promise<ConversationRecord | undefined>;
  /**
   * Deletes the conversation, all its messages and its attachments in one transaction, and returns them for Undo
   * (undefined when no such conversation existed; stray messages with that conversation id are deleted all the same).
   */
  deleteConversation(id: string): Promise<DeletedConversation | undefined>;
  /** Undo of a delete: writes the conversation, its messages and attachments back as they were, in one transaction. */
  restoreConversation(deleted: DeletedConversation): Promise<void>;
  /** Every message of the conversation, all branches, oldest first (by `createdAt`). */
  listMessages(conversationId: string): Promise<MessageRecord[]>;
  /**
   * The newest `count` messages of the conversation (all branches, oldest first), in a few requests however long it
   * is: what a long conversation shows first, before `listMessages` reads the rest. Messages created in the same
   * millisecond as the newest one left out are left out with it, so there may be fewer. `complete`: these are all of
   * its messages.
   */
  listNewestMessages(conversationId: string, count: number): Promise<NewestMessages>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  /**
   * Writes the message and updates its conversation in one transaction: `updatedAt` moves forward to the message's,
   * and a new message becomes the active leaf. A message without `parentId` keeps the stored one, or, when new,
   * follows the active leaf (the branch shown): the session should name the parent of an edit or a regenerate.
   * A message whose conversation does not exist (deleted, perhaps by another tab mid-reply) is not written.
   */
  putMessage(message: MessageRecord): Promise<void>;
  /**
   * A user message and the files sent with it, in one transaction: all of them or none. Each attachment must name
   * the message and its conversation (else this rejects with a TypeError, a mistake of the caller's). The message is
   * written as `putMessage` writes it, with `attachmentIds` naming the attachments given, in their order.
   */
  putMessageWithAttachments(message: MessageRecord, attachments: readonly AttachmentRecord[]): Promise<void>;
  /** The files sent in the conversation, oldest first. */
  listAttachments(conversationId: string): Promise<AttachmentRecord[]>;
  getAttachment(id: string): Promise<AttachmentRecord | undefined>;
  /**
   * Deletes one message and the files sent with it, in one transaction. Its children then follow its parent, and if
   * it was the active leaf, its parent becomes it; so a deletion never cuts a conversation in two. Returns what was
   * deleted and rewritten, for `restoreMessages` (undefined when there was no such message).
   */
  deleteMessage(id: string): Promise<DeletedMessages | undefined>;
  /**
   * Deletes the message and the whole branch below it (every reply, every alternative, and their files) in one
   * transaction, for "Delete" after its confirmation. The active leaf stays if it survives, else moves to the branch
   * shown from the message's parent. Returns what was deleted for `restoreMessages`.
   */
  deleteBranch(messageId: string): Promise<DeletedMessages | undefined>;
  /**
   * "Undo last exchange": deletes the last question of the branch shown, with every reply to it (all alternatives)
   * and its files, in one transaction. `messages[0]` of the result is the question, whose text goes back in the box.
   * Undefined when the branch shown has no question (or there is no such conversation).
   */
  deleteExchange(conversationId: string): Promise<DeletedMessages | undefined>;
  /**
   * Undo of `deleteMessage`, `deleteBranch` or `deleteExchange`: writes every message and file back as it was, in one
   * transaction, and shows the branch shown before, unless a message was sent since. False, and nothing written, when
   * the conversation is gone.
   */
  restoreMessages(deleted: DeletedMessages): Promise<boolean>;
  /** Deletes every message of the conversation and its files; the conversation itself stays, with no active leaf. */
  deleteMessages(conversationId: string): Promise<void>;
  /** The built-in presets (from code, in their order), then the user's, by name. */
  listPresets(): Promise<Preset[]>;
  /**
   * Creates, renames or updates one of the user's presets and returns it as stored. Rejects with a `PresetError`
   * (its `userMessage` is for the alert) for a built-in, an empty or too long name, or sampling out of range.
   */
  savePreset(preset: Preset): Promise<Preset>;
  /**
   * Deletes one of the user's presets and returns it (for Undo: save it again); undefined when there was none.
   * Rejects with a `PresetError` for a built-in: they cannot be deleted. Conversations that used it keep its id, so
   * readers must treat a preset id they do not find as missing.
   */
  deletePreset(id: string): Promise<Preset | undefined>;
  /**
   * Conversations whose title or any message (all branches) contains every word of `query`, ignoring case and
   * accents; title matches first, then the most recently updated. Each comes with snippets and highlight ranges.
   * The first search reads every message into an in-memory index; later ones only scan memory.
   */
  searchConversations(query: string, options?: SearchOptions): Promise<SearchResult[]>;
  /**
   * Builds the search index now, in short reads that leave the page responsive, so the first query is fast too:
   * call it once the app is idle after start (or when the search box gets focus). With 100,000 messages it takes a
   * second or two and then holds about the size of their text in memory.
   */
  prepareSearch(): Promise<void>;
  /**
   * Every conversation, every message (all branches), every attachment and the user's presets, read at one moment:
   * what `exportAll` writes.
   */
  readAllConversations(): Promise<StoredRecords>;
  /**
   * Adds a backup that `parseBackup` accepted, in one transaction: all of it or, on any failure (a full disk is a
   * `StorageError` of kind `quota`), none of it. Never overwrites: see `planImport`.
   */
  importBackup(data: BackupData): Promise<ImportSummary>;
  /** Counts and an approximate size of the conversations and their files (reads every record: not for every render). */
  measureConversations(): Promise<ConversationsSize>;
  /** Returns the defaults, merged under anything stored. */
  loadSettings(): Promise<Settings>;
  /**
   * Applies the changes to the stored settings in one transaction and returns the result: only the fields named
   * change, so another tab's change to other fields is kept.
   */
  updateSettings(changes: SettingsChanges): Promise<Settings>;
  /** Calls `listener` for every change another tab stores; returns the unsubscribe function. */
  subscribe(listener: (change: StorageChange) => void): () => void;
  close(): void;
}
