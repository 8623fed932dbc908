/**
 * Reads of whole conversations from the `by-conversation` index, shared by the repository and its search index.
 * They live apart from the search code so the repository can use them without loading search on the first screen.
 */
import type { ConversationRecord } from '../domain/records.js';
import type { ChatDatabase, StoredMessage } from './schema.js';

/**
 * Conversations whose messages are read per transaction while reading them all. Requests in one transaction are
 * pipelined, so the next conversation is read while this one is folded; a bounded group keeps each transaction short
 * enough not to hold up a reply being saved.
 */
const CONVERSATIONS_PER_READ = 200;

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
  const conversations = await db.getAll('conversations');
  for (let start = 0; start < conversations.length; start += CONVERSATIONS_PER_READ) {
    const byConversation = db.transaction('messages').store.index('by-conversation');
    await Promise.all(
      conversations.slice(start, start + CONVERSATIONS_PER_READ).map(async (conversation) => {
        onConversation(conversation, await byConversation.getAll(messagesOf(conversation.id)));
      }),
    );
  }
}
