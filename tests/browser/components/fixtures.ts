/**
 * Shared set-up for the component tests: mounting, and plain data shaped like the app's real state.
 */
import { afterEach } from 'vitest';
import '../../../src/styles/tokens.css';
import type { AppState, LocalModelOption, LocalModelState } from '../../../src/state/app-state.js';
import { initialAppState } from '../../../src/state/initial-state.js';
import { BUILT_IN_PRESETS } from '../../../src/domain/presets.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import type { ConversationRecord, MessageRecord } from '../../../src/domain/records.js';

afterEach(() => {
  document.body.replaceChildren();
});

/** Puts the element in the page and waits for its first render. */
export async function mount<T extends HTMLElement & { updateComplete?: Promise<unknown> }>(element: T): Promise<T> {
  document.body.append(element);
  await element.updateComplete;
  return element;
}

export function conversation(id: string, title: string, updatedAt = 0): ConversationRecord {
  return { id, title, createdAt: updatedAt, updatedAt };
}

export function userMessage(id: string, content: string, conversationId = 'c1'): MessageRecord {
  return { id, conversationId, role: 'user', content, createdAt: 0, updatedAt: 0, status: 'complete' };
}

export function assistantMessage(id: string, content: string, extra: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id,
    conversationId: 'c1',
    role: 'assistant',
    content,
    createdAt: 0,
    updatedAt: 0,
    status: 'complete',
    engine: 'hosted',
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    ...extra,
  };
}

/** The defaults, on the hosted engine (the app's own default is this device). */
export const HOSTED_SETTINGS: Settings = { ...DEFAULT_SETTINGS, engine: 'hosted' };

export function appState(overrides: Partial<AppState> = {}): AppState {
  const engineStatus = {
    engine: 'hosted',
    label: 'Hugging Face API · mistralai/Mistral-7B-Instruct-v0.3',
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    available: true,
  } as const;
  // The session's own starting state, as after start(): on the hosted engine, with the built-in presets, ready.
  return {
    ...initialAppState({ conversationId: null, text: '' }, engineStatus),
    settings: HOSTED_SETTINGS,
    presets: structuredClone([...BUILT_IN_PRESETS]),
    ready: true,
    ...overrides,
  };
}

/** The focused element, looking inside open shadow roots (document.activeElement stops at the host). */
export function focusedElement(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

export const MISTRAL_OPTION: LocalModelOption = {
  id: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
  label: 'Mistral 7B Instruct v0.3 · q4f16_1',
  quantization: 'q4f16_1',
  parameterCount: 7_000_000_000,
  downloadBytes: 4_300_000_000,
  vramRequiredMB: 4500,
  contextWindow: 4096,
  lowResource: false,
  recommended: true,
  sizeSummary: 'about 4.3 GB download, 4.5 GB of GPU memory',
};

/** The local model service's state as `state.local` carries it, before the probe unless patched. */
export function localState(patch: Partial<LocalModelState> = {}): LocalModelState {
  return {
    gpu: null,
    gpuSummary: null,
    catalogue: 'idle',
    options: [],
    selectedId: '',
    cached: [],
    partial: [],
    phase: { kind: 'idle' },
    storagePersisted: null,
    notice: null,
    status: '',
    ...patch,
  };
}
