import type { AttachmentRecord } from '../domain/attachments.js';
import { withPreset, type Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { Settings, SettingsChanges } from '../domain/settings.js';
import type { BackupData } from './backup.js';
import {
  planBranchDeletion,
  planExchangeDeletion,
  planSingleDeletion,
  type ConversationContents,
  type DeletedMessages,
  type DeletionPlan,
} from './deletions.js';
import type { ImportSummary } from './import-plan.js';
import { loadImportPlan } from './import-plan-loader.js';
import { STORAGE_MESSAGES, StorageError, toStorageError } from './errors.js';
import {
  applyDeletion,
  applyRestore,
  attachmentsOf,
  changeConversation,
  deleteAttachmentsOf,
  readContents,
  readNewestMessages,
} from './idb-contents.js';
import {
  importError,
  inTransaction,
  isStorageChange,
  requestAll,
  type ChatTransaction,
  type WriteStore,
} from './idb-requests.js';
import { IMPORT_STORES, importInto, measure, readAll } from './idb-import.js';
import { readSettings, writeSettingsChanges } from './idb-settings.js';
import { LazyIdbSearch } from './lazy-search.js';
import { messagesOf } from './search-reads.js';
import { DB_VERSION, openDatabaseAtVersion } from './migrations.js';
import { checkDeletable, presetToStore, withBuiltIns } from './presets.js';
import {
  conversationToStore,
  messageWithAttachments,
  planMessageWrite,
  withActiveLeaf,
  type DeletedConversation,
} from './records.js';
import { DB_NAME, type ChatDatabase } from './schema.js';
import type { SearchOptions, SearchResult } from './search-index.js';
import type { ChatRepository, ConversationsSize, NewestMessages, StorageChange, StoredRecords } from './types.js';

type ConversationChange = (stored: ConversationRecord) => ConversationRecord;

/** What most writes touch: a conversation, its messages, and the files sent with them. */
const CONVERSATION_STORES: WriteStore[] = ['conversations', 'messages', 'attachments'];

export interface OpenChatRepositoryOptions {
  /** Database name; tests use a unique one each. */
  name?: string;
  /**
   * Another tab runs a different version of the app. Either this tab's connection has closed so the other tab can
   * upgrade (every later call fails with the same error: ask the user to reload), or this tab's upgrade waits for the
   * other tabs to close. Show `error.userMessage`.
   */
  onVersionChange?: (error: StorageError) => void;
}

class IdbChatRepository implements ChatRepository {
  readonly #name: string;
  readonly #onVersionChange: ((error: StorageError) => void) | undefined;
  readonly #search: LazyIdbSearch;
  /** Tells the app's other tabs what this one stored, and hears what they stored. */
  readonly #channel: BroadcastChannel | null;
  readonly #listeners = new Set<(change: StorageChange) => void>();
  #connection: Promise<ChatDatabase> | null = null;
  /** The open connection, kept so `close()` and a version change can close it at once. */
  #db: ChatDatabase | null = null;
  /** Set once this repository must not reconnect: every call fails with it. */
  #closedWith: StorageError | null = null;

  constructor(name: string, onVersionChange: ((error: StorageError) => void) | undefined) {
    this.#name = name;
    this.#onVersionChange = onVersionChange;
    this.#search = new LazyIdbSearch(() => this.connect());
    this.#channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`${name}:changes`);
    this.#channel?.addEventListener('message', (event: MessageEvent<unknown>) => this.#heard(event.data));
  }

  /** Opens the connection if there is none: at first use, and again after the browser closed it. */
  connect(): Promise<ChatDatabase> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (!this.#connection) {
      const opening = this.#open();
      this.#connection = opening;
      // A failed open is not kept: the next call tries again.
      opening.catch(() => {
        if (this.#connection === opening) this.#connection = null;
      });
    }
    return this.#connection;
  }

  async #open(): Promise<ChatDatabase> {
    if (typeof indexedDB === 'undefined') {
      throw new StorageError('unavailable', STORAGE_MESSAGES.unavailable);
    }
    try {
      const raw = await openDatabaseAtVersion(this.#name, DB_VERSION, {
        blocked: () => this.#onVersionChange?.(new StorageError('blocked', STORAGE_MESSAGES.waitingForOtherTabs)),
        blocking: (_currentVersion, blockedVersion) => this.#yieldToOtherTab(blockedVersion),
        terminated: () => this.#forgetConnection(),
      });
      // The migration steps up to DB_VERSION build exactly ChatDBSchema.
      const db = raw as unknown as ChatDatabase;
      if (this.#closedWith) {
        db.close();
        throw this.#closedWith;
      }
      this.#db = db;
      return db;
    } catch (error) {
      throw toStorageError(error, { opening: true });
    }
  }

  /** Another tab wants to upgrade (or delete) the database; an open connection here would stall it. */
  #yieldToOtherTab(blockedVersion: number | null): void {
    this.#db?.close();
    this.#forgetConnection();
    // A deletion (no new version) needs no reload: the next call recreates an empty database.
    if (blockedVersion === null) {
      this.#search.clear();
      return;
    }
    this.#closedWith = new StorageError('blocked', STORAGE_MESSAGES.updatedElsewhere);
    this.#onVersionChange?.(this.#closedWith);
  }

  #forgetConnection(): void {
    this.#db = null;
    this.#connection = null;
  }

  async #run<T>(work: (db: ChatDatabase) => Promise<T>): Promise<T> {
    const db = await this.connect();
    try {
      return await work(db);
    } catch (error) {
      throw this.#closedWith ?? toStorageError(error);
    }
  }

  /** One read-write transaction over `stores` (by default a conversation's), all or nothing. */
  #write<T>(work: (tx: ChatTransaction) => Promise<T>, stores: WriteStore[] = CONVERSATION_STORES): Promise<T> {
    return this.#run((db) => {
      const tx = db.transaction(stores, 'readwrite') as ChatTransaction;
      return inTransaction(tx, () => work(tx));
    });
  }

  #announce(change: StorageChange): void {
    if (this.#closedWith) return;
    this.#channel?.postMessage(change);
  }

  #heard(data: unknown): void {
    if (!isStorageChange(data)) return;
    this.#search.markStale(data.conversationIds);
    for (const listener of this.#listeners) {
      try {
        listener(data);
      } catch (error) {
        // One failing listener must not keep the others from hearing the change.
        reportError(error);
      }
    }
  }

  async listConversations(): Promise<ConversationRecord[]> {
    return this.#run(async (db) => (await db.getAllFromIndex('conversations', 'by-updatedAt')).reverse());
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.#run((db) => db.get('conversations', id));
  }

  async putConversation(conversation: ConversationRecord): Promise<void> {
    const stored = await this.#write(async (tx) => {
      const conversations = tx.objectStore('conversations');
      const next = conversationToStore(conversation, await conversations.get(conversation.id));
      await conversations.put(next);
      return next;
    });
    this.#search.conversationChanged(stored);
    this.#announce({ conversationIds: [conversation.id] });
  }

  renameConversation(id: string, title: string): Promise<ConversationRecord | undefined> {
    return this.#changeConversation(id, (stored) => ({ ...stored, title }));
  }

  setConversationPreset(id: string, presetId: string): Promise<ConversationRecord | undefined> {
    return this.#changeConversation(id, (stored) => withPreset(stored, presetId));
  }

  async #changeConversation(id: string, change: ConversationChange): Promise<ConversationRecord | undefined> {
    const changed = await this.#write((tx) => changeConversation(tx, id, change));
    if (changed) {
      this.#search.conversationChanged(changed);
      this.#announce({ conversationIds: [id] });
    }
    return changed;
  }

  async setActiveLeaf(conversationId: string, leafId: string): Promise<ConversationRecord | undefined> {
    const result = await this.#write(async (tx) => {
      const conversations = tx.objectStore('conversations');
      const [stored, leaf] = await Promise.all([
        conversations.get(conversationId),
        tx.objectStore('messages').get(leafId),
      ]);
      if (!stored || leaf?.conversationId !== conversationId || stored.activeLeafId === leafId) {
        return { conversation: stored, changed: false };
      }
      const next = withActiveLeaf(stored, leafId);
      await conversations.put(next);
      return { conversation: next, changed: true };
    });
    if (result.changed) this.#announce({ conversationIds: [conversationId] });
    return result.conversation;
  }

  async deleteConversation(id: string): Promise<DeletedConversation | undefined> {
    const deleted = await this.#write(async (tx) => {
      const conversations = tx.objectStore('conversations');
      const messages = tx.objectStore('messages');
      const attachmentStore = tx.objectStore('attachments');
      const [conversation, stored, attachments] = await Promise.all([
        conversations.get(id),
        messages.index('by-conversation').getAll(messagesOf(id)),
        attachmentsOf(tx, id),
      ]);
      await requestAll([
        () => conversations.delete(id),
        ...stored.map((message) => () => messages.delete(message.id)),
        ...attachments.map((attachment) => () => attachmentStore.delete(attachment.id)),
      ]);
      return conversation ? { conversation, messages: stored, attachments } : undefined;
    });
    this.#search.conversationReplaced(id, undefined, []);
    this.#announce({ conversationIds: [id] });
    return deleted;
  }

  async restoreConversation(deleted: DeletedConversation): Promise<void> {
    const { conversation, messages, attachments } = deleted;
    await this.#write(async (tx) => {
      const messageStore = tx.objectStore('messages');
      const attachmentStore = tx.objectStore('attachments');
      await requestAll([
        () => tx.objectStore('conversations').put(conversation),
        ...messages.map((message) => () => messageStore.put(message)),
        ...attachments.map((attachment) => () => attachmentStore.put(attachment)),
      ]);
    });
    this.#search.conversationReplaced(conversation.id, conversation, messages, attachments);
    this.#announce({ conversationIds: [conversation.id] });
  }

  async listMessages(conversationId: string): Promise<MessageRecord[]> {
    return this.#run((db) => db.getAllFromIndex('messages', 'by-conversation', messagesOf(conversationId)));
  }

  async listNewestMessages(conversationId: string, count: number): Promise<NewestMessages> {
    return this.#run((db) => readNewestMessages(db, conversationId, count));
  }

  async getMessage(id: string): Promise<MessageRecord | undefined> {
    return this.#run((db) => db.get('messages', id));
  }

  putMessage(message: MessageRecord): Promise<void> {
    return this.putMessageWithAttachments(message, []);
  }

  async putMessageWithAttachments(message: MessageRecord, attachments: readonly AttachmentRecord[]): Promise<void> {
    const named = messageWithAttachments(message, attachments);
    const written = await this.#write(async (tx) => {
      const messages = tx.objectStore('messages');
      const conversations = tx.objectStore('conversations');
      const attachmentStore = tx.objectStore('attachments');
      // Both reads are awaited before any write: a write that throws at once must leave no request unobserved.
      const [stored, conversation] = await Promise.all([
        messages.get(message.id),
        conversations.get(message.conversationId),
      ]);
      // Deleted (in another tab, while this one still saved a reply into it): what the user deleted stays deleted.
      if (!conversation) return null;
      const write = planMessageWrite(named, stored, conversation);
      const { conversation: nextConversation } = write;
      await requestAll([
        () => messages.put(write.message),
        ...attachments.map((attachment) => () => attachmentStore.put(attachment)),
        () => (nextConversation ? conversations.put(nextConversation) : undefined),
      ]);
      return write;
    });
    if (!written) return;
    this.#search.messageChanged(written.message);
    for (const attachment of attachments) this.#search.attachmentChanged(attachment);
    if (written.conversation) this.#search.conversationChanged(written.conversation);
    this.#announce({ conversationIds: [message.conversationId], messageIds: [message.id] });
  }

  async listAttachments(conversationId: string): Promise<AttachmentRecord[]> {
    return this.#run((db) => attachmentsOf(db.transaction('attachments'), conversationId));
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    return this.#run((db) => db.get('attachments', id));
  }

  deleteMessage(id: string): Promise<DeletedMessages | undefined> {
    return this.#deleteAround(id, (contents) => planSingleDeletion(contents, id));
  }

  deleteBranch(messageId: string): Promise<DeletedMessages | undefined> {
    return this.#deleteAround(messageId, (contents) => planBranchDeletion(contents, messageId));
  }

  async deleteExchange(conversationId: string): Promise<DeletedMessages | undefined> {
    const plan = await this.#write(async (tx) => {
      const planned = planExchangeDeletion(await readContents(tx, conversationId));
      if (planned) await applyDeletion(tx, planned);
      return planned;
    });
    return this.#deleted(plan);
  }

  async restoreMessages(deleted: DeletedMessages): Promise<boolean> {
    const restored = await this.#write((tx) => applyRestore(tx, deleted));
    if (!restored) return false;
    for (const message of [...deleted.messages, ...deleted.rewritten]) this.#search.messageChanged(message);
    for (const attachment of deleted.attachments) this.#search.attachmentChanged(attachment);
    const conversation = await this.getConversation(deleted.conversationId);
    if (conversation) this.#search.conversationChanged(conversation);
    this.#announce({
      conversationIds: [deleted.conversationId],
      messageIds: [...deleted.messages, ...deleted.rewritten].map(({ id }) => id),
    });
    return true;
  }

  /** A deletion planned over the conversation of message `id`, in one transaction. */
  async #deleteAround(
    id: string,
    planned: (contents: ConversationContents) => DeletionPlan | undefined,
  ): Promise<DeletedMessages | undefined> {
    const plan = await this.#write(async (tx) => {
      const message = await tx.objectStore('messages').get(id);
      if (!message) return undefined;
      const plan = planned(await readContents(tx, message.conversationId));
      if (plan) await applyDeletion(tx, plan);
      return plan;
    });
    return this.#deleted(plan);
  }

  /** Tells the search index and the other tabs what a deletion changed. */
  #deleted(plan: DeletionPlan | undefined): DeletedMessages | undefined {
    if (!plan) return undefined;
    const { deleted } = plan;
    for (const message of deleted.messages) this.#search.messageDeleted(message.id, deleted.conversationId);
    for (const attachment of deleted.attachments) this.#search.attachmentDeleted(attachment.id, deleted.conversationId);
    for (const message of plan.writes) this.#search.messageChanged(message);
    if (plan.conversation) this.#search.conversationChanged(plan.conversation);
    this.#announce({
      conversationIds: [deleted.conversationId],
      messageIds: [...deleted.messages, ...plan.writes].map(({ id }) => id),
    });
    return deleted;
  }

  async deleteMessages(conversationId: string): Promise<void> {
    const conversation = await this.#write(async (tx) => {
      const messages = tx.objectStore('messages');
      const conversations = tx.objectStore('conversations');
      const [ids, stored] = await Promise.all([
        messages.index('by-conversation').getAllKeys(messagesOf(conversationId)),
        conversations.get(conversationId),
      ]);
      const next = stored && withActiveLeaf(stored, undefined);
      await deleteAttachmentsOf(tx, conversationId);
      await requestAll([
        ...ids.map((key) => () => messages.delete(key)),
        () => (next ? conversations.put(next) : undefined),
      ]);
      return next;
    });
    this.#search.conversationReplaced(conversationId, conversation, []);
    this.#announce({ conversationIds: [conversationId] });
  }

  searchConversations(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    return this.#run(() => this.#search.search(query, options));
  }

  prepareSearch(): Promise<void> {
    return this.#run(() => this.#search.prepare());
  }

  async listPresets(): Promise<Preset[]> {
    return this.#run(async (db) => withBuiltIns(await db.getAll('presets')));
  }

  async savePreset(preset: Preset): Promise<Preset> {
    // Checked before any request: a refused preset is the user's mistake, reported as it is.
    const stored = presetToStore(preset);
    await this.#run((db) => db.put('presets', stored));
    this.#announce({ conversationIds: [], presets: true });
    return stored;
  }

  async deletePreset(id: string): Promise<Preset | undefined> {
    checkDeletable(id);
    const deleted = await this.#write(
      async (tx) => {
        const presets = tx.objectStore('presets');
        const stored = await presets.get(id);
        if (stored) await presets.delete(id);
        return stored;
      },
      ['presets'],
    );
    if (deleted) this.#announce({ conversationIds: [], presets: true });
    return deleted;
  }

  async readAllConversations(): Promise<StoredRecords> {
    return this.#run(readAll);
  }

  async importBackup(data: BackupData): Promise<ImportSummary> {
    // Loaded before the transaction opens: awaiting a download inside it would let it commit early.
    const planner = await loadImportPlan();
    const plan = await this.#write((tx) => importInto(tx, data, planner), [...IMPORT_STORES]).catch(
      (error: unknown) => {
        throw importError(error);
      },
    );
    const { conversationRecords, messageRecords, attachmentRecords, presetRecords } = plan;
    const summary = planner.summaryOf(plan);
    for (const conversation of conversationRecords) this.#search.conversationChanged(conversation);
    for (const message of messageRecords) this.#search.messageChanged(message);
    for (const attachment of attachmentRecords) this.#search.attachmentChanged(attachment);
    if (summary.conversationIds.length > 0 || presetRecords.length > 0) {
      this.#announce({ conversationIds: summary.conversationIds, ...(presetRecords.length > 0 && { presets: true }) });
    }
    return summary;
  }

  async measureConversations(): Promise<ConversationsSize> {
    return this.#run(measure);
  }

  async loadSettings(): Promise<Settings> {
    return this.#run(readSettings);
  }

  async updateSettings(changes: SettingsChanges): Promise<Settings> {
    const saved = await this.#run((db) => writeSettingsChanges(db, changes));
    this.#announce({ conversationIds: [], settings: true });
    return saved;
  }

  subscribe(listener: (change: StorageChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closedWith ??= new StorageError('unknown', STORAGE_MESSAGES.closed);
    this.#channel?.close();
    this.#listeners.clear();
    this.#search.clear();
    this.#db?.close();
    this.#forgetConnection();
  }
}

/**
 * Opens the conversations database (creating or upgrading it) and returns the repository over it. Rejects with a
 * StorageError, e.g. kind `unavailable` when the browser refuses this site storage; every method of the repository
 * rejects with a StorageError too, never a raw DOMException.
 */
export async function openChatRepository(options: OpenChatRepositoryOptions = {}): Promise<ChatRepository> {
  const repository = new IdbChatRepository(options.name ?? DB_NAME, options.onVersionChange);
  await repository.connect();
  return repository;
}
