/**
 * The rules every repository applies when it writes, kept in one place so the IndexedDB repository and the
 * in-memory one cannot drift apart. Pure: each takes what is stored and returns what to write.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { StoredMessage } from './schema.js';

/** The conversation with `activeLeafId` set, or without the field at all when `leafId` is undefined. */
export function withActiveLeaf(conversation: ConversationRecord, leafId: string | undefined): ConversationRecord {
  const next = { ...conversation };
  delete next.activeLeafId;
  if (leafId !== undefined) next.activeLeafId = leafId;
  return next;
}

/**
 * What `putConversation` stores: the record as given, except that the active leaf already stored is kept. The
 * caller's copy may be stale (read before a reply was added), and writing it back must not move the branch shown.
 */
export function conversationToStore(
  conversation: ConversationRecord,
  stored: ConversationRecord | undefined,
): ConversationRecord {
  return stored ? withActiveLeaf(conversation, stored.activeLeafId) : conversation;
}

export interface MessageWrite {
  message: StoredMessage;
  /** The conversation's new state, or null when it does not change. */
  conversation: ConversationRecord | null;
}

/**
 * What `putMessage` stores. The parent is the one given; else the one already stored (a streaming update leaves it
 * out); else, for a new message, the conversation's active leaf, so it continues the branch shown. A new message
 * becomes the active leaf (a sent message, a regenerated reply, an edit all show their own branch), and the
 * conversation's `updatedAt` moves forward to the message's.
 */
export function planMessageWrite(
  message: MessageRecord,
  stored: MessageRecord | undefined,
  conversation: ConversationRecord,
): MessageWrite {
  const requested = message.parentId !== undefined ? message.parentId : stored ? (stored.parentId ?? null) : undefined;
  const parentId = requested === undefined ? (conversation.activeLeafId ?? null) : requested;
  const toStore: StoredMessage = { ...message, parentId: parentId === message.id ? null : parentId };

  let next = conversation;
  if (next.updatedAt < message.updatedAt) next = { ...next, updatedAt: message.updatedAt };
  if (!stored && next.activeLeafId !== message.id) next = withActiveLeaf(next, message.id);
  return { message: toStore, conversation: next === conversation ? null : next };
}

export interface MessageDeletion {
  /** The deleted message's children, now following its parent so the tree stays whole. */
  children: StoredMessage[];
  /** The conversation's new state when its active leaf was the deleted message, else null. */
  conversation: ConversationRecord | null;
}

/** What deleting `message` changes around it. `children` are the messages whose parent it is. */
export function planMessageDeletion(
  message: StoredMessage,
  children: readonly StoredMessage[],
  conversation: ConversationRecord | undefined,
): MessageDeletion {
  return {
    children: children.map((child) => ({ ...child, parentId: message.parentId })),
    conversation:
      conversation?.activeLeafId === message.id ? withActiveLeaf(conversation, message.parentId ?? undefined) : null,
  };
}

/** A deleted conversation with everything it held, to put back with `restoreConversation` (Undo). */
export interface DeletedConversation {
  conversation: ConversationRecord;
  /** Every message, all branches. */
  messages: StoredMessage[];
  /** Every file sent in it. */
  attachments: AttachmentRecord[];
}

/**
 * The message as `putMessageWithAttachments` writes it, naming its attachments in their order. Throws a TypeError
 * (a caller's mistake, never the user's) when an attachment names another message or conversation.
 */
export function messageWithAttachments(
  message: MessageRecord,
  attachments: readonly AttachmentRecord[],
): MessageRecord & { attachmentIds?: string[] } {
  for (const attachment of attachments) {
    if (attachment.messageId !== message.id || attachment.conversationId !== message.conversationId) {
      throw new TypeError(`Attachment ${attachment.id} is not sent with message ${message.id}.`);
    }
  }
  return attachments.length === 0 ? message : { ...message, attachmentIds: attachments.map(({ id }) => id) };
}

/** Oldest first, ties by id: the order `listAttachments` gives. */
export function byAttachmentCreation(a: AttachmentRecord, b: AttachmentRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
