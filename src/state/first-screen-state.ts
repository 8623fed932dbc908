/**
 * What the app draws in its first frame, before IndexedDB opens and before the chat session's code has loaded: the
 * conversation list and the open conversation's title from the first-screen snapshot, the engine line as the session
 * starts with it, and nothing else. It is a state like the session's before `start()` (`ready: false`, so the
 * transcript says it is loading), and the session's own state replaces it once storage has answered.
 */
import { DEFAULT_SETTINGS } from '../domain/settings.js';
import type { ConversationRecord } from '../domain/records.js';
import type { EngineStatus } from '../engines/types.js';
import type { FirstScreenSnapshot } from '../storage/first-screen-snapshot.js';
import type { AppState, StateSource } from './app-state.js';

function recordOf(entry: FirstScreenSnapshot['conversations'][number]): ConversationRecord {
  // The snapshot keeps no creation time: nothing on the first screen shows it, and the stored records replace these.
  return { id: entry.id, title: entry.title, createdAt: entry.updatedAt, updatedAt: entry.updatedAt };
}

export function firstScreenState(snapshot: FirstScreenSnapshot | null, engineStatus: EngineStatus): AppState {
  return {
    conversations: snapshot?.conversations.map(recordOf) ?? [],
    activeConversationId: snapshot?.openConversationId ?? null,
    messages: [],
    alternatives: {},
    branchSizes: {},
    earlierMessagesLoading: false,
    draft: { conversationId: null, text: '' },
    focusedMessageId: null,
    settings: DEFAULT_SETTINGS,
    presets: [],
    streamingMessageId: null,
    retryNotice: null,
    alerts: [],
    notice: null,
    search: { query: '', results: [], pending: false },
    undo: null,
    storage: { usage: null, persisted: null, measuring: false },
    engineStatus,
    local: null,
    catalogue: null,
    ready: false,
  };
}

/** A source that only ever has the first screen's state: the app renders it until it is handed the session. */
export function firstScreenSource(state: AppState): StateSource {
  return { getState: () => state, subscribe: () => () => undefined };
}
