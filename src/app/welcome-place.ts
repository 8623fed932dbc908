import type { AppState } from '../state/app-state.js';

/**
 * Whether the screen shows an empty conversation, the place the welcome takes. Before storage answers, the first
 * screen (drawn from the snapshot) already knows whether a conversation will open: with none, a first visit is
 * welcomed in the first frame rather than after IndexedDB.
 */
export function showsNoConversation(state: AppState | null): boolean {
  if (state === null || state.messages.length > 0) return false;
  return state.ready || state.activeConversationId === null;
}
