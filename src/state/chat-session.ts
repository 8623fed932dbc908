/**
 * The chat session: the one place where the UI's requests meet engines and storage. Components never call engines
 * or storage; they raise events, and the root element calls these actions. The work is done by small parts sharing
 * one `Store` and one `WriteQueue`: the open conversation (`ConversationOpener`), drafts (`DraftKeeper`), other tabs
 * (`TabSync`), writing (`MessageWriter`), replies (`ReplyRunner`), settings and the engines' state
 * (`SettingsKeeper`), deletion with Undo (`ConversationDeleter`, and `MessageDeleter` for messages), search
 * (`SearchRunner`), storage health (`StorageHealth`), backups (`BackupActions`) and presets (`PresetKeeper`). This
 * facade wires them, and keeps what spans several: start, opening a conversation, Clear.
 */
import { leafAfterChoosing } from '../domain/branches.js';
import { modelChange } from '../domain/providers.js';
import { DEFAULT_SETTINGS, type SettingsChanges } from '../domain/settings.js';
import type { EngineResolver } from '../engines/types.js';
import { localDraftStore } from '../storage/drafts.js';
import { estimateUsage, requestPersistentStorage } from '../storage/health.js';
import type { ChatRepository } from '../storage/types.js';
import { localUnsavedReplyStore, type UnsavedReplyStore } from '../storage/unsaved-reply.js';
import { AlertBoard, errorMessage, SOMETHING_WENT_WRONG } from './alert-board.js';
import type { ActionOutcome, AppState, ChatActions, ShownSource, StateSource } from './app-state.js';
import { AttachmentPassages } from './attachment-passages.js';
import { AttachmentTray } from './attachment-tray.js';
import { BranchDocuments } from './branch-documents.js';
import { BackupActions } from './backup-actions.js';
import { nextPaint, type ChatSessionDeps } from './chat-session-deps.js';
import { ConversationDeleter } from './conversation-deleter.js';
import { restoreChanges } from './conversation-engine.js';
import { ConversationOpener } from './conversation-opener.js';
import { DraftKeeper } from './draft-keeper.js';
import { whenIdle } from './idle.js';
import { MessageDeleter } from './message-deleter.js';
import { MessageWriter } from './message-writer.js';
import { viewOf } from './open-conversation.js';
import { PresetKeeper, presetFor, withoutPresetModel, type NewPresetOptions } from './preset-keeper.js';
import { ReplyRunner } from './reply-runner.js';
import { shownSources, SOURCES_UNREADABLE } from './reply-sources.js';
import { downloadFile } from './save-file.js';
import { SearchRunner } from './search-runner.js';
import { initialAppState } from './initial-state.js';
import { SettingsKeeper } from './settings-keeper.js';
import { StorageHealth } from './storage-health.js';
import { Store } from './store.js';
import { TabSync } from './tab-sync.js';
import { WriteQueue } from './write-queue.js';

export { BACKUP_CODE_UNAVAILABLE } from './backup-actions.js';
export { UNDO_MS } from './conversation-deleter.js';
export { CONTINUE_PROMPT } from './reply-runner.js';
export type { ChatSessionDeps } from './chat-session-deps.js';

export class ChatSession implements ChatActions, StateSource {
  readonly #store: Store;
  readonly #repository: ChatRepository;
  readonly #engines: EngineResolver;
  readonly #storageHealth: StorageHealth;
  readonly #whenIdle: (callback: () => void) => void;
  readonly #unsavedReplies: UnsavedReplyStore;
  readonly #queue = new WriteQueue();
  readonly #alerts: AlertBoard;
  readonly #drafts: DraftKeeper;
  readonly #opener: ConversationOpener;
  readonly #replies: ReplyRunner;
  readonly #settings: SettingsKeeper;
  readonly #tabs: TabSync;
  readonly #search: SearchRunner;
  readonly #deleter: ConversationDeleter;
  readonly #messageDeleter: MessageDeleter;
  readonly #backups: BackupActions;
  readonly #presets: PresetKeeper;
  readonly #tray: AttachmentTray;

  constructor(deps: ChatSessionDeps) {
    const repository = (this.#repository = deps.repository);
    const engines = (this.#engines = deps.engines);
    this.#whenIdle = deps.whenIdle ?? whenIdle;
    this.#unsavedReplies = deps.unsavedReplies ?? localUnsavedReplyStore();
    const setTimer = deps.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
    const clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    const now = deps.now ?? Date.now;
    const newId = deps.newId ?? (() => crypto.randomUUID());
    const queue = this.#queue;
    const drafts = (this.#drafts = new DraftKeeper({ drafts: deps.drafts ?? localDraftStore(), setTimer, clearTimer }));
    const store = (this.#store = new Store(initialAppState(drafts.current, engines.describe(DEFAULT_SETTINGS))));
    const alerts = (this.#alerts = new AlertBoard(store));
    const passages = new AttachmentPassages(deps.passageIndex);
    const tray = (this.#tray = new AttachmentTray({
      store,
      alerts,
      passages,
      newId,
      now,
      ...(deps.loadAttachmentReader ? { loadReader: deps.loadAttachmentReader } : {}),
    }));
    this.#storageHealth = new StorageHealth({
      store,
      alerts,
      requestPersistentStorage: deps.requestPersistentStorage ?? (() => requestPersistentStorage()),
      estimateUsage: deps.estimateUsage ?? (() => estimateUsage(repository)),
    });
    const opener = (this.#opener = new ConversationOpener({
      store,
      repository,
      queue,
      drafts,
      streaming: () => this.#replies.streaming,
      afterPaint: deps.afterPaint ?? nextPaint,
      setTimer,
      now,
      later: (step) => void alerts.guard(() => queue.exclusive(step)),
    }));
    const writer = new MessageWriter({
      store,
      repository,
      queue,
      opener,
      now,
      newId,
      presetForNewChat: () => this.#presets.forNewChat(),
    });
    const replies = (this.#replies = new ReplyRunner({
      store,
      repository,
      engines,
      createStreamingWriter: deps.createStreamingWriter,
      opener,
      writer,
      drafts,
      tray,
      documents: new BranchDocuments({
        repository,
        passages,
        newId,
        now,
        catalogueModels: () => store.getState().catalogue?.models ?? [],
      }),
      alerts,
      unsavedReplies: this.#unsavedReplies,
      alternativeModel: deps.alternativeModel,
      settingsFor: (conversationId) => this.#presets.settingsFor(conversationId),
      now,
    }));
    const settings = (this.#settings = new SettingsKeeper({
      store,
      repository,
      queue,
      alerts,
      engines,
      ...(deps.local ? { local: deps.local } : {}),
      ...(deps.catalogues ? { catalogues: deps.catalogues } : {}),
    }));
    const presets = (this.#presets = new PresetKeeper({
      store,
      repository,
      queue,
      alerts,
      opener,
      settings,
      now,
      newId,
    }));
    const search = (this.#search = new SearchRunner({ store, repository, alerts }));
    const refreshSearch = () => search.refresh();
    const reloadPresets = () => presets.load();
    this.#tabs = new TabSync({ repository, queue, alerts, opener, settings, replies, refreshSearch, reloadPresets });
    this.#deleter = new ConversationDeleter({
      store,
      repository,
      queue,
      alerts,
      opener,
      drafts,
      replies,
      reopen: (id) => this.openConversation(id),
      refreshSearch,
      setTimer,
      clearTimer,
      now,
    });
    const deleter = this.#deleter;
    this.#messageDeleter = new MessageDeleter({
      store,
      repository,
      queue,
      alerts,
      opener,
      drafts,
      tray,
      replies,
      withdrawOtherOffer: () => deleter.dismiss(),
      refreshSearch,
      setTimer,
      clearTimer,
      now,
    });
    const saveFile = deps.saveFile ?? downloadFile;
    this.#backups = new BackupActions({
      store,
      repository,
      queue,
      alerts,
      opener,
      replies,
      saveFile,
      refreshSearch,
      now,
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
    this.#tabs.listen();
    await this.#alerts.guard(async () => {
      await this.#restoreUnsavedReply();
      const [settings, conversations] = await Promise.all([
        this.#repository.loadSettings(),
        this.#repository.listConversations(),
        this.#presets.load(),
      ]);
      this.#store.update((state) => this.#settings.shownWith({ ...state, conversations }, settings));
      const latest = conversations[0];
      if (latest) await this.openConversation(latest.id);
    });
    this.#store.update((state) => ({ ...state, ready: true }));
    this.#storageHealth.askToPersist();
    // Only makes the first search fast; a failure here shows when the search itself runs.
    this.#whenIdle(() => void this.#repository.prepareSearch().catch(() => undefined));
  }

  send(text: string): Promise<void> {
    return this.#replies.send(text);
  }

  stop(): void {
    this.#replies.stop();
  }

  attach(files: readonly File[]): Promise<void> {
    return this.#tray.attach(files);
  }

  removeAttachment(id: string): void {
    this.#tray.remove(id);
  }

  async originalOf(attachmentId: string): Promise<Blob | undefined> {
    try {
      return (await this.#repository.getAttachment(attachmentId))?.bytes;
    } catch (error) {
      this.#alerts.show(errorMessage(error));
      return undefined;
    }
  }

  async sourcesOf(messageId: string): Promise<ShownSource[]> {
    try {
      const shown = this.#opener.current?.messages.find((message) => message.id === messageId);
      return await shownSources(this.#repository, shown ?? (await this.#repository.getMessage(messageId)));
    } catch (error) {
      const message = errorMessage(error);
      this.#alerts.show(message === SOMETHING_WENT_WRONG ? SOURCES_UNREADABLE : message);
      return [];
    }
  }

  retry(): Promise<void> {
    return this.#replies.retry();
  }

  regenerate(messageId: string): Promise<void> {
    return this.#replies.regenerate(messageId);
  }

  editMessage(messageId: string, text: string): Promise<void> {
    return this.#replies.editMessage(messageId, text);
  }

  continueReply(messageId: string): Promise<void> {
    return this.#replies.continueReply(messageId);
  }

  async showAlternative(messageId: string, direction: 'previous' | 'next'): Promise<void> {
    const open = this.#opener.current;
    const alternatives = this.getState().alternatives[messageId];
    const target = direction === 'previous' ? alternatives?.previousId : alternatives?.nextId;
    if (!open || !target) return;
    const leafId = leafAfterChoosing(open.messages, target);
    if (leafId === null) return;
    this.#opener.set({ ...open, leafId });
    await this.#alerts.guard(() => this.#queue.write(() => this.#repository.setActiveLeaf(open.id, leafId)));
  }

  async clear(): Promise<void> {
    const open = this.#opener.current;
    if (!open) return;
    await this.#replies.stopAndWait();
    await this.#alerts.guard(async () => {
      await this.#queue.write(() => this.#repository.deleteMessages(open.id));
      if (this.#opener.current?.id === open.id) this.#opener.set({ id: open.id, messages: [], leafId: undefined });
    });
  }

  async newConversation(): Promise<void> {
    this.stop();
    this.#opener.set(null, { focusedMessageId: null });
  }

  async openConversation(id: string, messageId?: string): Promise<void> {
    // Opened by the user (not reopened at start): the next reply goes where this conversation's last one went.
    const restore = this.getState().ready && this.#opener.current?.id !== id;
    if (this.#replies.streaming && this.#replies.streaming.conversationId !== id) this.stop();
    this.#opener.asked();
    await this.#alerts.guard(() => this.#queue.exclusive(() => this.#opener.read(id, messageId)));
    const state = this.getState();
    const { settings } = state;
    const open = this.#opener.current;
    const restored = restore && open?.id === id ? restoreChanges(settings, viewOf(open).messages) : null;
    const changes = restored && withoutPresetModel(restored, presetFor(state, id));
    // A conversation last answered on this device goes back to it only where the model can run here: elsewhere
    // (no WebGPU, another browser) switching to local would only make the next send fail.
    const runnable = changes?.engine !== 'local' || this.#engines.describe({ ...settings, engine: 'local' }).available;
    if (changes && runnable) await this.updateSettings(changes);
  }

  async renameConversation(id: string, title: string): Promise<void> {
    const trimmed = title.trim();
    const conversation = this.getState().conversations.find((existing) => existing.id === id);
    if (!conversation || trimmed === '' || trimmed === conversation.title) return;
    await this.#alerts.guard(async () => {
      const renamed = await this.#queue.write(() => this.#repository.renameConversation(id, trimmed));
      if (renamed) this.#opener.showRecord(renamed);
      else this.#opener.forget(id);
      this.#search.refresh();
    });
  }

  undoLastExchange(): Promise<void> {
    return this.#messageDeleter.undoLastExchange();
  }

  deleteMessage(messageId: string): Promise<void> {
    return this.#messageDeleter.deleteMessage(messageId);
  }

  deleteConversation(id: string): Promise<void> {
    // One Undo is offered at a time: this deletion's replaces a message deletion's.
    this.#messageDeleter.dismiss();
    return this.#deleter.delete(id);
  }

  undoDelete(): Promise<void> {
    return this.getState().undo?.kind === 'delete-conversation' ? this.#deleter.undo() : this.#messageDeleter.undo();
  }

  dismissUndo(): void {
    this.#deleter.dismiss();
    this.#messageDeleter.dismiss();
  }

  search(query: string): Promise<void> {
    return this.#search.search(query);
  }

  exportAll(): Promise<ActionOutcome> {
    return this.#backups.exportAll();
  }

  exportConversation(id: string): Promise<ActionOutcome> {
    return this.#backups.exportConversation(id);
  }

  importBackup(file: Blob): Promise<ActionOutcome> {
    return this.#backups.importBackup(file);
  }

  refreshStorageUsage(): Promise<void> {
    return this.#storageHealth.refresh();
  }

  updateSettings(patch: SettingsChanges): Promise<void> {
    return this.#settings.update(patch);
  }

  choosePreset(presetId: string): Promise<void> {
    return this.#presets.choose(presetId);
  }

  createPreset(name: string, options: NewPresetOptions): Promise<boolean> {
    return this.#presets.create(name, options);
  }

  renamePreset(id: string, name: string): Promise<boolean> {
    return this.#presets.rename(id, name);
  }

  deletePreset(id: string): Promise<void> {
    return this.#presets.delete(id);
  }

  showAlert(message: string): void {
    this.#alerts.show(message);
  }

  dismissAlert(id: number): void {
    this.#alerts.dismiss(id);
  }

  async runAlertAction(id: number): Promise<void> {
    const action = this.getState().alerts.find((alert) => alert.id === id)?.action;
    if (action?.kind !== 'use-model') return;
    this.dismissAlert(id);
    await this.updateSettings(modelChange(this.getState().settings.endpointUrl, action.model));
    await this.regenerate(action.messageId);
  }

  dismissNotice(id: number): void {
    this.#alerts.dismissNotice(id);
  }

  /** Writes the draft and the streaming reply now: called when the page is being hidden or closed. */
  async flushPending(): Promise<void> {
    this.#drafts.save();
    await this.#replies.flushPending();
  }

  updateDraft(text: string): void {
    this.#drafts.update(text);
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
}
