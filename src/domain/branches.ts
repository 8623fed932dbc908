/**
 * Conversations as trees. Every message names the message it follows (`parentId`); messages with the same parent
 * are alternatives: editing a user message adds a sibling of it, regenerating a reply adds a sibling of the reply.
 * A conversation shows one path from a root to its active leaf; at each step the user can move to the previous or
 * next alternative ("2 / 3"), which shows the branch under that alternative.
 *
 * Pure: built from a conversation's messages (all branches, as `listMessages` returns them). Robust to what a
 * damaged database could hold: a parent that does not exist makes a message a root, and a cycle ends a walk.
 */
import type { MessageRecord } from './records.js';

/** One message of the visible path, with where it stands among its alternatives. */
export interface PathEntry {
  message: MessageRecord;
  /** 1-based position among its alternatives, oldest first: the "2" of "2 / 3". */
  position: number;
  /** How many alternatives there are, this one included: the "3" of "2 / 3". 1 when there is no other. */
  count: number;
  /** The alternative before this one (Previous alternative), or null at the first. */
  previousId: string | null;
  /** The alternative after this one (Next alternative), or null at the last. */
  nextId: string | null;
}

function byCreation(a: MessageRecord, b: MessageRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Later `updatedAt` wins, then later creation. */
function moreRecent(a: MessageRecord, b: MessageRecord): boolean {
  return a.updatedAt !== b.updatedAt ? a.updatedAt > b.updatedAt : byCreation(a, b) > 0;
}

/** Build once per change of the messages; every query is then proportional to the path, not the conversation. */
export class MessageTree {
  readonly #byId = new Map<string, MessageRecord>();
  /** Children of each parent id, oldest first; roots under `null`. */
  readonly #children = new Map<string | null, MessageRecord[]>();
  #newest: MessageRecord | undefined;

  constructor(messages: readonly MessageRecord[]) {
    for (const message of messages) this.#byId.set(message.id, message);
    for (const message of this.#byId.values()) {
      const parent = this.parentOf(message.id);
      const siblings = this.#children.get(parent);
      if (siblings) siblings.push(message);
      else this.#children.set(parent, [message]);
      if (!this.#newest || byCreation(message, this.#newest) > 0) this.#newest = message;
    }
    for (const siblings of this.#children.values()) siblings.sort(byCreation);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): MessageRecord | undefined {
    return this.#byId.get(id);
  }

  /** The parent as the tree sees it: null for a root, and for a message whose parent is missing. */
  parentOf(id: string): string | null {
    const parentId = this.#byId.get(id)?.parentId;
    return parentId != null && parentId !== id && this.#byId.has(parentId) ? parentId : null;
  }

  /** The messages that follow `parentId` (null: the roots), oldest first. */
  childrenOf(parentId: string | null): readonly MessageRecord[] {
    return this.#children.get(parentId) ?? [];
  }

  /** The message's alternatives, itself included, oldest first; empty if it does not exist. */
  alternativesOf(id: string): readonly MessageRecord[] {
    return this.#byId.has(id) ? this.childrenOf(this.parentOf(id)) : [];
  }

  /** From the root down to `id`, both included; empty if it does not exist. */
  pathTo(id: string): MessageRecord[] {
    const path: MessageRecord[] = [];
    const seen = new Set<string>();
    for (let current: string | null = id; current !== null && !seen.has(current); current = this.parentOf(current)) {
      const message = this.#byId.get(current);
      if (!message) break;
      seen.add(current);
      path.push(message);
    }
    return path.reverse();
  }

  /**
   * The leaf shown when the user moves to `id`: from it, down through the most recently updated child at each step.
   * `id` itself when it has no children; null if it does not exist.
   */
  leafFrom(id: string): string | null {
    if (!this.#byId.has(id)) return null;
    const seen = new Set<string>([id]);
    let current = id;
    for (;;) {
      let next: MessageRecord | undefined;
      for (const child of this.childrenOf(current)) if (!next || moreRecent(child, next)) next = child;
      if (!next || seen.has(next.id)) return current;
      seen.add(next.id);
      current = next.id;
    }
  }

  /**
   * The leaf the conversation shows: below `activeLeafId` when it exists, otherwise below the newest message (a
   * conversation saved before branches existed, or whose active leaf was deleted). Null when there are no messages.
   */
  resolveLeaf(activeLeafId: string | undefined): string | null {
    const start = activeLeafId !== undefined && this.#byId.has(activeLeafId) ? activeLeafId : this.#newest?.id;
    return start === undefined ? null : this.leafFrom(start);
  }

  /** The messages shown, root first, each with its alternatives' position. */
  visiblePath(activeLeafId: string | undefined): PathEntry[] {
    const leaf = this.resolveLeaf(activeLeafId);
    if (leaf === null) return [];
    return this.pathTo(leaf).map((message) => {
      const alternatives = this.alternativesOf(message.id);
      const index = alternatives.indexOf(message);
      return {
        message,
        position: index + 1,
        count: alternatives.length,
        previousId: alternatives[index - 1]?.id ?? null,
        nextId: alternatives[index + 1]?.id ?? null,
      };
    });
  }
}

/** The visible path of a conversation, root first. See {@link MessageTree.visiblePath}. */
export function visiblePath(messages: readonly MessageRecord[], activeLeafId: string | undefined): PathEntry[] {
  return new MessageTree(messages).visiblePath(activeLeafId);
}

/**
 * The new active leaf after the user chose the alternative `messageId` (Previous/Next alternative), or opened a
 * search match on another branch: the branch under that message, through its most recently updated children.
 */
export function leafAfterChoosing(messages: readonly MessageRecord[], messageId: string): string | null {
  return new MessageTree(messages).leafFrom(messageId);
}
