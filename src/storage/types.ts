import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings, SettingsChanges } from '../domain/settings.js';
import type { BackupData } from './backup.js';
import type { ImportSummary } from './import-plan.js';
import type { DeletedConversation } from './records.js';
import type { SearchOptions, SearchResult } from './search-index.js';

export type { BackupData } from './backup.js';
export type { ImportSummary } from './import-plan.js';
export type { DeletedConversation } from './records.js';
export type { SearchMatch, SearchOptions, SearchResult } from './search-index.js';

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
}

/** What the conversations take, for the storage panel. */
/** What `listNewestMessages` read. */
export interface NewestMessages {
  messages: MessageRecord[];
  /** Whether these are all of the conversation's messages. */
  complete: boolean;
}

export interface ConversationsSize {
  conversations: number;
  messages: number;
  /** Roughly what the records take as UTF-8 text; the browser's own count includes its overheads. */
  approximateBytes: number;
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
  /**
   * Shows another branch: `leafId` must be a message of the conversation (else nothing changes). `updatedAt` stays,
   * so looking at an alternative does not reorder the list. Returns the conversation, or undefined if it is gone.
   */
  setActiveLeaf(conversationId: string, leafId: string): Promise<ConversationRecord | undefined>;
  /**
   * Deletes the conversation and all its messages in one transaction, and returns them for Undo (undefined when no
   * such conversation existed; stray messages with that conversation id are deleted all the same).
   */
  deleteConversation(id: string): Promise<DeletedConversation | undefined>;
  /** Undo of a delete: writes the conversation and its messages back as they were, in one transaction. */
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
   * follows the active leaf (the branch shown): the controller should name the parent of an edit or a regenerate.
   * A message whose conversation does not exist (deleted, perhaps by another tab mid-reply) is not written.
   */
  putMessage(message: MessageRecord): Promise<void>;
  /**
   * Deletes one message in one transaction. Its children then follow its parent, and if it was the active leaf,
   * its parent becomes it; so a deletion never cuts a conversation in two.
   */
  deleteMessage(id: string): Promise<void>;
  /** Deletes every message of the conversation; the conversation itself stays, with no active leaf. */
  deleteMessages(conversationId: string): Promise<void>;
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
  /** Every conversation and every message, all branches, read at one moment: what `exportAll` writes. */
  readAllConversations(): Promise<{ conversations: ConversationRecord[]; messages: MessageRecord[] }>;
  /**
   * Adds a backup that `parseBackup` accepted, in one transaction: all of it or, on any failure (a full disk is a
   * `StorageError` of kind `quota`), none of it. Never overwrites: see `planImport`.
   */
  importBackup(data: BackupData): Promise<ImportSummary>;
  /** Counts and an approximate size of the conversations (reads every record: not for every render). */
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
