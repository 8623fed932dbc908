/**
 * What the app draws in its first frame, before IndexedDB opens and before the chat session's code has loaded: the
 * conversation list and the open conversation's title from the first-screen snapshot, the engine line as the session
 * starts with it, and nothing else. It is a state like the session's before `start()` (`ready: false`, so the
 * transcript says it is loading), and the session's own state replaces it once storage has answered.
 */
import type { ConversationRecord } from '../domain/records.js';
import type { EngineStatus } from '../engines/types.js';
import type { FirstScreenSnapshot } from '../storage/first-screen-snapshot.js';
import type { AppState, StateSource } from './app-state.js';
import { initialAppState } from './initial-state.js';

function recordOf(entry: FirstScreenSnapshot['conversations'][number]): ConversationRecord {
  // The snapshot keeps no creation time: nothing on the first screen shows it, and the stored records replace these.
  return { id: entry.id, title: entry.title, createdAt: entry.updatedAt, updatedAt: entry.updatedAt };
}

export function firstScreenState(snapshot: FirstScreenSnapshot | null, engineStatus: EngineStatus): AppState {
  return {
    ...initialAppState({ conversationId: null, text: '' }, engineStatus),
    conversations: snapshot?.conversations.map(recordOf) ?? [],
    activeConversationId: snapshot?.openConversationId ?? null,
  };
}

/** A source that only ever has the first screen's state: the app renders it until it is handed the session. */
export function firstScreenSource(state: AppState): StateSource {
  return { getState: () => state, subscribe: () => () => undefined };
}

/**
 * The session's state as the app shows it while the session starts, so nothing drawn from the snapshot flashes away:
 * until storage's list is read, the snapshot's list; until the session has opened a conversation, the snapshot's open
 * one, if storage has it (its title stays in the heading rather than "New chat" for a moment). Once the session is
 * ready, its state as it is.
 */
export function startingSessionSource(session: StateSource, firstScreen: AppState): StateSource {
  const unread = session.getState().conversations;
  let from: AppState | undefined;
  let shown: AppState | undefined;
  const view = (state: AppState): AppState => {
    if (state.ready) return state;
    if (state === from && shown) return shown;
    const listRead = state.conversations !== unread;
    const conversations = listRead ? state.conversations : firstScreen.conversations;
    const open = firstScreen.activeConversationId;
    const keepOpen = state.activeConversationId === null && conversations.some(({ id }) => id === open);
    from = state;
    // The same object for the same state: the app renders again only when the session's state changes.
    shown = { ...state, conversations, activeConversationId: keepOpen ? open : state.activeConversationId };
    return shown;
  };
  return {
    getState: () => view(session.getState()),
    subscribe: (listener) => session.subscribe((state) => listener(view(state))),
  };
}
