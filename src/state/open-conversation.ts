/**
 * The open conversation as the session holds it: every message of every branch, and which branch is shown. Pure:
 * the session derives what the UI renders (`viewOf`) and folds in what other tabs stored (`mergeMessages`).
 */
import { MessageTree } from '../domain/branches.js';
import type { Alternatives } from './app-state.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';

export interface OpenConversation {
  id: string;
  /** Every message, all branches. */
  messages: readonly MessageRecord[];
  /** The last message of the branch shown; undefined (or a message that is gone): the newest message's branch. */
  leafId: string | undefined;
  /**
   * Only the newest messages are read yet (a long conversation opening): the view starts at the first message whose
   * parent was read, so every alternative it counts is there.
   */
  partial?: boolean;
}

/** What the UI renders of the open conversation: `AppState.messages` and `AppState.alternatives`. */
export interface ConversationView {
  messages: MessageRecord[];
  alternatives: Record<string, Alternatives>;
  /** How many messages each shown one heads, itself included, every branch counted (what its Delete takes away). */
  branchSizes: Record<string, number>;
}

/** Every message's branch size, from the leaves up: one walk of the tree, however many messages are shown. */
function sizesOf(tree: MessageTree): Map<string, number> {
  // Breadth first, parents before children (a cycle, which no root reaches, is left out).
  const order: MessageRecord[] = [...tree.childrenOf(null)];
  // (An array's iterator goes on to what is pushed while it runs.)
  for (const message of order) order.push(...tree.childrenOf(message.id));
  const sizes = new Map<string, number>();
  for (const message of order.reverse()) {
    const size = (sizes.get(message.id) ?? 0) + 1;
    sizes.set(message.id, size);
    const parentId = tree.parentOf(message.id);
    if (parentId !== null) sizes.set(parentId, (sizes.get(parentId) ?? 0) + size);
  }
  return sizes;
}

export function viewOf(open: OpenConversation | null): ConversationView {
  const view: ConversationView = { messages: [], alternatives: {}, branchSizes: {} };
  if (!open) return view;
  const tree = new MessageTree(open.messages);
  const path = tree.visiblePath(open.leafId);
  const sizes = sizesOf(tree);
  // In a partial read the first message of the path is a root only because its parent was not read yet.
  if (open.partial && path[0] && path[0].message.parentId != null) path.shift();
  for (const { message, position, count, previousId, nextId } of path) {
    view.messages.push(message);
    view.branchSizes[message.id] = sizes.get(message.id) ?? 1;
    if (count > 1) view.alternatives[message.id] = { position, count, previousId, nextId };
  }
  return view;
}

/** From the first message down to `id`, both included, following parents; empty if `id` is not there. */
export function pathTo(open: OpenConversation, id: string): MessageRecord[] {
  return new MessageTree(open.messages).pathTo(id);
}

/**
 * Replaces the message with the same id, or returns `messages` itself when there is none. Streaming updates hit
 * the last elements, so the search runs from the end.
 */
export function replaceMessage(messages: readonly MessageRecord[], message: MessageRecord): readonly MessageRecord[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.id === message.id) {
      const next = messages.slice();
      next[i] = message;
      return next;
    }
  }
  return messages;
}

/**
 * Folds messages read from storage into those held. Another tab's writes carry a later `updatedAt`, so the later
 * copy wins (a tie keeps the held one, which may carry a status only this tab derived, like `interrupted`). Held
 * messages in `keep` always win and are never dropped: the reply this tab streams (memory is ahead of storage) and
 * messages whose write has not landed. A held message not read is dropped when `isGone` says storage no longer has it.
 */
export function mergeMessages(
  held: readonly MessageRecord[],
  read: readonly MessageRecord[],
  isGone: (id: string) => boolean,
  keep: ReadonlySet<string>,
): MessageRecord[] {
  const readById = new Map(read.map((message) => [message.id, message]));
  const merged: MessageRecord[] = [];
  for (const message of held) {
    const stored = readById.get(message.id);
    readById.delete(message.id);
    if (keep.has(message.id) || (stored ? stored.updatedAt <= message.updatedAt : !isGone(message.id))) {
      merged.push(message);
    } else if (stored) {
      merged.push(stored);
    }
  }
  merged.push(...readById.values());
  return merged;
}

/**
 * A conversation record read from storage, for the list: storage's title and branch, but never an older `updatedAt`
 * than the one held (this tab moves it with every streamed word; storage only with every save).
 */
export function mergeConversation(
  held: ConversationRecord | undefined,
  stored: ConversationRecord,
): ConversationRecord {
  return held && held.updatedAt > stored.updatedAt ? { ...stored, updatedAt: held.updatedAt } : stored;
}
