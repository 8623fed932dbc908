import type { ReplySource } from './attachments.js';
import type { EngineKind, Usage } from './generation.js';
import type { ProviderId } from './providers.js';

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
  /** A user message: the files sent with it (`AttachmentRecord` ids), in the order attached. */
  attachmentIds?: string[];
  /** An assistant reply: what of which file the model saw. */
  sources?: ReplySource[];
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
  /**
   * The preset the conversation's replies use: a built-in id or a user preset's. Absent, or naming a preset that was
   * deleted since: the system prompt and sampling in Settings apply.
   */
  presetId?: string;
}
