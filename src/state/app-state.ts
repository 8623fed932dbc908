import type { CatalogueModel, ModelResolution } from '../domain/catalogue.js';
import type { EngineStatus, RetryNotice } from '../engines/types.js';
import type { LocalModelState } from '../engines/webllm/local-model-state.js';
import type { StorageUsage } from '../storage/health.js';
import type { SearchResult } from '../storage/types.js';
import type { Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings, SettingsChanges } from '../domain/settings.js';
import type { NewPresetOptions } from './preset-keeper.js';

export { attachNotice } from './attach-notice.js';

// Components take these types from here: they never import storage or engines.
export type { StorageUsage } from '../storage/health.js';
export type { SearchResult } from '../storage/types.js';
export type { CatalogueModel, ModelResolution } from '../domain/catalogue.js';
export type { EngineStatus } from '../engines/types.js';
export type { LocalModelOption } from '../engines/webllm/catalog.js';
export type { LocalModelPhase, LocalModelState } from '../engines/webllm/local-model-state.js';
export type { SpeedResult, SpeedTestState } from '../engines/webllm/speed-test.js';

/**
 * What an alert offers besides Dismiss:
 * - `use-model`: a button "Use <model>" that switches to that model and asks for the failed reply again;
 * - `link`: a link, e.g. to a gated model's page to accept its licence.
 */
export type AlertAction =
  | { kind: 'use-model'; model: string; /** The failed reply to regenerate. */ messageId: string }
  | { kind: 'link'; label: string; href: string };

/** A failure shown to the user as role=alert: what happened and what to do next. */
export interface AppAlert {
  id: number;
  message: string;
  action?: AlertAction;
}

/** The hosted model list as Settings shows it, for the provider chosen now. */
export interface CatalogueView {
  /** The live catalogue (the router's, or the endpoint's `/models`), in picker order; empty until one is known. */
  models: readonly CatalogueModel[];
  /** True while a look-up runs; the list shown meanwhile is the last one known. */
  loading: boolean;
  /** "Models as of 1 Dec 2026, 21:00" when the list shown is a cached one (offline, or the look-up failed). */
  asOf?: string;
  /** Why the last look-up failed, in one or two sentences; the list shown stays usable, and so does a typed id. */
  error?: string;
  /** Whether the model chosen now is served, by whom, or what to use instead. */
  resolution: ModelResolution;
}

/**
 * What an export or import came to, for the Backup panel to say (in a polite live region on success, as role=alert
 * on failure).
 */
export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/** A short confirmation for a polite live region (the app's toast), e.g. "Imported 3 conversations (120 messages)." */
export interface AppNotice {
  /** New for every notice, so the same words said twice are still announced twice. */
  id: number;
  message: string;
}

/**
 * Where a message of the visible path stands among its alternatives: the user messages that share its parent (the
 * original and its edits), or the replies to the same user message (the original and its regenerations).
 */
export interface Alternatives {
  /** 1-based position, oldest first: the "2" of "2 / 3". */
  position: number;
  /** How many there are, this one included: the "3" of "2 / 3". Always 2 or more. */
  count: number;
  /** What Previous alternative shows (pass this message's id to `showAlternative`); null at the first. */
  previousId: string | null;
  /** What Next alternative shows; null at the last. */
  nextId: string | null;
}

/** The search box's results. */
export interface SearchState {
  /**
   * The newest query asked, as typed; blank when there is no search (the list shows every conversation). `results`
   * answer it once `pending` is false.
   */
  query: string;
  /**
   * Conversations whose title or any message (all branches) holds every word of `query`, ignoring case and accents;
   * title matches first, then the most recent. Each match has a one-line snippet and the `[start, end)` ranges of
   * the snippet to highlight. A match in a message names it (`messageId`): pass it to `openConversation`.
   */
  results: SearchResult[];
  /** True while the newest query runs; `results` still holds the previous query's meanwhile, so nothing flickers. */
  pending: boolean;
}

/** The Undo offered after a deletion, shown for a few seconds. */
export type UndoOffer = ConversationUndoOffer | MessagesUndoOffer;

export interface ConversationUndoOffer {
  kind: 'delete-conversation';
  conversationId: string;
  /** The deleted conversation's title, for "Deleted “…”. Undo". */
  title: string;
  /** When the offer lapses (ms since 1970, the session's clock): `undoDelete` does nothing after it. */
  expiresAt: number;
}

/** After "Undo last exchange" (`undo-exchange`) or a message's "Delete" (`delete-messages`). */
export interface MessagesUndoOffer {
  kind: 'undo-exchange' | 'delete-messages';
  conversationId: string;
  /** How many messages went, all branches counted. */
  count: number;
  /** When the offer lapses, as for a conversation. */
  expiresAt: number;
}

/** Storage health, for the Settings panel. */
export interface StorageState {
  /**
   * What the conversations take (measured from the records), what the downloaded models take and what the browser
   * allows (null where the browser does not say). Null until `refreshStorageUsage` first finishes.
   */
  usage: StorageUsage | null;
  /**
   * Whether the browser promised to keep the site's data under storage pressure: asked once at start, re-read by
   * every `refreshStorageUsage`. Null until known, or where the browser cannot say.
   */
  persisted: boolean | null;
  /** True while `refreshStorageUsage` measures (it reads every record). */
  measuring: boolean;
}

/** Everything the UI renders. Components receive slices of it as properties; they never change it. */
export interface AppState {
  /** Newest first. */
  conversations: ConversationRecord[];
  activeConversationId: string | null;
  /**
   * The open conversation as shown: the visible branch, from its first message down to the active leaf. Other
   * branches (older edits and regenerations) stay stored; `alternatives` tells where to reach them.
   */
  messages: MessageRecord[];
  /**
   * For each message of `messages` that has alternatives, by message id: "2 / 3" and the ids Previous/Next
   * alternative lead to. A message with no alternative has no entry.
   */
  alternatives: Record<string, Alternatives>;
  /**
   * For each message of `messages`, by id: how many messages its "Delete" takes away (itself and everything below it,
   * every branch counted), for the confirmation to say.
   */
  branchSizes: Record<string, number>;
  /**
   * The files waiting in the message box to go with the next message, in the order attached (memory only: not kept
   * across reloads). `send` takes the ready ones.
   */
  pendingAttachments: readonly PendingAttachment[];
  /** The stored files of the open conversation, by id, for its messages' `attachmentIds`; {} when none is open. */
  attachments: Record<string, AttachmentSummary>;
  /** A long conversation opened on its newest messages; the earlier ones are still being read. */
  earlierMessagesLoading: boolean;
  /**
   * The unsent text of the conversation shown, as it was when the conversation opened: a new object (even with the
   * same text) is put in the message box; what is typed after goes to `updateDraft`, not here.
   */
  draft: Draft;
  /**
   * The message a search result pointed at when it opened the conversation (its branch is shown): scroll to it and
   * mark it. Null otherwise; cleared when another conversation opens.
   */
  focusedMessageId: string | null;
  settings: Settings;
  /**
   * What the Preset combobox offers: the built-ins in their order, then the user's by name. A conversation's
   * `presetId` names one of them (or a deleted one: then Settings apply); `settings.lastPresetId` is the next new
   * chat's.
   */
  presets: Preset[];
  /**
   * The reply this tab is streaming now, if any. A message whose status is `streaming` but is not this one is being
   * written by another tab of the app (it updates here as that tab saves it, about twice a second).
   */
  streamingMessageId: string | null;
  /** Shown while the hosted engine waits to retry a 5xx ("model loading — retrying in 4 s"). */
  retryNotice: RetryNotice | null;
  alerts: AppAlert[];
  /** The latest confirmation (an import's summary); null when there is none to show. */
  notice: AppNotice | null;
  search: SearchState;
  /** Undo for the last deletion while it lasts; null otherwise. */
  undo: UndoOffer | null;
  storage: StorageState;
  engineStatus: EngineStatus;
  /** The local model service's state; null until it is first prepared (Settings opened, or start in local mode). */
  local: LocalModelState | null;
  /** The hosted model list for the provider chosen now; null until it is first looked up. */
  catalogue: CatalogueView | null;
  /** False until conversations and settings are read from storage. */
  ready: boolean;
}

/** A file in the message box's tray, not yet sent. Its name is hostile: shown as text only. */
export interface PendingAttachment {
  /** Becomes the stored attachment's id when the message is sent. */
  id: string;
  /** The file's name made safe to show (`displayName`): no control or direction characters, at most 80 characters. */
  name: string;
  /** Bytes. */
  size: number;
  /** The MIME type it is read as once read; the File's own type before. */
  type: string;
  status: 'reading' | 'ready';
  /** PDF only, while reading: pages read so far and the page count. */
  progress?: { pagesRead: number; pages: number };
}

/** What the transcript shows of a stored attachment of the open conversation: no text, no bytes. */
export interface AttachmentSummary {
  id: string;
  name: string;
  type: string;
  size: number;
  /** PDF only. */
  pages?: number;
  /** Its original bytes are stored (Settings: "Keep original files"), so it can be downloaded. */
  kept: boolean;
}

/** A source of a reply as shown: the file, and the text of the passages the model saw (or the whole text). */
export interface ShownSource {
  attachmentId: string;
  name: string;
  whole: boolean;
  /** The passages' text in the file's order; one entry, the whole text, when `whole`. */
  excerpts: string[];
}

/** Unsent text in the message box, and the conversation it is for (null: a new chat). */
export interface Draft {
  conversationId: string | null;
  text: string;
}

/**
 * What the UI may ask for. Implemented by the chat session (side effects: engines, storage); components raise
 * events and the root element calls these, so a test can hand the UI a fake. Actions that start a reply do nothing
 * while one streams. Failures become alerts (export and import return theirs instead); no action rejects.
 */
export interface ChatActions {
  /**
   * Sends a message at the end of the branch shown (a new conversation if none is open) and streams a reply. The
   * ready files of `pendingAttachments` go with it (stored in the same transaction) and leave the tray; a file still
   * being read is waited for.
   */
  send(text: string): Promise<void>;
  /**
   * Reads files into the tray (`pendingAttachments`): each shows as 'reading', then 'ready'. A file that cannot be
   * attached (too large, empty, binary, a broken PDF…) becomes an alert saying why and is not added.
   */
  attach(files: readonly File[]): Promise<void>;
  /** Takes a file out of the tray before sending; a read still running is cancelled. */
  removeAttachment(id: string): void;
  /**
   * What of which file a reply's model saw, with the passages' text, read from storage when asked ("Sources"
   * expanded); [] for a reply without sources. A failed read becomes an alert and resolves to [].
   */
  sourcesOf(messageId: string): Promise<ShownSource[]>;
  /** A sent file's original bytes, when they were kept; undefined (and an alert when unreadable) otherwise. */
  originalOf(attachmentId: string): Promise<Blob | undefined>;
  stop(): void;
  /** What the message box holds now: kept as the open conversation's draft, across reloads and closed tabs. */
  updateDraft(text: string): void;
  /**
   * Regenerate for the last message shown: a new reply to the last user message, next to the old one, which stays
   * as an alternative ("2 / 2"). When the last message is the user's (its reply was never saved), answers it.
   */
  retry(): Promise<void>;
  /** Regenerate one reply of the branch shown: a new alternative to it, which becomes the branch shown. */
  regenerate(messageId: string): Promise<void>;
  /**
   * Edit a user message: the new text becomes a new user message next to the edited one (same parent), the branch
   * shown moves to it, and a reply is streamed. The original and everything after it stay as an alternative.
   * Nothing happens for empty or unchanged text.
   */
  editMessage(messageId: string, text: string): Promise<void>;
  /** Previous/Next alternative of a message shown: shows the branch under that alternative (its newest path). */
  showAlternative(messageId: string, direction: 'previous' | 'next'): Promise<void>;
  /**
   * Continue a reply that was stopped or interrupted: more text is streamed onto the end of that same message. The
   * engine sees the conversation up to and including the partial reply, then a short user turn asking it to carry on
   * exactly where it stopped (neither engine can resume a reply itself; Mistral's template needs a user turn last).
   */
  continueReply(messageId: string): Promise<void>;
  /** Clear the open conversation's messages. */
  clear(): Promise<void>;
  newConversation(): Promise<void>;
  /**
   * Opens a conversation. With `messageId` (a search match), shows the branch that holds that message and sets
   * `focusedMessageId` to it.
   */
  openConversation(id: string, messageId?: string): Promise<void>;
  renameConversation(id: string, title: string): Promise<void>;
  /**
   * "Undo last exchange": takes back the last question of the branch shown and every reply to it (all alternatives),
   * puts the question in the message box (before any text already there), and offers `undo` for a few seconds. Does
   * nothing while a reply streams.
   */
  undoLastExchange(): Promise<void>;
  /**
   * A message's "Delete", once confirmed: deletes it and the whole branch below it (every branch), and offers `undo`
   * for a few seconds. Does nothing while a reply streams.
   */
  deleteMessage(messageId: string): Promise<void>;
  /** Deletes the conversation with all its messages and offers `undo` for a few seconds. */
  deleteConversation(id: string): Promise<void>;
  /** Puts back what the last deletion took (a conversation, or messages), as it was, while `undo` is offered. */
  undoDelete(): Promise<void>;
  /** Withdraws the Undo offer early (the toast was closed); the deletion stays. */
  dismissUndo(): void;
  /**
   * Searches titles and every message. Call it as the user types (debounced); '' clears the search. Results of a
   * query overtaken by a newer one are dropped.
   */
  search(query: string): Promise<void>;
  /**
   * Saves every conversation as one versioned JSON backup file. No settings, so never the token. Returns what it
   * came to; a failure raises no alert (the Backup panel says it).
   */
  exportAll(): Promise<ActionOutcome>;
  /** Saves one conversation, the branch shown, as a Markdown file; returns what it came to, as `exportAll`. */
  exportConversation(id: string): Promise<ActionOutcome>;
  /**
   * Imports a backup file. All of it is checked before anything is written; a broken or foreign file changes
   * nothing and is the outcome's failure. On success `notice` says what was added too, and the list shows it.
   */
  importBackup(file: Blob): Promise<ActionOutcome>;
  /** Measures storage for the Settings panel (`storage`). */
  refreshStorageUsage(): Promise<void>;
  /** Saves the settings named that differ from those shown; another tab's change to other settings stays. */
  updateSettings(patch: SettingsChanges): Promise<void>;
  /**
   * Makes `presetId` ('' for none: Settings apply) the open conversation's preset from its next reply on, and the
   * one new chats start with; with no conversation open, only the next new chat's.
   */
  choosePreset(presetId: string): Promise<void>;
  /**
   * Saves the system prompt and sampling in Settings (and, if asked, the hosted model) as a new preset of the user's
   * and chooses it. Resolves to whether it was saved: a refused name becomes an alert.
   */
  createPreset(name: string, options: NewPresetOptions): Promise<boolean>;
  /** Renames one of the user's presets; resolves to whether it was saved (a refused name becomes an alert). */
  renamePreset(id: string, name: string): Promise<boolean>;
  /** Deletes one of the user's presets; a built-in cannot be deleted (an alert says so). */
  deletePreset(id: string): Promise<void>;
  /** Shows a message in the alert list (role=alert): something failed and the user should know what to do. */
  showAlert(message: string): void;
  dismissAlert(id: number): void;
  /**
   * Does what the alert offers: for "Use <model>", switches to that model and regenerates the failed reply. Links
   * need nothing from here.
   */
  runAlertAction(id: number): Promise<void>;
  /** Clears `notice` if it is still this one. */
  dismissNotice(id: number): void;
}

export interface StateSource {
  getState(): AppState;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: AppState) => void): () => void;
}
