import type { EngineKind, RetryNotice } from '../engines/types.js';
import type { ConversationRecord, MessageRecord, Settings } from './types.js';

/** A failure shown to the user as role=alert: what happened and what to do next. */
export interface AppAlert {
  id: number;
  message: string;
}

/** What the engine status line (role=status) says. */
export interface EngineStatus {
  engine: EngineKind;
  /** e.g. "Hugging Face API · mistralai/Mistral-7B-Instruct-v0.3" */
  label: string;
  /** The model id replies will be recorded with. */
  model: string;
  /** Whether the selected engine can be used on this device right now. */
  available: boolean;
  /** Why not, or what it is doing (e.g. the download phase). */
  detail?: string;
}

/** Everything the UI renders. Components receive slices of it as properties; they never change it. */
export interface AppState {
  /** Newest first. */
  conversations: ConversationRecord[];
  activeConversationId: string | null;
  /** Messages of the active conversation, oldest first. */
  messages: MessageRecord[];
  settings: Settings;
  /** The assistant message being streamed now, if any. */
  streamingMessageId: string | null;
  /** Shown while the hosted engine waits to retry a 5xx ("model loading — retrying in 4 s"). */
  retryNotice: RetryNotice | null;
  alerts: AppAlert[];
  engineStatus: EngineStatus;
  /** False until conversations and settings are read from storage. */
  ready: boolean;
}

/**
 * What the UI may ask for. Implemented by the chat controller (side effects: engines, storage); components raise
 * events and the root element calls these, so a test can hand the UI a fake.
 */
export interface ChatActions {
  send(text: string): Promise<void>;
  stop(): void;
  /** Regenerate the last assistant reply (Gradio's "Retry"). */
  retry(): Promise<void>;
  /** Clear the open conversation's messages. */
  clear(): Promise<void>;
  newConversation(): Promise<void>;
  openConversation(id: string): Promise<void>;
  renameConversation(id: string, title: string): Promise<void>;
  deleteConversation(id: string): Promise<void>;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  dismissAlert(id: number): void;
}

export interface StateSource {
  getState(): AppState;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: AppState) => void): () => void;
}
