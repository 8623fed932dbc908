/**
 * A small synchronous copy of what the first screen shows: the newest conversations' titles and which one was open.
 * It is read from localStorage before IndexedDB opens, so the list and the open conversation's title can be drawn
 * in the first frame; IndexedDB's answer replaces it as soon as it comes and always wins. It holds no settings, no
 * token, no message text: titles only. Whatever is read is treated as hostile: anything malformed, oversized or of
 * another version is ignored, never repaired.
 */
import type { ConversationRecord } from '../domain/records.js';

export const SNAPSHOT_KEY = 'mc-first-screen';
const SNAPSHOT_VERSION = 1;
/** More than a tall screen's list shows; the rest comes from IndexedDB a moment later. */
export const SNAPSHOT_ENTRIES = 40;
/** Longer titles are cut: the list shows one line of each. */
export const SNAPSHOT_TITLE_CHARS = 200;
/** A stored value longer than this was not written by this code: it is ignored unread. */
export const SNAPSHOT_MAX_CHARS = 16_000;

export interface SnapshotEntry {
  id: string;
  title: string;
  updatedAt: number;
}

export interface FirstScreenSnapshot {
  /** Newest first, as the list shows them. */
  conversations: SnapshotEntry[];
  /** The conversation open when the snapshot was written, if it is among `conversations`. */
  openConversationId: string | null;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function isEntry(value: unknown): value is SnapshotEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { id, title, updatedAt } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 100 &&
    typeof title === 'string' &&
    title.length <= SNAPSHOT_TITLE_CHARS &&
    typeof updatedAt === 'number' &&
    Number.isFinite(updatedAt)
  );
}

/** The snapshot, or null when there is none or it cannot be trusted to be this code's own. */
export function readFirstScreenSnapshot(store: KeyValueStore | null = defaultStore()): FirstScreenSnapshot | null {
  let raw: string | null;
  try {
    raw = store?.getItem(SNAPSHOT_KEY) ?? null;
  } catch {
    return null;
  }
  if (raw === null || raw.length > SNAPSHOT_MAX_CHARS) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { v, conversations, open } = parsed as Record<string, unknown>;
  if (v !== SNAPSHOT_VERSION || !Array.isArray(conversations) || conversations.length > SNAPSHOT_ENTRIES) return null;
  if (!conversations.every(isEntry)) return null;
  if (new Set(conversations.map((entry) => entry.id)).size !== conversations.length) return null;
  const openConversationId = typeof open === 'string' && conversations.some((entry) => entry.id === open) ? open : null;
  if (open !== null && openConversationId === null) return null;
  return {
    conversations: conversations.map(({ id, title, updatedAt }) => ({ id, title, updatedAt })),
    openConversationId,
  };
}

function serialize(conversations: readonly ConversationRecord[], openConversationId: string | null): string {
  const entries = conversations.slice(0, SNAPSHOT_ENTRIES).map(({ id, title, updatedAt }) => ({
    id,
    title: title.slice(0, SNAPSHOT_TITLE_CHARS),
    updatedAt,
  }));
  const open = entries.some((entry) => entry.id === openConversationId) ? openConversationId : null;
  return JSON.stringify({ v: SNAPSHOT_VERSION, conversations: entries, open });
}

/**
 * Keeps the snapshot current. `update` is meant to run on every state change: it returns at once unless the list
 * (a new array) or the open conversation changed, and writes only when the stored text would differ.
 */
export class FirstScreenSnapshotWriter {
  readonly #store: KeyValueStore | null;
  #conversations: readonly ConversationRecord[] | null = null;
  #openConversationId: string | null = null;
  #written: string | null = null;

  constructor(store: KeyValueStore | null = defaultStore()) {
    this.#store = store;
  }

  update(conversations: readonly ConversationRecord[], openConversationId: string | null): void {
    if (conversations === this.#conversations && openConversationId === this.#openConversationId) return;
    this.#conversations = conversations;
    this.#openConversationId = openConversationId;
    const text = serialize(conversations, openConversationId);
    if (text === this.#written) return;
    try {
      this.#store?.setItem(SNAPSHOT_KEY, text);
      this.#written = text;
    } catch {
      // Full or refused: the next visit draws its first screen from IndexedDB, as it would without a snapshot.
    }
  }

  /** Forgets the snapshot (all data deleted, or storage that keeps nothing past this tab). */
  clear(): void {
    this.#written = null;
    this.#conversations = null;
    try {
      this.#store?.removeItem(SNAPSHOT_KEY);
    } catch {
      // Refused: nothing was readable there either.
    }
  }
}
