/**
 * Reading every conversation with its messages (and attached files), as the search index does to fill itself and the
 * repository to measure what it holds. Kept apart from the index's other reads (indexed-search.ts), which the page
 * loads only where there is no worker.
 */
import type { IDBPDatabase } from 'idb';
import type { ConversationRecord } from '../domain/records.js';
import type { ChatDatabase, StoredMessage } from './schema.js';
import type { IndexableAttachment } from './search-index.js';

/**
 * Conversations whose messages are read per transaction while filling the index. Requests in one transaction are
 * pipelined, so the next conversation is read while this one is folded; a bounded group keeps each transaction short
 * enough not to hold up a reply being saved.
 */
export const CONVERSATIONS_PER_READ = 200;

/**
 * Issue 14's store of attached files (key `id`, index `by-conversation` on `conversationId`). It is read only where
 * the database has it, through the untyped database, so search depends on nothing but that shape.
 */
export const ATTACHMENTS_STORE = 'attachments';

/** One conversation's messages, oldest first, in the `by-conversation` index. */
export function messagesOf(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, Number.NEGATIVE_INFINITY], [conversationId, Number.POSITIVE_INFINITY]);
}

/**
 * Reads every conversation and its messages (all branches), calling `onConversation` as each arrives. Messages
 * whose conversation no longer exists are not read: nothing shows them.
 */
export async function forEachConversation(
  db: ChatDatabase,
  onConversation: (conversation: ConversationRecord, messages: readonly StoredMessage[]) => void,
): Promise<void> {
  await readEveryConversation(db, false, onConversation);
}

/** {@link forEachConversation}, with each conversation's attached files too. */
export async function forEachConversationWithFiles(
  db: ChatDatabase,
  onConversation: (
    conversation: ConversationRecord,
    messages: readonly StoredMessage[],
    attachments: readonly IndexableAttachment[],
  ) => void,
): Promise<void> {
  await readEveryConversation(db, hasAttachments(db), onConversation);
}

async function readEveryConversation(
  db: ChatDatabase,
  withFiles: boolean,
  onConversation: (
    conversation: ConversationRecord,
    messages: readonly StoredMessage[],
    attachments: readonly IndexableAttachment[],
  ) => void,
): Promise<void> {
  const conversations = await db.getAll('conversations');
  for (let start = 0; start < conversations.length; start += CONVERSATIONS_PER_READ) {
    const tx = untyped(db).transaction(withFiles ? ['messages', ATTACHMENTS_STORE] : ['messages']);
    const messages = tx.objectStore('messages').index('by-conversation');
    const files = withFiles ? tx.objectStore(ATTACHMENTS_STORE).index('by-conversation') : null;
    await Promise.all(
      conversations.slice(start, start + CONVERSATIONS_PER_READ).map(async (conversation) => {
        const [stored, attached] = await Promise.all([
          messages.getAll(messagesOf(conversation.id)) as Promise<StoredMessage[]>,
          files ? (files.getAll(conversation.id) as Promise<IndexableAttachment[]>) : [],
        ]);
        onConversation(conversation, stored, attached);
      }),
    );
  }
}

export function hasAttachments(db: ChatDatabase): boolean {
  return db.objectStoreNames.contains(ATTACHMENTS_STORE as never);
}

/** The typed schema does not name the files' store (yet): those reads go through the untyped database. */
export function untyped(db: ChatDatabase): IDBPDatabase {
  return db as unknown as IDBPDatabase;
}
