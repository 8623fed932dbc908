import type { IDBPTransaction, StoreNames } from 'idb';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import { type Settings, type SettingsChanges, applySettingsChanges, mergeSettings } from '../domain/settings.js';
import type { BackupData } from './backup.js';
import type { ImportSummary } from './import-plan.js';
import { loadImportPlan } from './import-plan-loader.js';
import { STORAGE_MESSAGES, StorageError, toStorageError } from './errors.js';
import { forEachConversation, messagesOf } from './conversation-reads.js';
import { LazyIdbSearch } from './lazy-search.js';
import { DB_VERSION, openDatabaseAtVersion } from './migrations.js';
import {
  conversationToStore,
  planMessageDeletion,
  planMessageWrite,
  withActiveLeaf,
  type DeletedConversation,
} from './records.js';
import { DB_NAME, SETTINGS_KEY, type ChatDatabase, type ChatDBSchema } from './schema.js';
import type { SearchOptions, SearchResult } from './search-index.js';
import { approximateSize } from './size.js';
import type { ChatRepository, ConversationsSize, NewestMessages, StorageChange } from './types.js';

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

type ChatTransaction = IDBPTransaction<ChatDBSchema, ('conversations' | 'messages')[], 'readwrite'>;

/**
 * Runs `work` in `tx` and waits for the commit. If `work` fails, the transaction is aborted so none of its writes
 * land: a transaction is all or nothing.
 */
async function inTransaction<T>(
  tx: Pick<IDBPTransaction<ChatDBSchema, StoreNames<ChatDBSchema>[], 'readwrite'>, 'done' | 'abort'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    // The abort rejects `done`; the error that caused it is the one to report.
    tx.done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // Already aborted by the failure itself.
    }
    throw error;
  }
}

/** A request to make, or undefined for none. */
type Request = () => Promise<unknown> | undefined;

/**
 * Makes the requests in order and waits for them all. A request can throw at once (a full disk does): the ones
 * already made then still get a handler, or their rejection by the abort would go unobserved.
 */
async function requestAll(requests: readonly Request[]): Promise<void> {
  const made: Promise<unknown>[] = [];
  try {
    for (const request of requests) {
      const pending = request();
      if (pending) made.push(pending);
    }
  } catch (error) {
    for (const pending of made) pending.catch(() => undefined);
    throw error;
  }
  await Promise.all(made);
}

function importError(error: unknown): unknown {
  return error instanceof StorageError && error.kind === 'quota'
    ? new StorageError('quota', STORAGE_MESSAGES.importQuota, { cause: error.cause })
    : error;
}

function isStorageChange(data: unknown): data is StorageChange {
  if (typeof data !== 'object' || data === null) return false;
  const { conversationIds, messageIds } = data as Partial<Record<keyof StorageChange, unknown>>;
  const isIds = (value: unknown) => Array.isArray(value) && value.every((id) => typeof id === 'string');
  return isIds(conversationIds) && (messageIds === undefined || isIds(messageIds));
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

  /** One read-write transaction over conversations and messages, all or nothing. */
  #write<T>(work: (tx: ChatTransaction) => Promise<T>): Promise<T> {
    return this.#run((db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
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

  async renameConversation(id: string, title: string): Promise<ConversationRecord | undefined> {
    const renamed = await this.#write(async (tx) => {
      const conversations = tx.objectStore('conversations');
      const stored = await conversations.get(id);
      if (!stored) return undefined;
      const next = { ...stored, title };
      await conversations.put(next);
      return next;
    });
    if (renamed) {
      this.#search.conversationChanged(renamed);
      this.#announce({ conversationIds: [id] });
    }
    return renamed;
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
      const [conversation, stored] = await Promise.all([
        conversations.get(id),
        messages.index('by-conversation').getAll(messagesOf(id)),
      ]);
      await requestAll([() => conversations.delete(id), ...stored.map((message) => () => messages.delete(message.id))]);
      return conversation ? { conversation, messages: stored } : undefined;
    });
    this.#search.conversationReplaced(id, undefined, []);
    this.#announce({ conversationIds: [id] });
    return deleted;
  }

  async restoreConversation(deleted: DeletedConversation): Promise<void> {
    const { conversation, messages } = deleted;
    await this.#write(async (tx) => {
      const messageStore = tx.objectStore('messages');
      await requestAll([
        () => tx.objectStore('conversations').put(conversation),
        ...messages.map((message) => () => messageStore.put(message)),
      ]);
    });
    this.#search.conversationReplaced(conversation.id, conversation, messages);
    this.#announce({ conversationIds: [conversation.id] });
  }

  async listMessages(conversationId: string): Promise<MessageRecord[]> {
    return this.#run((db) => db.getAllFromIndex('messages', 'by-conversation', messagesOf(conversationId)));
  }

  async listNewestMessages(conversationId: string, count: number): Promise<NewestMessages> {
    return this.#run(async (db) => {
      const index = db.transaction('messages').store.index('by-conversation');
      const range = messagesOf(conversationId);
      // Reading all of a 5,000-message conversation takes most of 100 ms; stepping a key cursor back over `count`
      // entries is one request, and one getAll then reads the values from there on.
      const newest = await index.openKeyCursor(range, 'prev');
      const beyond = newest && count > 0 ? await newest.advance(count) : newest;
      if (!beyond) return { messages: await index.getAll(range), complete: true };
      const [, createdAt] = beyond.key;
      const from = IDBKeyRange.bound([conversationId, createdAt], [conversationId, Number.POSITIVE_INFINITY], true);
      return { messages: await index.getAll(from), complete: false };
    });
  }

  async getMessage(id: string): Promise<MessageRecord | undefined> {
    return this.#run((db) => db.get('messages', id));
  }

  async putMessage(message: MessageRecord): Promise<void> {
    const written = await this.#write(async (tx) => {
      const messages = tx.objectStore('messages');
      const conversations = tx.objectStore('conversations');
      // Both reads are awaited before any write: a write that throws at once must leave no request unobserved.
      const [stored, conversation] = await Promise.all([
        messages.get(message.id),
        conversations.get(message.conversationId),
      ]);
      // Deleted (in another tab, while this one still saved a reply into it): what the user deleted stays deleted.
      if (!conversation) return null;
      const write = planMessageWrite(message, stored, conversation);
      const { conversation: nextConversation } = write;
      await requestAll([
        () => messages.put(write.message),
        () => (nextConversation ? conversations.put(nextConversation) : undefined),
      ]);
      return write;
    });
    if (!written) return;
    this.#search.messageChanged(written.message);
    if (written.conversation) this.#search.conversationChanged(written.conversation);
    this.#announce({ conversationIds: [message.conversationId], messageIds: [message.id] });
  }

  async deleteMessage(id: string): Promise<void> {
    const deleted = await this.#write(async (tx) => {
      const messages = tx.objectStore('messages');
      const conversations = tx.objectStore('conversations');
      const message = await messages.get(id);
      if (!message) return undefined;
      const [inConversation, conversation] = await Promise.all([
        messages.index('by-conversation').getAll(messagesOf(message.conversationId)),
        conversations.get(message.conversationId),
      ]);
      const children = inConversation.filter((other) => other.parentId === id);
      const plan = planMessageDeletion(message, children, conversation);
      const { conversation: nextConversation } = plan;
      await requestAll([
        () => messages.delete(id),
        ...plan.children.map((child) => () => messages.put(child)),
        () => (nextConversation ? conversations.put(nextConversation) : undefined),
      ]);
      return { message, children: plan.children };
    });
    if (!deleted) return;
    this.#search.messageDeleted(id, deleted.message.conversationId);
    this.#announce({
      conversationIds: [deleted.message.conversationId],
      messageIds: [id, ...deleted.children.map((child) => child.id)],
    });
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

  async readAllConversations(): Promise<{ conversations: ConversationRecord[]; messages: MessageRecord[] }> {
    return this.#run(async (db) => {
      const tx = db.transaction(['conversations', 'messages']);
      const [conversations, messages] = await Promise.all([
        tx.objectStore('conversations').index('by-updatedAt').getAll(),
        tx.objectStore('messages').index('by-conversation').getAll(),
      ]);
      return { conversations: conversations.reverse(), messages };
    });
  }

  async importBackup(data: BackupData): Promise<ImportSummary> {
    // Loaded before the transaction opens: awaiting a download inside it would let it commit early.
    const { conversationsToCompare, planImport } = await loadImportPlan();
    const plan = await this.#write(async (tx) => {
      const conversations = tx.objectStore('conversations');
      const messages = tx.objectStore('messages');
      const [stored, messageKeys] = await Promise.all([conversations.getAll(), messages.getAllKeys()]);
      const byConversation = messages.index('by-conversation');
      const lookalikes = await Promise.all(
        conversationsToCompare(data, stored).map(async (conversation) => ({
          conversation,
          messages: await byConversation.getAll(messagesOf(conversation.id)),
        })),
      );
      const planned = planImport(
        data,
        { conversationIds: new Set(stored.map(({ id }) => id)), messageIds: new Set(messageKeys), lookalikes },
        () => crypto.randomUUID(),
      );
      // `add`, not `put`: should an id still collide, the import fails whole instead of overwriting anything.
      await requestAll([
        ...planned.conversationRecords.map((conversation) => () => conversations.add(conversation)),
        ...planned.messageRecords.map((message) => () => messages.add(message)),
      ]);
      return planned;
    }).catch((error: unknown) => {
      throw importError(error);
    });
    const { conversationRecords, messageRecords, ...summary } = plan;
    for (const conversation of conversationRecords) this.#search.conversationChanged(conversation);
    for (const message of messageRecords) this.#search.messageChanged(message);
    if (summary.conversationIds.length > 0) this.#announce({ conversationIds: summary.conversationIds });
    return summary;
  }

  async measureConversations(): Promise<ConversationsSize> {
    return this.#run(async (db) => {
      const size = { conversations: 0, messages: 0, approximateBytes: 0 };
      await forEachConversation(db, (conversation, messages) => {
        size.conversations++;
        size.messages += messages.length;
        size.approximateBytes += approximateSize([conversation]) + approximateSize(messages);
      });
      return size;
    });
  }

  async loadSettings(): Promise<Settings> {
    return this.#run(async (db) => mergeSettings(await db.get('settings', SETTINGS_KEY)));
  }

  async updateSettings(changes: SettingsChanges): Promise<Settings> {
    const saved = await this.#run((db) => {
      // Read and written in one transaction: another tab's change to other fields, in between, stays.
      const tx = db.transaction('settings', 'readwrite');
      return inTransaction(tx, async () => {
        const next = applySettingsChanges(mergeSettings(await tx.store.get(SETTINGS_KEY)), changes);
        await tx.store.put(next, SETTINGS_KEY);
        return next;
      });
    });
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
