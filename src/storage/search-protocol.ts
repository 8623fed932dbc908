/**
 * The messages between the page and the search worker (search-worker.ts). The page tells the worker what it stored
 * (notices, in the order it stored them: one port delivers them in order, so a search asked after a write sees it)
 * and asks it to fill the index or to search; the worker answers each request by its id. The envelope, the ready
 * message and the error reply are the kit every worker shares (../messaging/).
 */
import type { ErrorReply, ReadyMessage } from '../messaging/endpoint.js';
import type {
  IndexableAttachment,
  IndexableConversation,
  IndexableMessage,
  SearchOptions,
  SearchResult,
} from './search-index.js';

/** What changed in the database, as the index needs to know it. */
export type SearchNotice =
  | { type: 'conversation-changed'; conversation: IndexableConversation }
  | { type: 'message-changed'; message: IndexableMessage }
  | { type: 'message-deleted'; id: string; conversationId: string }
  | { type: 'attachment-changed'; attachment: IndexableAttachment }
  | { type: 'attachment-deleted'; id: string; conversationId: string }
  /** The conversation now holds exactly this (`conversation` absent: it is gone). */
  | {
      type: 'conversation-replaced';
      id: string;
      conversation: IndexableConversation | undefined;
      messages: IndexableMessage[];
      attachments: IndexableAttachment[];
    }
  /** Changed by another tab: to be read again before the next search. */
  | { type: 'stale'; conversationIds: string[] };

export type SearchRequest =
  { type: 'prepare'; id: number } | { type: 'search'; id: number; query: string; options: SearchOptions | undefined };

/** `open` comes first, once: the database the worker reads (it opens its own connection). */
export type ToSearchWorker = { type: 'open'; name: string } | SearchNotice | SearchRequest;

export type FromSearchWorker =
  | ReadyMessage
  | { type: 'done'; id: number; results: SearchResult[] | null }
  /** What the worker's database threw, by name and message, to be mapped to a StorageError on the page. */
  | ErrorReply;

/** Only the fields the index reads cross to the worker: a message's other fields are of no use to it. */
export function messageNotice(message: IndexableMessage): SearchNotice {
  const { id, conversationId, content, createdAt } = message;
  return { type: 'message-changed', message: { id, conversationId, content, createdAt } };
}

export function conversationFields(conversation: IndexableConversation): IndexableConversation {
  const { id, title, updatedAt } = conversation;
  return { id, title, updatedAt };
}

export function attachmentFields(attachment: IndexableAttachment): IndexableAttachment {
  const { id, conversationId, messageId, name, text, createdAt } = attachment;
  return { id, conversationId, messageId, name, text, createdAt };
}
