/** The root element over a state source and actions the test controls. */
import { vi } from 'vitest';
import '../../../src/app/mc-chat-app.js';
import type { AppState, ChatActions, StateSource } from '../../../src/state/app-state.js';
import { mount } from './fixtures.js';

export class FakeSource implements StateSource {
  readonly listeners = new Set<(state: AppState) => void>();
  constructor(public state: AppState) {}
  getState(): AppState {
    return this.state;
  }
  subscribe(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

export function fakeActions() {
  return {
    send: vi.fn<ChatActions['send']>().mockResolvedValue(),
    stop: vi.fn<ChatActions['stop']>(),
    retry: vi.fn<ChatActions['retry']>().mockResolvedValue(),
    regenerate: vi.fn<ChatActions['regenerate']>().mockResolvedValue(),
    editMessage: vi.fn<ChatActions['editMessage']>().mockResolvedValue(),
    showAlternative: vi.fn<ChatActions['showAlternative']>().mockResolvedValue(),
    continueReply: vi.fn<ChatActions['continueReply']>().mockResolvedValue(),
    clear: vi.fn<ChatActions['clear']>().mockResolvedValue(),
    newConversation: vi.fn<ChatActions['newConversation']>().mockResolvedValue(),
    openConversation: vi.fn<ChatActions['openConversation']>().mockResolvedValue(),
    renameConversation: vi.fn<ChatActions['renameConversation']>().mockResolvedValue(),
    deleteConversation: vi.fn<ChatActions['deleteConversation']>().mockResolvedValue(),
    undoDelete: vi.fn<ChatActions['undoDelete']>().mockResolvedValue(),
    dismissUndo: vi.fn<ChatActions['dismissUndo']>(),
    search: vi.fn<ChatActions['search']>().mockResolvedValue(),
    exportAll: vi.fn<ChatActions['exportAll']>().mockResolvedValue(),
    exportConversation: vi.fn<ChatActions['exportConversation']>().mockResolvedValue(),
    importBackup: vi.fn<ChatActions['importBackup']>().mockResolvedValue(),
    refreshStorageUsage: vi.fn<ChatActions['refreshStorageUsage']>().mockResolvedValue(),
    updateSettings: vi.fn<ChatActions['updateSettings']>().mockResolvedValue(),
    showAlert: vi.fn<ChatActions['showAlert']>(),
    dismissAlert: vi.fn<ChatActions['dismissAlert']>(),
    runAlertAction: vi.fn<ChatActions['runAlertAction']>(),
    dismissNotice: vi.fn<ChatActions['dismissNotice']>(),
    updateDraft: vi.fn<ChatActions['updateDraft']>(),
  } satisfies ChatActions;
}

export async function mountApp(state: AppState) {
  const source = new FakeSource(state);
  const actions = fakeActions();
  const element = document.createElement('mc-chat-app');
  element.source = source;
  element.actions = actions;
  await mount(element);
  return { element, source, actions };
}
