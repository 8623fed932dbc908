/**
 * A stored copy of the search index, so that the search worker starts from it rather than reading and folding every
 * message again (most of a second for 100,000). It is a cache: deleting it loses nothing, and it is never trusted
 * blindly. A copy that is not whole (damaged, or of another format) is not used at all; otherwise each conversation
 * in it is used only while the database still holds that conversation with the same `updatedAt` and the same number
 * of messages and files. Every write of a message moves its conversation's `updatedAt` forward to the message's, and
 * every deletion or restore changes how many there are, so a conversation whose messages changed since the copy was
 * taken is read again; one the database no longer holds is left out.
 */
import type { ConversationRecord } from '../domain/records.js';
import type { ChatDatabase } from './schema.js';
import { SearchIndex, type AttachmentSnapshot, type ConversationSnapshot } from './search-index.js';
import { ATTACHMENTS_STORE, hasAttachments, messagesOf, untyped } from './search-reads.js';

/** The store of the copy (since schema version 4): one record, out of line key {@link SEARCH_COPY_KEY}. */
export const SEARCH_COPY_STORE = 'search-index';
export const SEARCH_COPY_KEY = 'index';
/** Bumped whenever what a copy holds changes shape: a copy of another format is rebuilt, not read. */
export const SEARCH_COPY_FORMAT = 1;

export interface StoredSearchCopy {
  format: number;
  conversations: ConversationSnapshot[];
}

/**
 * When more than this share of the conversations changed since the copy was stored, reading them all in one go is
 * quicker than reading most of them one by one.
 */
const MOST_CHANGED = 0.5;

/** The index as restored from the copy, and what must be read again from the database to complete it. */
export interface RestoredIndex {
  index: SearchIndex;
  /** Conversations stored but not in the copy as they are now: their messages and files are to be read. */
  changed: ConversationRecord[];
  /** Whether the copy differs from what the index now holds (so it is worth storing again). */
  outdated: boolean;
}

/** The index taken from the stored copy, or `null` when there is no usable copy (the index is then built afresh). */
export async function restoreFromCopy(db: ChatDatabase): Promise<RestoredIndex | null> {
  const tx = db.transaction(['conversations', SEARCH_COPY_STORE]);
  const [conversations, key] = await Promise.all([
    tx.objectStore('conversations').getAll(),
    tx.objectStore(SEARCH_COPY_STORE).getKey(SEARCH_COPY_KEY),
  ]);
  if (key === undefined) return null;
  // Counted while the copy is read (a readonly transaction each, which the database runs side by side).
  const [stored, counts] = await Promise.all([
    db.get(SEARCH_COPY_STORE, SEARCH_COPY_KEY),
    countContents(
      db,
      conversations.map((conversation) => conversation.id),
    ),
  ]);
  const copy = parseCopy(stored);
  if (!copy) return null;
  const copied = new Map(copy.map((snapshot) => [snapshot.id, snapshot]));
  const index = new SearchIndex();
  const changed: ConversationRecord[] = [];
  conversations.forEach((conversation, i) => {
    const snapshot = copied.get(conversation.id);
    const count = counts[i];
    if (
      snapshot?.updatedAt === conversation.updatedAt &&
      snapshot.messageIds.length === count?.messages &&
      snapshot.attachments.length === count.attachments
    ) {
      index.restoreConversation(snapshot);
      // The title as stored now.
      index.setConversation(conversation);
    } else {
      changed.push(conversation);
    }
  });
  if (changed.length > conversations.length * MOST_CHANGED) return null;
  const kept = conversations.length - changed.length;
  return { index, changed, outdated: changed.length > 0 || copy.length !== kept };
}

/** Stores `conversations` (a {@link SearchIndex.snapshot}) as the copy, replacing the one stored. */
export async function storeCopy(db: ChatDatabase, conversations: ConversationSnapshot[]): Promise<void> {
  const tx = db.transaction(SEARCH_COPY_STORE, 'readwrite');
  const copy: StoredSearchCopy = { format: SEARCH_COPY_FORMAT, conversations };
  await Promise.all([tx.store.put(copy, SEARCH_COPY_KEY), tx.done]);
}

/** How many messages and files each conversation holds: counted in one transaction, without reading them. */
async function countContents(
  db: ChatDatabase,
  ids: readonly string[],
): Promise<{ messages: number; attachments: number }[]> {
  const withFiles = hasAttachments(db);
  const tx = untyped(db).transaction(withFiles ? ['messages', ATTACHMENTS_STORE] : ['messages']);
  const messages = tx.objectStore('messages').index('by-conversation');
  const files = withFiles ? tx.objectStore(ATTACHMENTS_STORE).index('by-conversation') : null;
  return Promise.all(
    ids.map(async (id) => {
      const [messageCount, attachmentCount] = await Promise.all([
        messages.count(messagesOf(id)),
        files ? files.count(id) : 0,
      ]);
      return { messages: messageCount, attachments: attachmentCount };
    }),
  );
}

/**
 * The conversations of a stored copy, or `null` unless every one of them is whole: what is stored may have been
 * written by another version of the app, or damaged, and a copy that is wrong would hide messages from search.
 */
export function parseCopy(value: unknown): ConversationSnapshot[] | null {
  if (!isObject(value) || value.format !== SEARCH_COPY_FORMAT || !Array.isArray(value.conversations)) return null;
  const seen = { conversations: new Set<string>(), messages: new Set<string>(), attachments: new Set<string>() };
  const conversations: ConversationSnapshot[] = [];
  for (const candidate of value.conversations as unknown[]) {
    if (!isSnapshot(candidate) || !isUnique(seen.conversations, [candidate.id])) return null;
    if (!isUnique(seen.messages, candidate.messageIds)) return null;
    if (
      !isUnique(
        seen.attachments,
        candidate.attachments.map(({ id }) => id),
      )
    )
      return null;
    conversations.push(candidate);
  }
  return conversations;
}

function isSnapshot(value: unknown): value is ConversationSnapshot {
  if (!isObject(value)) return false;
  const { id, title, updatedAt, messageIds, createdAts, starts, text, attachments } = value;
  return (
    typeof id === 'string' &&
    typeof title === 'string' &&
    isTime(updatedAt) &&
    isArrayOf(messageIds, (item) => typeof item === 'string') &&
    isArrayOf(createdAts, isTime) &&
    createdAts.length === messageIds.length &&
    typeof text === 'string' &&
    isArrayOf(starts, (item) => typeof item === 'number') &&
    areMessageStarts(starts, text, messageIds.length) &&
    isArrayOf(attachments, isAttachmentSnapshot)
  );
}

/** Each message is followed by "\n" in the joined text, so each start is after the end of the one before. */
function areMessageStarts(starts: readonly number[], text: string, messages: number): boolean {
  if (starts.length !== messages + 1 || starts[0] !== 0 || starts[messages] !== text.length) return false;
  for (let i = 1; i <= messages; i++) {
    const start = starts[i] ?? -1;
    if (!Number.isInteger(start) || start <= (starts[i - 1] ?? 0) || text.charCodeAt(start - 1) !== 0x0a) return false;
  }
  return true;
}

function isAttachmentSnapshot(value: unknown): value is AttachmentSnapshot {
  if (!isObject(value)) return false;
  const { id, messageId, createdAt, folded } = value;
  return typeof id === 'string' && typeof messageId === 'string' && isTime(createdAt) && typeof folded === 'string';
}

function isUnique(seen: Set<string>, ids: readonly string[]): boolean {
  for (const id of ids) {
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isArrayOf<T>(value: unknown, isItem: (item: unknown) => item is T): value is T[];
function isArrayOf(value: unknown, isItem: (item: unknown) => boolean): value is unknown[];
function isArrayOf(value: unknown, isItem: (item: unknown) => boolean): value is unknown[] {
  return Array.isArray(value) && value.every(isItem);
}
