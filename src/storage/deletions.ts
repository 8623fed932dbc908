/**
 * Taking messages out of a conversation and putting them back (Undo), planned the same way for the IndexedDB
 * repository and the in-memory one. Pure: each plan takes what is stored and says what to delete and write.
 *
 * Every plan leaves the conversation's `activeLeafId` naming a message that is still there (or unset when none is
 * left): the leaf it had if that survives, else the branch the app would show from the deleted messages' parent.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { ConversationRecord } from '../domain/records.js';
import { MessageTree } from '../domain/branches.js';
import { planMessageDeletion, withActiveLeaf } from './records.js';
import type { StoredMessage } from './schema.js';

/** What a deletion took away, to put back with `restoreMessages` (Undo) within a few seconds. */
export interface DeletedMessages {
  conversationId: string;
  /** The messages taken away, the top one first: for `deleteExchange`, the question whose text goes back in the box. */
  messages: StoredMessage[];
  /** Messages the deletion rewrote (children moved to a new parent), as they were before. */
  rewritten: StoredMessage[];
  /** The files sent with the messages taken away. */
  attachments: AttachmentRecord[];
  /** The conversation's active leaf before the deletion, and the one it left. */
  activeLeafBefore: string | undefined;
  activeLeafAfter: string | undefined;
}

export interface DeletionPlan {
  deleted: DeletedMessages;
  /** Messages to write back changed (re-parented children). */
  writes: StoredMessage[];
  /** The conversation's new state, or null when it does not change. */
  conversation: ConversationRecord | null;
}

/** What a conversation holds, as a deletion needs to know it. */
export interface ConversationContents {
  conversation: ConversationRecord | undefined;
  /** All its messages, all branches. */
  messages: readonly StoredMessage[];
  attachments: readonly AttachmentRecord[];
}

/** `rootId` and every message below it, the root first (then breadth first). */
function branchFrom(tree: MessageTree, rootId: string): StoredMessage[] {
  const branch: StoredMessage[] = [];
  const seen = new Set<string>();
  const queue = [rootId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const message = tree.get(id);
    if (!message || seen.has(id)) continue;
    seen.add(id);
    branch.push(message as StoredMessage);
    for (const child of tree.childrenOf(id)) queue.push(child.id);
  }
  return branch;
}

/** The leaf to show once `removed` are gone: the old one if it stays, else the branch from where they hung. */
function leafAfter(
  contents: ConversationContents,
  removed: ReadonlySet<string>,
  hungFrom: string | null,
): string | undefined {
  const before = contents.conversation?.activeLeafId;
  const remaining = new MessageTree(contents.messages.filter(({ id }) => !removed.has(id)));
  if (before !== undefined && remaining.get(before)) return before;
  const from =
    hungFrom !== null && remaining.get(hungFrom) ? remaining.leafFrom(hungFrom) : remaining.resolveLeaf(undefined);
  return from ?? undefined;
}

function plan(
  contents: ConversationContents,
  conversationId: string,
  messages: StoredMessage[],
  rewritten: StoredMessage[],
  writes: StoredMessage[],
  activeLeafAfter: string | undefined,
): DeletionPlan {
  const removed = new Set(messages.map(({ id }) => id));
  const { conversation } = contents;
  const activeLeafBefore = conversation?.activeLeafId;
  return {
    deleted: {
      conversationId,
      messages,
      rewritten,
      attachments: contents.attachments.filter(({ messageId }) => removed.has(messageId)),
      activeLeafBefore,
      activeLeafAfter,
    },
    writes,
    conversation:
      conversation && activeLeafBefore !== activeLeafAfter ? withActiveLeaf(conversation, activeLeafAfter) : null,
  };
}

/** Deleting `messageId` and the whole branch below it; undefined when it is not among the messages. */
export function planBranchDeletion(contents: ConversationContents, messageId: string): DeletionPlan | undefined {
  const tree = new MessageTree(contents.messages);
  const root = tree.get(messageId) as StoredMessage | undefined;
  if (!root) return undefined;
  const branch = branchFrom(tree, messageId);
  const leaf = leafAfter(contents, new Set(branch.map(({ id }) => id)), tree.parentOf(messageId));
  return plan(contents, root.conversationId, branch, [], [], leaf);
}

/**
 * Undo last exchange: the last question of the branch shown, with every reply to it (all alternatives) and anything
 * below them. Undefined when the branch shown has no question.
 */
export function planExchangeDeletion(contents: ConversationContents): DeletionPlan | undefined {
  const tree = new MessageTree(contents.messages);
  const leaf = tree.resolveLeaf(contents.conversation?.activeLeafId);
  if (leaf === null) return undefined;
  const question = tree
    .pathTo(leaf)
    .reverse()
    .find(({ role }) => role === 'user');
  return question ? planBranchDeletion(contents, question.id) : undefined;
}

/** Deleting only `messageId`: its children then follow its parent (see `planMessageDeletion`). */
export function planSingleDeletion(contents: ConversationContents, messageId: string): DeletionPlan | undefined {
  const message = contents.messages.find(({ id }) => id === messageId);
  if (!message) return undefined;
  const children = contents.messages.filter(({ parentId }) => parentId === messageId);
  const { children: moved, conversation } = planMessageDeletion(message, children, contents.conversation);
  const leaf = conversation ? conversation.activeLeafId : contents.conversation?.activeLeafId;
  return plan(contents, message.conversationId, [message], children, moved, leaf);
}

/**
 * What `restoreMessages` writes: every message and file as it was. The conversation goes back to the leaf it showed
 * only if nothing moved it since the deletion (a message sent in between stays shown). Null conversation: it is gone,
 * and nothing is put back.
 */
export function planRestore(
  deleted: DeletedMessages,
  conversation: ConversationRecord | undefined,
): { messages: StoredMessage[]; attachments: AttachmentRecord[]; conversation: ConversationRecord | null } | null {
  if (!conversation) return null;
  const untouched = conversation.activeLeafId === deleted.activeLeafAfter;
  return {
    messages: [...deleted.messages, ...deleted.rewritten],
    attachments: deleted.attachments,
    conversation:
      untouched && deleted.activeLeafBefore !== deleted.activeLeafAfter
        ? withActiveLeaf(conversation, deleted.activeLeafBefore)
        : null,
  };
}
