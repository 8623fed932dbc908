import type { ProviderId } from '../engines/hf/providers.js';
import type { EngineKind, SamplingParams, Usage } from '../engines/types.js';

export type MessageRole = 'user' | 'assistant';

/**
 * - `streaming`: being written now (or the tab closed while it was, see `interrupted`);
 * - `complete`: the engine finished;
 * - `stopped`: the user pressed Stop; the partial text is kept;
 * - `error`: the engine failed; any partial text is kept, `error` says why;
 * - `interrupted`: the page went away mid-stream; the text last saved is kept.
 */
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'error' | 'interrupted';

export interface MessageRecord {
  id: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  createdAt: number;
  updatedAt: number;
  status: MessageStatus;
  /** Which engine and model produced an assistant reply. */
  engine?: EngineKind;
  model?: string;
  /** A hosted reply's provider preset, and the Endpoint URL it was sent to (absent: the Hugging Face router). */
  provider?: ProviderId;
  endpointUrl?: string;
  error?: string;
  usage?: Usage;
  /** The oldest turns the engine left out to fit its context window when it wrote this reply. */
  omittedTurns?: number;
  /**
   * The message this one follows: a user message's parent is the reply before it (null for the first message), a
   * reply's parent is the user message it answers. Messages with the same parent are alternatives (an edit, a
   * regenerate). Stored messages always have it; when a new message is written without it, storage makes it follow
   * the conversation's active leaf.
   */
  parentId?: string | null;
}

export interface ConversationRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /**
   * The last message of the branch shown. Storage moves it to every new message written and keeps it when a stale
   * copy of the conversation is written back; `setActiveLeaf` moves it to another branch.
   */
  activeLeafId?: string;
}

export interface Settings {
  engine: EngineKind;
  /** Kept only in this browser's IndexedDB; never logged, never exported. */
  hfToken: string;
  /** The model asked of the Hugging Face router, and of an endpoint with no model chosen for it. */
  hfModel: string;
  /** The preset chosen in "Provider"; `endpointUrl` says where requests go. */
  provider: ProviderId;
  /** Empty: the Hugging Face router. Otherwise any OpenAI-compatible base URL. */
  endpointUrl: string;
  /**
   * Keys typed in "API key", by the endpoint origin they were typed for (scheme, host, port). A key is sent only to
   * its origin, so editing the URL never takes it along; the Hugging Face token goes only to Hugging Face hosts.
   * Never logged, never exported.
   */
  endpointKeys: Record<string, string>;
  /** The model chosen for each endpoint, by origin, so switching back to an endpoint brings its model back. */
  endpointModels: Record<string, string>;
  localModel: string;
  systemPrompt: string;
  sampling: SamplingParams;
}

/**
 * Some settings, some fields of `sampling`, and some origins of `endpointKeys` / `endpointModels` (an empty string
 * removes that origin's entry): what one change in Settings (or one toggle) sets.
 */
export type SettingsChanges = Partial<Omit<Settings, 'sampling'>> & { sampling?: Partial<SamplingParams> };

export const DEFAULT_HF_MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
export const DEFAULT_LOCAL_MODEL = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC';

export const DEFAULT_SAMPLING: SamplingParams = {
  temperature: 0.7,
  topP: 0.95,
  maxNewTokens: 512,
  repetitionPenalty: 1.0,
  seed: null,
};

/** Private by default: the app starts on this device's GPU, and moves to the hosted API only where it cannot run. */
export const DEFAULT_SETTINGS: Settings = {
  engine: 'local',
  hfToken: '',
  hfModel: DEFAULT_HF_MODEL,
  provider: 'huggingface',
  endpointUrl: '',
  endpointKeys: {},
  endpointModels: {},
  localModel: DEFAULT_LOCAL_MODEL,
  systemPrompt: '',
  sampling: DEFAULT_SAMPLING,
};
