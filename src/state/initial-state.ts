/**
 * The state before anything is read from storage: what the session starts from, and what the first screen fills
 * from its snapshot. One definition, so a new field of `AppState` cannot be forgotten in either.
 */
import { DEFAULT_SETTINGS } from '../domain/settings.js';
import type { EngineStatus } from '../engines/types.js';
import type { AppState, Draft, SearchState } from './app-state.js';

export const EMPTY_SEARCH: SearchState = { query: '', results: [], pending: false };

export function initialAppState(draft: Draft, engineStatus: EngineStatus): AppState {
  return {
    conversations: [],
    activeConversationId: null,
    messages: [],
    pendingAttachments: [],
    attachments: {},
    alternatives: {},
    branchSizes: {},
    earlierMessagesLoading: false,
    draft,
    focusedMessageId: null,
    settings: DEFAULT_SETTINGS,
    presets: [],
    streamingMessageId: null,
    retryNotice: null,
    alerts: [],
    notice: null,
    search: EMPTY_SEARCH,
    undo: null,
    storage: { usage: null, persisted: null, measuring: false },
    engineStatus,
    local: null,
    catalogue: null,
    ready: false,
  };
}
