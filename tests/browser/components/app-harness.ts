/** The root element over a state source and actions the test controls. */
import axe from 'axe-core';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../../src/app/mc-chat-app.js';
import type { McChatApp } from '../../../src/app/mc-chat-app.js';
import type { AppState, ChatActions, StateSource } from '../../../src/state/app-state.js';
import { appState, assistantMessage, conversation, mount, userMessage } from './fixtures.js';

// Vitest's default frame is phone-sized; most tests of the app look at the wide layout.
beforeEach(async () => {
  await page.viewport(1280, 800);
});

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

export const WITH_CONVERSATION = appState({
  conversations: [conversation('c2', 'Trip to Lisbon', 2), conversation('c1', 'WebGPU questions', 1)],
  activeConversationId: 'c2',
  messages: [
    userMessage('u1', 'Three days in Lisbon: what should I see?', 'c2'),
    assistantMessage('a1', 'Start in Alfama, then Belém.', {
      conversationId: 'c2',
      usage: { promptTokens: 20, completionTokens: 9 },
    }),
  ],
});

export const EMPTY = appState();

export async function expectNoAxeViolations(element: McChatApp): Promise<void> {
  const results = await axe.run(element);
  const found = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

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
    undoLastExchange: vi.fn<ChatActions['undoLastExchange']>().mockResolvedValue(),
    deleteMessage: vi.fn<ChatActions['deleteMessage']>().mockResolvedValue(),
    deleteConversation: vi.fn<ChatActions['deleteConversation']>().mockResolvedValue(),
    undoDelete: vi.fn<ChatActions['undoDelete']>().mockResolvedValue(),
    dismissUndo: vi.fn<ChatActions['dismissUndo']>(),
    search: vi.fn<ChatActions['search']>().mockResolvedValue(),
    exportAll: vi.fn<ChatActions['exportAll']>().mockResolvedValue({ ok: true, message: 'Exported.' }),
    exportConversation: vi.fn<ChatActions['exportConversation']>().mockResolvedValue({ ok: true, message: 'Saved.' }),
    importBackup: vi.fn<ChatActions['importBackup']>().mockResolvedValue({ ok: true, message: 'Imported.' }),
    refreshStorageUsage: vi.fn<ChatActions['refreshStorageUsage']>().mockResolvedValue(),
    updateSettings: vi.fn<ChatActions['updateSettings']>().mockResolvedValue(),
    choosePreset: vi.fn<ChatActions['choosePreset']>().mockResolvedValue(),
    createPreset: vi.fn<ChatActions['createPreset']>().mockResolvedValue(true),
    renamePreset: vi.fn<ChatActions['renamePreset']>().mockResolvedValue(true),
    deletePreset: vi.fn<ChatActions['deletePreset']>().mockResolvedValue(),
    showAlert: vi.fn<ChatActions['showAlert']>(),
    dismissAlert: vi.fn<ChatActions['dismissAlert']>(),
    runAlertAction: vi.fn<ChatActions['runAlertAction']>(),
    dismissNotice: vi.fn<ChatActions['dismissNotice']>(),
    updateDraft: vi.fn<ChatActions['updateDraft']>(),
    attach: vi.fn<ChatActions['attach']>().mockResolvedValue(),
    removeAttachment: vi.fn<ChatActions['removeAttachment']>(),
    sourcesOf: vi.fn<ChatActions['sourcesOf']>().mockResolvedValue([]),
    originalOf: vi.fn<ChatActions['originalOf']>().mockResolvedValue(undefined),
  } satisfies ChatActions;
}

export async function mountApp(state: AppState = WITH_CONVERSATION) {
  const source = new FakeSource(state);
  const actions = fakeActions();
  const element = document.createElement('mc-chat-app');
  element.source = source;
  element.actions = actions;
  await mount(element);
  return { element, source, actions };
}
