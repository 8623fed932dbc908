/**
 * How the app's renders follow a streaming reply (see StoreController): while a reply streams, states are rendered
 * at most once a frame; a state that only carries the reply on may wait longer when frames are expensive, and any
 * other (the reader sends, stops, opens a dialog, attaches a file) renders at the next frame. The end of the reply
 * is not streaming any more, so it renders at once.
 */
import type { AppState } from '../state/app-state.js';

export function isStreaming(state: AppState): boolean {
  return state.streamingMessageId !== null;
}

/** What a streamed batch changes: the reply's text, and the conversation's place and time in the list. */
const GROWING_WITH_THE_REPLY: ReadonlySet<keyof AppState> = new Set(['messages', 'conversations']);

/** Whether `next` differs from `applied` only by more of the same streaming reply. */
export function onlyTheReplyGrew(next: AppState, applied: AppState): boolean {
  if (next.streamingMessageId === null || next.streamingMessageId !== applied.streamingMessageId) return false;
  if (next.messages.length !== applied.messages.length) return false;
  for (const key of Object.keys(next) as (keyof AppState)[]) {
    if (!GROWING_WITH_THE_REPLY.has(key) && next[key] !== applied[key]) return false;
  }
  return next.messages.every((message, index) => {
    const before = applied.messages[index];
    return message === before || (message.id === next.streamingMessageId && message.id === before?.id);
  });
}
