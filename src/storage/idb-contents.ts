/**
 * The IndexedDB side of attachments and of deleting messages with Undo: reading what a conversation holds inside a
 * write transaction, and carrying out what `deletions.ts` planned, all in that one transaction.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { ConversationRecord } from '../domain/records.js';
import { planRestore, type ConversationContents, type DeletedMessages, type DeletionPlan } from './deletions.js';
import { requestAll, type ChatTransaction } from './idb-requests.js';
import { messagesOf } from './search-reads.js';
import { byAttachmentCreation } from './records.js';
import type { ChatDatabase } from './schema.js';
import type { NewestMessages } from './types.js';

/** The conversation, its messages (all branches) and its attachments (oldest first), read in `tx`. */
export async function readContents(tx: ChatTransaction, conversationId: string): Promise<ConversationContents> {
  const [conversation, messages, attachments] = await Promise.all([
    tx.objectStore('conversations').get(conversationId),
    tx.objectStore('messages').index('by-conversation').getAll(messagesOf(conversationId)),
    attachmentsOf(tx, conversationId),
  ]);
  return { conversation, messages, attachments };
}

/** The conversation's attachments, oldest first (the index orders by conversation only). */
export async function attachmentsOf(
  tx: Pick<ChatTransaction, 'objectStore'>,
  conversationId: string,
): Promise<AttachmentRecord[]> {
  const stored = await tx.objectStore('attachments').index('by-conversation').getAll(conversationId);
  return stored.sort(byAttachmentCreation);
}

/** Deletes, rewrites and moves the active leaf as planned. */
export async function applyDeletion(tx: ChatTransaction, plan: DeletionPlan): Promise<void> {
  const messages = tx.objectStore('messages');
  const attachments = tx.objectStore('attachments');
  const { conversation } = plan;
  await requestAll([
    ...plan.deleted.messages.map((message) => () => messages.delete(message.id)),
    ...plan.deleted.attachments.map((attachment) => () => attachments.delete(attachment.id)),
    ...plan.writes.map((message) => () => messages.put(message)),
    () => (conversation ? tx.objectStore('conversations').put(conversation) : undefined),
  ]);
}

/** Puts back what a deletion took; false, writing nothing, when the conversation is gone. */
export async function applyRestore(tx: ChatTransaction, deleted: DeletedMessages): Promise<boolean> {
  const conversations = tx.objectStore('conversations');
  const restore = planRestore(deleted, await conversations.get(deleted.conversationId));
  if (!restore) return false;
  const messages = tx.objectStore('messages');
  const attachments = tx.objectStore('attachments');
  const { conversation } = restore;
  await requestAll([
    ...restore.messages.map((message) => () => messages.put(message)),
    ...restore.attachments.map((attachment) => () => attachments.put(attachment)),
    () => (conversation ? conversations.put(conversation) : undefined),
  ]);
  return true;
}

/** Deletes every attachment of the conversation. */
export async function deleteAttachmentsOf(tx: ChatTransaction, conversationId: string): Promise<void> {
  const store = tx.objectStore('attachments');
  const keys = await store.index('by-conversation').getAllKeys(conversationId);
  await requestAll(keys.map((key) => () => store.delete(key)));
}

/**
 * A conversation's newest `count` messages (all branches), and whether that is all of them. Reading all of a
 * 5,000-message conversation takes most of 100 ms; stepping a key cursor back over `count` entries is one request,
 * and one getAll then reads the values from there on.
 */
export async function readNewestMessages(
  db: ChatDatabase,
  conversationId: string,
  count: number,
): Promise<NewestMessages> {
  const index = db.transaction('messages').store.index('by-conversation');
  const range = messagesOf(conversationId);
  const newest = await index.openKeyCursor(range, 'prev');
  const beyond = newest && count > 0 ? await newest.advance(count) : newest;
  if (!beyond) return { messages: await index.getAll(range), complete: true };
  const [, createdAt] = beyond.key;
  const from = IDBKeyRange.bound([conversationId, createdAt], [conversationId, Number.POSITIVE_INFINITY], true);
  return { messages: await index.getAll(from), complete: false };
}

/** A change to one stored conversation, read and written in `tx`; undefined (nothing written) if it is gone. */
export async function changeConversation(
  tx: ChatTransaction,
  id: string,
  change: (stored: ConversationRecord) => ConversationRecord,
): Promise<ConversationRecord | undefined> {
  const conversations = tx.objectStore('conversations');
  const stored = await conversations.get(id);
  if (!stored) return undefined;
  const next = change(stored);
  await conversations.put(next);
  return next;
}
