/**
 * The chat controller: the one place where the UI's requests meet engines and storage. It owns the store, streams
 * replies into it, and persists every word the user typed or saw. Components never call engines or storage; they
 * raise events, and the root element calls these actions.
 *
 * Tabs in step: other tabs' writes arrive as change notices (`ChatRepository.subscribe`); the controller re-reads
 * what they name and folds it in (`mergeMessages`), keeping its own newer copies. Its own writes and those re-reads
 * run one at a time (`#exclusive`), so a re-read never starts before one of this tab's writes has landed and then
 * lands after it, taking the write back off the screen. The streaming writer's periodic saves stay outside that
 * queue: the reply being streamed always keeps its in-memory copy.
 */
import { EngineError, isAbortError, type ChatTurn, type EngineResolver, type EngineStatus } from '../engines/types.js';
import type { Usage } from '../domain/generation.js';
import { leafAfterChoosing, visiblePath } from '../domain/branches.js';
import { estimateUsage, requestPersistentStorage, type StorageUsage } from '../storage/health.js';
import { modelChange } from '../domain/providers.js';
import {
  applySettingsChanges,
  settingsChanges,
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsChanges,
} from '../domain/settings.js';
import type { StreamingWriter, TimerHandle } from '../storage/streaming-writer.js';
import { localDraftStore, type DraftStore } from '../storage/drafts.js';
import { localUnsavedReplyStore, type UnsavedReplyStore } from '../storage/unsaved-reply.js';
import type { ChatRepository, DeletedConversation, StorageChange } from '../storage/types.js';
import type { AppAlert, AppState, ChatActions, Draft, SearchState, StateSource } from './app-state.js';
import { ChangeBatch } from './change-batch.js';
import { whenIdle } from './idle.js';
import {
  mergeConversation,
  mergeMessages,
  pathTo,
  replaceMessage,
  viewOf,
  type OpenConversation,
} from './open-conversation.js';
import {
  addAlert,
  dismissAlert,
  historyForEngine,
  markInterrupted,
  removeConversation,
  STALE_STREAM_MS,
  titleFromText,
  upsertConversation,
  upsertMessage,
} from './reducers.js';
import { answeredBy, restoreChanges } from './conversation-engine.js';
import type { AlternativeModel } from './model-recovery.js';
import { downloadFile } from './save-file.js';
import { Store } from './store.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';

/** How long Undo is offered after a deletion. */
export const UNDO_MS = 6_000;

/**
 * The user turn that asks for the rest of a cut-off reply. Neither engine can resume a reply by itself (the hosted
 * API has no assistant prefill, and Mistral's template must end on a user turn), so the model sees its partial reply
 * and this request; what it writes is appended to the same message.
 */
export const CONTINUE_PROMPT = 'Continue exactly where you stopped, without repeating anything.';

export interface ChatControllerDeps {
  repository: ChatRepository;
  engines: EngineResolver;
  createStreamingWriter: (save: (message: MessageRecord) => Promise<void>) => StreamingWriter;
  /** Hands an exported file to the user. Default: a download through a temporary `<a download>`. */
  saveFile?: (name: string, blob: Blob) => void;
  /** Asks the browser to keep the site's data; resolves to whether it will. Default: `navigator.storage.persist`. */
  requestPersistentStorage?: () => Promise<boolean>;
  /** Measures storage for `refreshStorageUsage`. Default: `estimateUsage(repository)`. */
  estimateUsage?: () => Promise<StorageUsage>;
  /** Runs `callback` once the page is idle after start (to build the search index). Default: requestIdleCallback. */
  whenIdle?: (callback: () => void) => void;
  /**
   * Resolves once what was just rendered can be on screen: a long conversation shows its newest messages, and only
   * then reads the rest. Default: the next animation frame (or 50 ms, in a hidden tab), then a task.
   */
  afterPaint?: () => Promise<void>;
  /** For the Undo offer and for noticing that another tab's reply went silent. Default: setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  /** Where `flushPending` leaves a synchronous copy of the streaming reply. Default: localStorage. */
  unsavedReplies?: UnsavedReplyStore;
  /** Where unsent text is kept, per conversation. Default: localStorage. */
  drafts?: DraftStore;
  /** A served model to offer when a reply fails because its model is not served. Default: none offered. */
  alternativeModel?: AlternativeModel;
  now?: () => number;
  newId?: () => string;
}

interface ActiveStream {
  conversationId: string;
  messageId: string;
  abort: AbortController;
  writer: StreamingWriter;
  /** Settles when the reply is finished and its last state written. */
  finished: Promise<void>;
}

/** What a reply is written into, and what the engine sees. */
interface ReplyRequest {
  /** A new reply (already named with its parent), or the stopped reply to continue. */
  reply: MessageRecord;
  mode: 'new' | 'continue';
  /** The conversation before the reply, root first; for `continue`, up to and including the partial reply. */
  history: readonly MessageRecord[];
}

/** A deletion that can still be undone. */
interface PendingUndo {
  deleted: DeletedConversation;
  wasOpen: boolean;
  /** Its unsent text, which the deletion removed too. */
  draft: string;
  expiresAt: number;
  timer: TimerHandle;
}

const EMPTY_SEARCH: SearchState = { query: '', results: [], pending: false };

/**
 * A conversation with more messages than this opens on its newest ones first (enough to fill a tall screen of short
 * messages); the rest are read once those are on screen. Each message in that first frame costs its markdown and
 * its DOM, so the first frame holds no more than a screen needs (30 took 64-114 ms to open 5,000 messages).
 */
const NEWEST_FIRST = 16;

export const BACKUP_CODE_UNAVAILABLE =
  'Export and import could not be loaded, so nothing was exported or imported. Check your connection, then reload the page.';

/** Unsent text is written at most this often while typing (and at once when the page is hidden or closed). */
const DRAFT_SAVE_MS = 500;

function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    // A hidden tab has no frames: the timer keeps the rest of the read from waiting until it is shown.
    const fallback = setTimeout(resolve, 50);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      setTimeout(resolve, 0);
    });
  });
}

export class ChatController implements ChatActions, StateSource {
  readonly #store: Store;
  readonly #repository: ChatRepository;
  readonly #engines: EngineResolver;
  readonly #createWriter: ChatControllerDeps['createStreamingWriter'];
  readonly #saveFile: (name: string, blob: Blob) => void;
  readonly #requestPersistentStorage: () => Promise<boolean>;
  readonly #estimateUsage: () => Promise<StorageUsage>;
  readonly #whenIdle: (callback: () => void) => void;
  readonly #afterPaint: () => Promise<void>;
  readonly #setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  readonly #clearTimer: (handle: TimerHandle) => void;
  readonly #unsavedReplies: UnsavedReplyStore;
  readonly #drafts: DraftStore;
  readonly #alternativeModel: AlternativeModel | undefined;
  /** The conversation whose draft `#draftText` is (null: a new chat), and whether it changed since it was saved. */
  #draftFor: string | null = null;
  #draftText: string;
  #draftChanged = false;
  #draftTimer: TimerHandle | null = null;
  readonly #now: () => number;
  readonly #newId: () => string;
  /** Every message of the open conversation, all branches, and the branch shown; the store holds its view. */
  #open: OpenConversation | null = null;
  #stream: ActiveStream | null = null;
  /** Set from the moment an action that will stream a reply starts, so a double click starts one reply only. */
  #replying = false;
  /** Messages on screen whose write has not landed (queued, or failed): a re-read must not take them away. */
  readonly #unsaved = new Set<string>();
  /** This tab's writes queued or running: while there are any, the branch shown stays this tab's choice. */
  #pendingWrites = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #incoming: ChangeBatch | null = null;
  #syncing = false;
  #searchSeq = 0;
  /** Counts this tab's settings changes, so a re-read that started before one does not undo it on screen. */
  #settingsVersion = 0;
  #undo: PendingUndo | null = null;
  #staleTimer: TimerHandle | null = null;
  #listening = false;
  #nextAlertId = 1;
  #nextNoticeId = 1;

  constructor(deps: ChatControllerDeps) {
    this.#repository = deps.repository;
    this.#engines = deps.engines;
    this.#createWriter = deps.createStreamingWriter;
    this.#saveFile = deps.saveFile ?? downloadFile;
    this.#requestPersistentStorage = deps.requestPersistentStorage ?? (() => requestPersistentStorage());
    this.#estimateUsage = deps.estimateUsage ?? (() => estimateUsage(deps.repository));
    this.#whenIdle = deps.whenIdle ?? whenIdle;
    this.#afterPaint = deps.afterPaint ?? nextPaint;
    this.#setTimer = deps.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
    this.#clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#unsavedReplies = deps.unsavedReplies ?? localUnsavedReplyStore();
    this.#drafts = deps.drafts ?? localDraftStore();
    this.#alternativeModel = deps.alternativeModel;
    this.#draftText = this.#drafts.load(null);
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
    this.#store = new Store({
      conversations: [],
      activeConversationId: null,
      messages: [],
      alternatives: {},
      earlierMessagesLoading: false,
      draft: { conversationId: null, text: this.#draftText },
      focusedMessageId: null,
      settings: DEFAULT_SETTINGS,
      streamingMessageId: null,
      retryNotice: null,
      alerts: [],
      notice: null,
      search: EMPTY_SEARCH,
      undo: null,
      storage: { usage: null, persisted: null, measuring: false },
      engineStatus: deps.engines.describe(DEFAULT_SETTINGS),
      ready: false,
    });
  }

  getState(): AppState {
    return this.#store.getState();
  }

  subscribe(listener: (state: AppState) => void): () => void {
    return this.#store.subscribe(listener);
  }

  /**
   * Listens to other tabs, reads settings and conversations, and reopens the most recent conversation. Then, without
   * waiting: asks for persistent storage, and builds the search index once the page is idle.
   */
  async start(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      this.#repository.subscribe((change) => this.#heard(change));
    }
    await this.#guard(async () => {
      await this.#restoreUnsavedReply();
      const [settings, conversations] = await Promise.all([
        this.#repository.loadSettings(),
        this.#repository.listConversations(),
      ]);
      this.#store.update((state) => ({
        ...state,
        settings,
        conversations,
        engineStatus: this.#engines.describe(settings),
      }));
      const latest = conversations[0];
      if (latest) await this.openConversation(latest.id);
    });
    this.#store.update((state) => ({ ...state, ready: true }));
    void this.#requestPersistentStorage().then(
      (persisted) => this.#updateStorage({ persisted }),
      () => undefined,
    );
    // Only makes the first search fast; a failure here shows when the search itself runs.
    this.#whenIdle(() => void this.#repository.prepareSearch().catch(() => undefined));
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    if (content === '') return;
    this.#discardDraft();
    await this.#reply(async () => {
      const conversation = await this.#ensureConversation(content);
      const parentId = this.getState().messages.at(-1)?.id ?? null;
      const userMessage = { ...this.#newMessage(conversation.id, 'user', content, 'complete'), parentId };
      await this.#saveNew(userMessage);
      return this.#answer(userMessage);
    });
  }

  stop(): void {
    this.#stream?.abort.abort();
  }

  async retry(): Promise<void> {
    const last = this.getState().messages.at(-1);
    if (!last) return;
    if (last.role === 'assistant') {
      await this.regenerate(last.id);
      return;
    }
    await this.#reply(async () => this.#answer(last));
  }

  async regenerate(messageId: string): Promise<void> {
    await this.#reply(async () => {
      const open = this.#open;
      const old = open?.messages.find((message) => message.id === messageId);
      if (!open || old?.role !== 'assistant') return null;
      return {
        mode: 'new',
        reply: this.#newReply(open.id, old.parentId ?? null),
        history: pathTo(open, messageId).slice(0, -1),
      };
    });
  }

  async editMessage(messageId: string, text: string): Promise<void> {
    const content = text.trim();
    await this.#reply(async () => {
      const open = this.#open;
      const edited = open?.messages.find((message) => message.id === messageId);
      if (!open || edited?.role !== 'user' || content === '' || content === edited.content) return null;
      const userMessage = {
        ...this.#newMessage(open.id, 'user', content, 'complete'),
        parentId: edited.parentId ?? null,
      };
      await this.#saveNew(userMessage);
      return this.#answer(userMessage);
    });
  }

  async showAlternative(messageId: string, direction: 'previous' | 'next'): Promise<void> {
    const open = this.#open;
    const alternatives = this.getState().alternatives[messageId];
    const target = direction === 'previous' ? alternatives?.previousId : alternatives?.nextId;
    if (!open || !target) return;
    const leafId = leafAfterChoosing(open.messages, target);
    if (leafId === null) return;
    this.#setOpen({ ...open, leafId });
    await this.#guard(() => this.#write(() => this.#repository.setActiveLeaf(open.id, leafId)));
  }

  async continueReply(messageId: string): Promise<void> {
    await this.#reply(async () => {
      const open = this.#open;
      const partial = open?.messages.find((message) => message.id === messageId);
      if (!open || partial?.role !== 'assistant') return null;
      if (partial.status !== 'stopped' && partial.status !== 'interrupted') return null;
      const path = pathTo(open, messageId);
      const reply: MessageRecord = { ...partial, status: 'streaming', updatedAt: this.#now() };
      // With no text to carry on from, the engine answers the question afresh, into the same message.
      return partial.content === ''
        ? { mode: 'continue', reply, history: path.slice(0, -1) }
        : { mode: 'continue', reply, history: path };
    });
  }

  async clear(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    await this.#stopAndWait();
    await this.#guard(async () => {
      await this.#write(() => this.#repository.deleteMessages(open.id));
      if (this.#open?.id === open.id) this.#setOpen({ id: open.id, messages: [], leafId: undefined });
    });
  }

  async newConversation(): Promise<void> {
    this.stop();
    this.#setOpen(null, { focusedMessageId: null });
  }

  async openConversation(id: string, messageId?: string): Promise<void> {
    // Opened by the user (not reopened at start): the next reply goes where this conversation's last one went.
    const restore = this.getState().ready && this.#open?.id !== id;
    if (this.#stream && this.#stream.conversationId !== id) this.stop();
    await this.#guard(() =>
      this.#exclusive(async () => {
        // A long conversation shows its newest messages first (unless a search result leads further back, or it is
        // open already): reading all 5,000 messages of one takes most of 100 ms.
        const newestFirst = messageId === undefined && this.#open?.id !== id;
        const [conversation, first] = await Promise.all([
          this.#repository.getConversation(id),
          newestFirst
            ? this.#repository.listNewestMessages(id, NEWEST_FIRST)
            : this.#repository.listMessages(id).then((messages) => ({ messages, complete: true })),
        ]);
        if (!conversation) {
          this.#forgetConversation(id);
          return;
        }
        this.#showConversationRecord(conversation);
        let stored = first.messages;
        if (!first.complete) {
          const newest = this.#mergeIntoOpen(id, conversation, stored, () => false);
          this.#setOpen({ ...newest, partial: true }, { focusedMessageId: null });
          await this.#afterPaint();
          // Closed meanwhile (New chat, or deleted in another tab): it stays closed.
          if (this.#open?.id !== id) return;
          stored = await this.#repository.listMessages(id);
          if (this.#open?.id !== id) return;
        }
        const open = this.#mergeIntoOpen(id, conversation, stored, () => true);
        let focusedMessageId: string | null = null;
        if (messageId !== undefined && open.messages.some((message) => message.id === messageId)) {
          focusedMessageId = messageId;
          if (!viewOf(open).messages.some((message) => message.id === messageId)) {
            const leafId = leafAfterChoosing(open.messages, messageId) ?? undefined;
            open.leafId = leafId;
            if (leafId !== undefined) await this.#repository.setActiveLeaf(id, leafId);
          }
        }
        this.#setOpen(open, { focusedMessageId });
      }),
    );
    const { settings } = this.getState();
    const changes = restore && this.#open?.id === id ? restoreChanges(settings, viewOf(this.#open).messages) : null;
    // A conversation last answered on this device goes back to it only where the model can run here: elsewhere
    // (no WebGPU, another browser) switching to local would only make the next send fail.
    const runnable = changes?.engine !== 'local' || this.#engines.describe({ ...settings, engine: 'local' }).available;
    if (changes && runnable) await this.updateSettings(changes);
  }

  async renameConversation(id: string, title: string): Promise<void> {
    const trimmed = title.trim();
    const conversation = this.getState().conversations.find((existing) => existing.id === id);
    if (!conversation || trimmed === '' || trimmed === conversation.title) return;
    await this.#guard(async () => {
      const renamed = await this.#write(() => this.#repository.renameConversation(id, trimmed));
      if (renamed) this.#showConversationRecord(renamed);
      else this.#forgetConversation(id);
      this.#refreshSearch();
    });
  }

  async deleteConversation(id: string): Promise<void> {
    // The reply's last write must land before the delete, or it would leave a message without its conversation.
    if (this.#stream?.conversationId === id) await this.#stopAndWait();
    await this.#guard(async () => {
      const deleted = await this.#write(() => this.#repository.deleteConversation(id));
      const wasOpen = this.#open?.id === id;
      const draft = this.#dropDraft(id);
      this.#forgetConversation(id);
      if (deleted) this.#offerUndo(deleted, wasOpen, draft);
      this.#refreshSearch();
    });
  }

  async undoDelete(): Promise<void> {
    const undo = this.#undo;
    if (!undo) return;
    this.dismissUndo();
    if (this.#now() > undo.expiresAt) return;
    const { conversation } = undo.deleted;
    try {
      await this.#write(() => this.#repository.restoreConversation(undo.deleted));
    } catch (error) {
      // Nothing was written; the conversation exists only here now, so the offer stays while it lasts.
      this.showAlert(errorMessage(error));
      this.#offerUndo(undo.deleted, undo.wasOpen, undo.draft, undo.expiresAt);
      return;
    }
    this.#drafts.save(conversation.id, undo.draft);
    this.#showConversationRecord(conversation);
    if (undo.wasOpen && this.#open === null) await this.openConversation(conversation.id);
    this.#refreshSearch();
  }

  dismissUndo(): void {
    if (!this.#undo) return;
    this.#clearTimer(this.#undo.timer);
    this.#undo = null;
    this.#store.update((state) => ({ ...state, undo: null }));
  }

  async search(query: string): Promise<void> {
    const seq = ++this.#searchSeq;
    if (query.trim() === '') {
      this.#store.update((state) => ({ ...state, search: { ...EMPTY_SEARCH, query } }));
      return;
    }
    this.#store.update((state) => ({ ...state, search: { ...state.search, query, pending: true } }));
    try {
      const results = await this.#repository.searchConversations(query);
      if (seq !== this.#searchSeq) return;
      this.#store.update((state) => ({ ...state, search: { query, results, pending: false } }));
    } catch (error) {
      if (seq !== this.#searchSeq) return;
      this.#store.update((state) => ({ ...state, search: { ...state.search, pending: false } }));
      this.showAlert(errorMessage(error));
    }
  }

  /** The export and import code, loaded on first use; null (with an alert) when it cannot be. */
  async #loadBackupCode(): Promise<typeof import('../storage/backup.js') | null> {
    try {
      return await import('../storage/backup.js');
    } catch {
      this.showAlert(BACKUP_CODE_UNAVAILABLE);
      return null;
    }
  }

  async exportAll(): Promise<void> {
    const backup = await this.#loadBackupCode();
    if (!backup) return;
    await this.#guard(async () => {
      // The streaming reply as far as it got; if that save fails, the export still holds everything saved before.
      await this.#stream?.writer.flush().catch(() => undefined);
      const date = new Date(this.#now());
      const text = await backup.exportAll(this.#repository, date);
      this.#saveFile(backup.backupFileName(date), new Blob([text], { type: 'application/json' }));
    });
  }

  async exportConversation(id: string): Promise<void> {
    const backup = await this.#loadBackupCode();
    if (!backup) return;
    await this.#untilOpenIsWhole();
    await this.#guard(async () => {
      const conversation =
        this.getState().conversations.find((existing) => existing.id === id) ??
        (await this.#repository.getConversation(id));
      if (!conversation) return;
      const path =
        this.#open?.id === id
          ? this.getState().messages
          : visiblePath(
              markInterrupted(await this.#repository.listMessages(id), this.#now()),
              conversation.activeLeafId,
            ).map((entry) => entry.message);
      const markdown = backup.exportConversationMarkdown(conversation, path, new Date(this.#now()));
      this.#saveFile(backup.markdownFileName(conversation.title), new Blob([markdown], { type: 'text/markdown' }));
    });
  }

  async importBackup(file: Blob): Promise<void> {
    const backup = await this.#loadBackupCode();
    if (!backup) return;
    const outcome = await backup.importBackupFile(this.#repository, file);
    if (!outcome.ok) {
      this.showAlert(outcome.message);
      return;
    }
    this.#showNotice(backup.importSummaryMessage(outcome.summary));
    await this.#guard(() =>
      this.#exclusive(async () => {
        const stored = await this.#repository.listConversations();
        this.#store.update((state) => {
          const held = new Map(state.conversations.map((conversation) => [conversation.id, conversation]));
          const conversations = stored
            .map((conversation) => mergeConversation(held.get(conversation.id), conversation))
            .sort((a, b) => b.updatedAt - a.updatedAt);
          return { ...state, conversations };
        });
      }),
    );
    this.#refreshSearch();
  }

  async refreshStorageUsage(): Promise<void> {
    this.#updateStorage({ measuring: true });
    try {
      const usage = await this.#estimateUsage();
      this.#updateStorage({
        usage,
        measuring: false,
        ...(usage.persisted === null ? {} : { persisted: usage.persisted }),
      });
    } catch (error) {
      this.#updateStorage({ measuring: false });
      this.showAlert(errorMessage(error));
    }
  }

  async updateSettings(patch: SettingsChanges): Promise<void> {
    const current = this.getState().settings;
    const changes = settingsChanges(current, patch);
    if (!changes) return;
    const version = ++this.#settingsVersion;
    this.#showSettings(applySettingsChanges(current, changes));
    await this.#guard(() =>
      this.#write(async () => {
        const saved = await this.#repository.updateSettings(changes);
        // With any change another tab saved to other fields; unless this tab changed something again meanwhile.
        if (version === this.#settingsVersion) this.#showSettings(saved);
      }),
    );
  }

  #showSettings(settings: Settings): void {
    this.#store.update((state) => ({ ...state, settings, engineStatus: this.#engines.describe(settings) }));
  }

  /** Re-reads the engine status, for changes that come from the engine rather than from settings (a download). */
  refreshEngineStatus(): void {
    this.#store.update((state) => {
      const engineStatus = this.#engines.describe(state.settings);
      return sameStatus(engineStatus, state.engineStatus) ? state : { ...state, engineStatus };
    });
  }

  dismissAlert(id: number): void {
    this.#store.update((state) => ({ ...state, alerts: dismissAlert(state.alerts, id) }));
  }

  async runAlertAction(id: number): Promise<void> {
    const action = this.getState().alerts.find((alert) => alert.id === id)?.action;
    if (action?.kind !== 'use-model') return;
    this.dismissAlert(id);
    await this.updateSettings(modelChange(this.getState().settings.endpointUrl, action.model));
    await this.regenerate(action.messageId);
  }

  /** Shows a failed reply's alert now, and the action it offers (which may need a catalogue look-up) once known. */
  #alertFailure(error: unknown, message: string, reply: MessageRecord, settings: Settings): void {
    const id = this.#nextAlertId;
    this.showAlert(message);
    const failed = { settings, model: reply.model ?? '', messageId: reply.id };
    // Only a failed reply needs it: not part of the first screen. If it cannot load, the alert simply offers nothing.
    void import('./model-recovery.js')
      .then(({ recoveryAction }) => recoveryAction(error, failed, this.#alternativeModel))
      .then(
        (action) => {
          if (!action) return;
          this.#store.update((state) => ({
            ...state,
            alerts: state.alerts.map((alert) => (alert.id === id ? { ...alert, action } : alert)),
          }));
        },
        () => undefined,
      );
  }

  dismissNotice(id: number): void {
    this.#store.update((state) => (state.notice?.id === id ? { ...state, notice: null } : state));
  }

  /** Writes the streaming reply now: called when the page is being hidden or closed. */
  async flushPending(): Promise<void> {
    this.#saveDraft();
    const stream = this.#stream;
    if (!stream) return;
    // The page may be closing: IndexedDB might not commit in time, so leave the text shown a synchronous copy too.
    const shown = this.getState().messages.find((message) => message.id === stream.messageId);
    if (shown) this.#unsavedReplies.save(shown);
    await stream.writer.flush();
    this.#unsavedReplies.discard(stream.messageId);
  }

  /** Puts back the text of a reply whose tab closed before IndexedDB had its last state. */
  async #restoreUnsavedReply(): Promise<void> {
    const unsaved = this.#unsavedReplies.take();
    if (!unsaved) return;
    const stored = await this.#repository.getMessage(unsaved.id);
    if (
      !stored ||
      stored.status !== 'streaming' ||
      stored.conversationId !== unsaved.conversationId ||
      stored.updatedAt >= unsaved.updatedAt
    ) {
      return;
    }
    await this.#repository.putMessage({ ...stored, content: unsaved.content, updatedAt: unsaved.updatedAt });
  }

  showAlert(message: string): void {
    const alert: AppAlert = { id: this.#nextAlertId++, message };
    this.#store.update((state) => ({ ...state, alerts: addAlert(state.alerts, alert) }));
  }

  #showNotice(message: string): void {
    const notice = { id: this.#nextNoticeId++, message };
    this.#store.update((state) => ({ ...state, notice }));
  }

  #updateStorage(patch: Partial<AppState['storage']>): void {
    this.#store.update((state) => ({ ...state, storage: { ...state.storage, ...patch } }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The open conversation

  /** Replaces the open conversation and shows its view; `extra` changes other fields in the same update. */
  #setOpen(open: OpenConversation | null, extra: Partial<AppState> = {}): void {
    this.#open = open;
    const view = viewOf(open);
    const draft = this.#switchDraft(open?.id ?? null);
    this.#store.update((state) => ({
      ...state,
      ...extra,
      ...(draft ? { draft } : {}),
      activeConversationId: open?.id ?? null,
      messages: view.messages,
      alternatives: view.alternatives,
      earlierMessagesLoading: open?.partial === true,
    }));
    this.#watchOtherTabsStreams();
  }

  /** A new message of the open conversation: it ends the branch shown. */
  #addMessage(message: MessageRecord): void {
    const open = this.#open;
    if (open?.id !== message.conversationId) return;
    this.#setOpen({ ...open, messages: upsertMessage(open.messages, message), leafId: message.id });
  }

  /** A message that changed but did not move (a streamed word, a new status): no need to rebuild the tree. */
  #replaceMessage(message: MessageRecord, extra: Partial<AppState> = {}): void {
    const open = this.#open;
    const isOpen = open?.id === message.conversationId;
    if (open && isOpen) this.#open = { ...open, messages: replaceMessage(open.messages, message) };
    this.#store.update((state) => ({
      ...state,
      ...extra,
      messages: isOpen ? (replaceMessage(state.messages, message) as MessageRecord[]) : state.messages,
    }));
  }

  /**
   * The open conversation after folding in what storage holds (`isGone`: whether a held message missing from
   * `stored` was deleted). The branch shown follows storage's, unless this tab is streaming into the conversation or
   * has writes still queued: then it stays where this tab put it.
   */
  #mergeIntoOpen(
    id: string,
    conversation: ConversationRecord,
    stored: readonly MessageRecord[],
    isGone: (id: string) => boolean,
  ): OpenConversation {
    const streamingId = this.#stream?.conversationId === id ? this.#stream.messageId : null;
    const held = this.#open?.id === id ? this.#open : null;
    const keep = new Set(this.#unsaved);
    if (streamingId !== null) keep.add(streamingId);
    const messages = mergeMessages(
      held?.messages ?? [],
      markInterrupted(stored, this.#now(), streamingId),
      isGone,
      keep,
    );
    const keepBranch = held !== null && (streamingId !== null || this.#pendingWrites > 0);
    return { id, messages, leafId: keepBranch ? held.leafId : conversation.activeLeafId };
  }

  /**
   * Another tab's reply shows as `streaming` while that tab saves it. Should it go silent (the tab closed), this
   * marks it interrupted once it is stale, as a fresh read would.
   */
  #watchOtherTabsStreams(): void {
    if (this.#staleTimer !== null || !this.#open) return;
    const streamingId = this.#stream?.messageId;
    let oldest = Number.POSITIVE_INFINITY;
    for (const message of this.#open.messages) {
      if (message.status === 'streaming' && message.id !== streamingId) oldest = Math.min(oldest, message.updatedAt);
    }
    if (oldest === Number.POSITIVE_INFINITY) return;
    const delayMs = Math.max(0, oldest + STALE_STREAM_MS - this.#now());
    this.#staleTimer = this.#setTimer(() => {
      this.#staleTimer = null;
      const open = this.#open;
      if (!open) return;
      const messages = markInterrupted(open.messages, this.#now(), this.#stream?.messageId ?? null);
      if (messages === open.messages) this.#watchOtherTabsStreams();
      else this.#setOpen({ ...open, messages });
    }, delayMs);
  }

  #showConversationRecord(stored: ConversationRecord): void {
    this.#store.update((state) => {
      const held = state.conversations.find((conversation) => conversation.id === stored.id);
      return { ...state, conversations: upsertConversation(state.conversations, mergeConversation(held, stored)) };
    });
  }

  /** A conversation that no longer exists: out of the list, and closed if it was open (its draft goes too). */
  #forgetConversation(id: string): void {
    this.#dropDraft(id);
    this.#store.update((state) => ({ ...state, conversations: removeConversation(state.conversations, id) }));
    if (this.#open?.id === id) this.#setOpen(null, { focusedMessageId: null });
  }

  #offerUndo(deleted: DeletedConversation, wasOpen: boolean, draft: string, expiresAt = this.#now() + UNDO_MS): void {
    this.dismissUndo();
    const timer = this.#setTimer(() => {
      if (this.#undo?.timer === timer) this.dismissUndo();
    }, expiresAt - this.#now());
    this.#undo = { deleted, wasOpen, draft, expiresAt, timer };
    this.#store.update((state) => ({
      ...state,
      undo: {
        kind: 'delete-conversation',
        conversationId: deleted.conversation.id,
        title: deleted.conversation.title,
        expiresAt,
      },
    }));
  }

  #refreshSearch(): void {
    const { query } = this.getState().search;
    if (query.trim() !== '') void this.search(query);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Drafts

  updateDraft(text: string): void {
    this.#draftText = text;
    this.#draftChanged = true;
    // A few writes a second at most, whatever the typing speed or the length pasted; `flushPending` writes the rest.
    this.#draftTimer ??= this.#setTimer(() => {
      this.#draftTimer = null;
      this.#saveDraft();
    }, DRAFT_SAVE_MS);
  }

  #saveDraft(): void {
    if (this.#draftTimer !== null) this.#clearTimer(this.#draftTimer);
    this.#draftTimer = null;
    // Unchanged here, it is left alone: another tab may have typed a newer one for the same conversation.
    if (!this.#draftChanged) return;
    this.#draftChanged = false;
    this.#drafts.save(this.#draftFor, this.#draftText);
  }

  /** Sent: the box is empty, and so is the draft. */
  #discardDraft(): void {
    this.#draftText = '';
    this.#draftChanged = true;
    this.#saveDraft();
  }

  /** Another conversation is shown: the draft typed so far is kept, and that conversation's draft is given. */
  #switchDraft(conversationId: string | null): Draft | null {
    if (conversationId === this.#draftFor) return null;
    this.#saveDraft();
    this.#draftFor = conversationId;
    this.#draftText = this.#drafts.load(conversationId);
    return { conversationId, text: this.#draftText };
  }

  /** The conversation is deleted: so is its draft, whose text is returned (for Undo). */
  #dropDraft(id: string): string {
    const text = id === this.#draftFor ? this.#draftText : this.#drafts.load(id);
    if (id === this.#draftFor) {
      this.#draftText = '';
      this.#draftChanged = false;
    }
    this.#drafts.save(id, '');
    return text;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Other tabs

  #heard(change: StorageChange): void {
    (this.#incoming ??= new ChangeBatch()).add(change);
    if (!this.#syncing) void this.#applyIncoming();
  }

  async #applyIncoming(): Promise<void> {
    this.#syncing = true;
    try {
      while (this.#incoming) {
        const batch = this.#incoming;
        this.#incoming = null;
        await this.#guard(() => this.#exclusive(() => this.#apply(batch)));
      }
    } finally {
      this.#syncing = false;
    }
  }

  async #apply(batch: ChangeBatch): Promise<void> {
    if (batch.settings) {
      const version = this.#settingsVersion;
      const settings = await this.#repository.loadSettings();
      // A change made here since the read began is saved after the one read, so it is the one that stays.
      if (version === this.#settingsVersion) this.#showSettings(settings);
    }
    const ids = [...batch.conversationIds];
    const records = await Promise.all(ids.map((id) => this.#repository.getConversation(id)));
    ids.forEach((id, index) => {
      const record = records[index];
      if (record) {
        this.#showConversationRecord(record);
        return;
      }
      // Deleted in another tab. A reply streaming into it here stops (waiting for it here could wait for a write
      // queued behind this very step).
      if (this.#stream?.conversationId === id) this.stop();
      this.#forgetConversation(id);
    });

    const openId = this.#open?.id;
    const conversation = openId === undefined ? undefined : records[ids.indexOf(openId)];
    if (openId !== undefined && conversation) {
      if (batch.rereadMessages.has(openId)) {
        const stored = await this.#repository.listMessages(openId);
        if (this.#open?.id === openId) this.#setOpen(this.#mergeIntoOpen(openId, conversation, stored, () => true));
      } else {
        const requested = [...batch.messageIds];
        const read = await Promise.all(requested.map((id) => this.#repository.getMessage(id)));
        const stored = read.filter((message): message is MessageRecord => message?.conversationId === openId);
        const gone = new Set(requested.filter((_, index) => read[index] === undefined));
        if (this.#open?.id === openId) {
          this.#setOpen(this.#mergeIntoOpen(openId, conversation, stored, (id) => gone.has(id)));
        }
      }
    }
    if (ids.length > 0) this.#refreshSearch();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writing

  /** Runs reads and writes that must not interleave with others (see the module comment), one at a time. */
  #exclusive<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(step);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #write<T>(step: () => Promise<T>): Promise<T> {
    this.#pendingWrites++;
    try {
      return await this.#exclusive(step);
    } finally {
      this.#pendingWrites--;
    }
  }

  async #stopAndWait(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    stream.abort.abort();
    await stream.finished;
  }

  async #ensureConversation(firstText: string): Promise<ConversationRecord> {
    const { conversations } = this.getState();
    const existing = conversations.find((conversation) => conversation.id === this.#open?.id);
    if (existing) return existing;
    const now = this.#now();
    const conversation: ConversationRecord = {
      id: this.#newId(),
      title: titleFromText(firstText),
      createdAt: now,
      updatedAt: now,
    };
    await this.#write(() => this.#repository.putConversation(conversation));
    this.#store.update((state) => ({ ...state, conversations: upsertConversation(state.conversations, conversation) }));
    this.#setOpen({ id: conversation.id, messages: [], leafId: undefined }, { focusedMessageId: null });
    return conversation;
  }

  #newMessage(
    conversationId: string,
    role: MessageRecord['role'],
    content: string,
    status: MessageRecord['status'],
  ): MessageRecord {
    const now = this.#now();
    return { id: this.#newId(), conversationId, role, content, createdAt: now, updatedAt: now, status };
  }

  #newReply(conversationId: string, parentId: string | null): MessageRecord {
    const { settings } = this.getState();
    return {
      ...this.#newMessage(conversationId, 'assistant', '', 'streaming'),
      parentId,
      ...answeredBy(settings, this.#engines.describe(settings).model),
    };
  }

  /** Shows a new message at the end of the branch, then stores it; on failure it stays on screen. */
  async #saveNew(message: MessageRecord): Promise<void> {
    this.#addMessage(message);
    await this.#save(message);
  }

  async #save(message: MessageRecord): Promise<void> {
    this.#unsaved.add(message.id);
    await this.#write(() => this.#repository.putMessage(message));
    this.#unsaved.delete(message.id);
    this.#touchConversation(message.conversationId, message.updatedAt);
  }

  #touchConversation(id: string, updatedAt: number): void {
    this.#store.update((state) => {
      const conversation = state.conversations.find((existing) => existing.id === id);
      if (!conversation || conversation.updatedAt >= updatedAt) return state;
      return { ...state, conversations: upsertConversation(state.conversations, { ...conversation, updatedAt }) };
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Replies

  /**
   * Runs an action that ends in streaming a reply: `prepare` writes what comes before (a user message) and says what
   * to stream, or null for nothing. Only one at a time: a second one while a reply streams (or is about to) is
   * ignored, as the UI disables its buttons meanwhile.
   */
  async #reply(prepare: () => Promise<ReplyRequest | null>): Promise<void> {
    if (this.#stream || this.#replying) return;
    this.#replying = true;
    try {
      await this.#guard(async () => {
        await this.#untilOpenIsWhole();
        const request = await prepare();
        if (request) await this.#generate(request);
      });
    } finally {
      this.#replying = false;
    }
  }

  /**
   * Waits until the open conversation holds all of its messages: a long one opens on its newest, and the read of
   * the rest is one queued step. What needs the whole branch waits here: the engine's history, an edit or a
   * regenerate that must find every alternative, a Markdown export.
   */
  async #untilOpenIsWhole(): Promise<void> {
    if (this.#open?.partial) await this.#exclusive(async () => undefined);
  }

  /** A new reply to `userMessage`, the engine seeing the branch down to it. */
  #answer(userMessage: MessageRecord): ReplyRequest | null {
    const open = this.#open;
    if (open?.id !== userMessage.conversationId) return null;
    return {
      mode: 'new',
      reply: this.#newReply(open.id, userMessage.id),
      history: pathTo(open, userMessage.id),
    };
  }

  /** Streams a reply, showing it and persisting it as it grows. */
  async #generate({ reply: initial, mode, history }: ReplyRequest): Promise<void> {
    const { settings } = this.getState();
    const { conversationId } = initial;
    const turns: ChatTurn[] = [{ role: 'system', content: settings.systemPrompt }, ...historyForEngine(history)];
    if (mode === 'continue' && history.at(-1)?.id === initial.id)
      turns.push({ role: 'user', content: CONTINUE_PROMPT });
    let reply = initial;
    let markFinished = () => {};
    const stream: ActiveStream = {
      conversationId,
      messageId: reply.id,
      abort: new AbortController(),
      writer: this.#createWriter((message) => this.#repository.putMessage(message)),
      finished: new Promise((resolve) => (markFinished = resolve)),
    };
    this.#stream = stream;
    this.#store.update((state) => ({ ...state, streamingMessageId: reply.id }));

    /** The last state, shown and saved. A failed save (a full disk) leaves the text on screen and says so. */
    const finish = async (changes: Partial<MessageRecord>): Promise<void> => {
      reply = { ...reply, ...changes, updatedAt: this.#now() };
      this.#replaceMessage(reply);
      stream.writer.update(reply);
      try {
        await stream.writer.flush();
      } catch (error) {
        this.showAlert(errorMessage(error));
      } finally {
        stream.writer.dispose();
      }
      this.#touchConversation(conversationId, reply.updatedAt);
    };

    try {
      if (mode === 'new') {
        await this.#saveNew(reply);
      } else {
        this.#replaceMessage(reply);
        await this.#save(reply);
      }
      const engine = await this.#engines.resolve(settings);
      reply = { ...reply, engine: engine.kind, model: engine.model };
      let usage: Usage | undefined;
      let finishReason: string | null | undefined;
      const chunks = engine.chat(
        {
          messages: turns,
          params: settings.sampling,
          onRetry: (notice) => this.#store.update((state) => ({ ...state, retryNotice: notice })),
        },
        stream.abort.signal,
      );
      for await (const chunk of chunks) {
        if (chunk.delta) {
          reply = { ...reply, content: reply.content + chunk.delta, updatedAt: this.#now() };
          this.#replaceMessage(reply, { retryNotice: null });
          stream.writer.update(reply);
        }
        if (chunk.omittedTurns) reply = { ...reply, omittedTurns: chunk.omittedTurns };
        if (chunk.usage) usage = chunk.usage;
        if (chunk.finishReason) finishReason = chunk.finishReason;
      }
      const stopped = stream.abort.signal.aborted || finishReason === 'abort';
      await finish({ status: stopped ? 'stopped' : 'complete', ...(usage ? { usage } : {}) });
    } catch (error) {
      if (stream.abort.signal.aborted && (isAbortError(error) || !(error instanceof EngineError))) {
        await finish({ status: 'stopped' });
      } else {
        const message = errorMessage(error);
        await finish({ status: 'error', error: message });
        this.#alertFailure(error, message, reply, settings);
      }
    } finally {
      if (this.#stream === stream) this.#stream = null;
      markFinished();
      this.#store.update((state) => ({
        ...state,
        streamingMessageId: state.streamingMessageId === reply.id ? null : state.streamingMessageId,
        retryNotice: null,
      }));
    }
  }

  /** Runs a step; a failure becomes an alert and the in-memory state keeps what the user sees. */
  async #guard(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.showAlert(errorMessage(error));
    }
  }
}

function sameStatus(a: EngineStatus, b: EngineStatus): boolean {
  return (
    a.engine === b.engine &&
    a.label === b.label &&
    a.model === b.model &&
    a.available === b.available &&
    a.detail === b.detail
  );
}

function errorMessage(error: unknown): string {
  if (error instanceof EngineError) return error.userMessage;
  if (error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string') {
    return error.userMessage;
  }
  return 'Something went wrong and the reply could not be finished. Try again; if it keeps failing, reload the page.';
}
