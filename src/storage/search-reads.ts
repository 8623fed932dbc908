/**
 * What the search index reads from the database: every conversation with its messages (and attached files) to fill
 * it, some conversations again when they changed elsewhere, and the original text of the matches it shows. The same
 * reads serve the index in its worker and, where there is no worker, on the page.
 */
import type { IDBPDatabase } from 'idb';
import type { ConversationRecord } from '../state/types.js';
import type { ChatDatabase, StoredMessage } from './schema.js';
import type { AttachmentText, IndexableAttachment, SearchPlace } from './search-index.js';

/**
 * Conversations whose messages are read per transaction while filling the index. Requests in one transaction are
 * pipelined, so the next conversation is read while this one is folded; a bounded group keeps each transaction short
 * enough not to hold up a reply being saved.
 */
const CONVERSATIONS_PER_READ = 200;

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

export interface StoredConversation {
  id: string;
  /** Absent when the conversation no longer exists. */
  conversation: ConversationRecord | undefined;
  messages: StoredMessage[];
  attachments: IndexableAttachment[];
}

/** The conversations as they are stored now, in one transaction. */
export async function readConversations(db: ChatDatabase, ids: readonly string[]): Promise<StoredConversation[]> {
  const withFiles = hasAttachments(db);
  const tx = untyped(db).transaction(['conversations', 'messages', ...(withFiles ? [ATTACHMENTS_STORE] : [])]);
  const conversations = tx.objectStore('conversations');
  const messages = tx.objectStore('messages').index('by-conversation');
  const files = withFiles ? tx.objectStore(ATTACHMENTS_STORE).index('by-conversation') : null;
  return Promise.all(
    ids.map(async (id) => {
      const [conversation, stored, attached] = await Promise.all([
        conversations.get(id) as Promise<ConversationRecord | undefined>,
        messages.getAll(messagesOf(id)) as Promise<StoredMessage[]>,
        files ? (files.getAll(id) as Promise<IndexableAttachment[]>) : [],
      ]);
      return { id, conversation, messages: stored, attachments: attached };
    }),
  );
}

export interface MatchedTexts {
  contentOf(messageId: string): string | undefined;
  attachmentOf(attachmentId: string): AttachmentText | undefined;
}

/** The original text of the matched messages and files, to cut their snippets from. */
export async function readMatchedTexts(db: ChatDatabase, places: readonly SearchPlace[]): Promise<MatchedTexts> {
  const messageIds = places.filter((place) => place.attachmentId === undefined).map((place) => place.messageId);
  const attachmentIds = places.flatMap((place) => (place.attachmentId === undefined ? [] : [place.attachmentId]));
  const content = new Map<string, string>();
  const files = new Map<string, AttachmentText>();
  if (messageIds.length > 0 || attachmentIds.length > 0) {
    const withFiles = attachmentIds.length > 0 && hasAttachments(db);
    const tx = untyped(db).transaction(['messages', ...(withFiles ? [ATTACHMENTS_STORE] : [])]);
    const messages = tx.objectStore('messages');
    const attachments = withFiles ? tx.objectStore(ATTACHMENTS_STORE) : null;
    await Promise.all([
      ...messageIds.map(async (id) => {
        const record = (await messages.get(id)) as StoredMessage | undefined;
        if (record) content.set(id, record.content);
      }),
      ...(attachments ? attachmentIds : []).map(async (id) => {
        const record = (await attachments?.get(id)) as IndexableAttachment | undefined;
        if (record) files.set(id, { name: record.name, text: record.text });
      }),
    ]);
  }
  return { contentOf: (id) => content.get(id), attachmentOf: (id) => files.get(id) };
}

function hasAttachments(db: ChatDatabase): boolean {
  return db.objectStoreNames.contains(ATTACHMENTS_STORE as never);
}

/** The typed schema does not name the files' store (yet): those reads go through the untyped database. */
function untyped(db: ChatDatabase): IDBPDatabase {
  return db as unknown as IDBPDatabase;
}
