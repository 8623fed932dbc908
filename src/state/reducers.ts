/**
 * Pure state transitions. Every function returns a new value and leaves its inputs untouched, so the store can tell
 * what changed by identity and components re-render only what did.
 */
import type { ChatTurn } from '../engines/types.js';
import type { AppAlert } from './app-state.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';

const TITLE_MAX_LENGTH = 60;
const MAX_ALERTS = 3;

/** Replaces the message with the same id, or appends it. Streaming updates hit the last element: O(1) search. */
export function upsertMessage(messages: readonly MessageRecord[], message: MessageRecord): MessageRecord[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.id === message.id) {
      const next = messages.slice();
      next[i] = message;
      return next;
    }
  }
  return [...messages, message];
}

/** Keeps the list newest first by `updatedAt`. */
export function upsertConversation(
  conversations: readonly ConversationRecord[],
  conversation: ConversationRecord,
): ConversationRecord[] {
  const rest = conversations.filter((existing) => existing.id !== conversation.id);
  const index = rest.findIndex((existing) => existing.updatedAt <= conversation.updatedAt);
  if (index === -1) return [...rest, conversation];
  return [...rest.slice(0, index), conversation, ...rest.slice(index)];
}

export function removeConversation(conversations: readonly ConversationRecord[], id: string): ConversationRecord[] {
  return conversations.filter((conversation) => conversation.id !== id);
}

/**
 * The turns an engine should see: the user's words and every reply the user saw. Failed replies are left out (the
 * user did not get an answer there); stopped and interrupted ones stay, since the user read them.
 */
export function historyForEngine(messages: readonly MessageRecord[]): ChatTurn[] {
  return messages
    .filter((message) => !(message.role === 'assistant' && (message.status === 'error' || message.content === '')))
    .map((message) => ({ role: message.role, content: message.content }));
}

/** A title from the first user message: its first line, whitespace folded, cut at a word near 60 characters. */
export function titleFromText(text: string): string {
  const firstLine =
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? '';
  const folded = firstLine.replace(/\s+/g, ' ');
  if (folded === '') return 'New chat';
  if (folded.length <= TITLE_MAX_LENGTH) return folded;
  const cut = folded.slice(0, TITLE_MAX_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > TITLE_MAX_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** Adds an alert unless the same message is already shown; keeps the newest few. */
export function addAlert(alerts: readonly AppAlert[], alert: AppAlert): AppAlert[] {
  if (alerts.some((existing) => existing.message === alert.message)) return alerts.slice();
  return [...alerts, alert].slice(-MAX_ALERTS);
}

export function dismissAlert(alerts: readonly AppAlert[], id: number): AppAlert[] {
  return alerts.filter((alert) => alert.id !== id);
}

/**
 * A reply still marked `streaming` that nobody has written for a while was most likely cut off by a closed tab or a
 * crash: the writer saves every 500 ms while text arrives.
 */
export const STALE_STREAM_MS = 5_000;

/**
 * Shows stale `streaming` replies as `interrupted`. Only on screen: the stored status stays, because another tab may
 * still be writing the reply (a long prefill is silent), and writing `interrupted` back could overwrite its newer
 * text. Its next save wins over this, being newer. `streamingId`, the reply this tab streams, is never marked.
 * Returns `messages` itself when nothing changes.
 */
export function markInterrupted(
  messages: readonly MessageRecord[],
  now: number,
  streamingId: string | null = null,
): readonly MessageRecord[] {
  const isStale = (message: MessageRecord) =>
    message.status === 'streaming' && message.id !== streamingId && now - message.updatedAt >= STALE_STREAM_MS;
  if (!messages.some(isStale)) return messages;
  return messages.map((message) => (isStale(message) ? { ...message, status: 'interrupted' as const } : message));
}
