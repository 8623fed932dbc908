import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { ConversationRecord, MessageRecord, Settings } from '../state/types.js';
import { STORAGE_MESSAGES, StorageError, toStorageError } from './errors.js';
import { DB_VERSION, openDatabaseAtVersion } from './migrations.js';
import { DB_NAME, SETTINGS_KEY, type ChatDatabase, type ChatDBSchema } from './schema.js';
import { mergeSettings } from './settings.js';
import type { ChatRepository } from './types.js';

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

type MessagesStore = IDBPObjectStore<ChatDBSchema, ArrayLike<StoreNames<ChatDBSchema>>, 'messages', 'readwrite'>;

function messagesOf(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, Number.NEGATIVE_INFINITY], [conversationId, Number.POSITIVE_INFINITY]);
}

async function deleteMessagesIn(store: MessagesStore, conversationId: string): Promise<void> {
  const ids = await store.index('by-conversation').getAllKeys(messagesOf(conversationId));
  await Promise.all(ids.map((id) => store.delete(id)));
}

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

class IdbChatRepository implements ChatRepository {
  readonly #name: string;
  readonly #onVersionChange: ((error: StorageError) => void) | undefined;
  #connection: Promise<ChatDatabase> | null = null;
  /** The open connection, kept so `close()` and a version change can close it at once. */
  #db: ChatDatabase | null = null;
  /** Set once this repository must not reconnect: every call fails with it. */
  #closedWith: StorageError | null = null;

  constructor(name: string, onVersionChange: ((error: StorageError) => void) | undefined) {
    this.#name = name;
    this.#onVersionChange = onVersionChange;
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
    if (blockedVersion === null) return;
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

  async listConversations(): Promise<ConversationRecord[]> {
    return this.#run(async (db) => (await db.getAllFromIndex('conversations', 'by-updatedAt')).reverse());
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.#run((db) => db.get('conversations', id));
  }

  async putConversation(conversation: ConversationRecord): Promise<void> {
    await this.#run((db) => db.put('conversations', conversation));
  }

  async deleteConversation(id: string): Promise<void> {
    await this.#run((db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      return inTransaction(tx, async () => {
        await Promise.all([
          tx.objectStore('conversations').delete(id),
          deleteMessagesIn(tx.objectStore('messages'), id),
        ]);
      });
    });
  }

  async listMessages(conversationId: string): Promise<MessageRecord[]> {
    return this.#run((db) => db.getAllFromIndex('messages', 'by-conversation', messagesOf(conversationId)));
  }

  /** The conversation's `updatedAt` moves to the message's, never backwards. */
  async putMessage(message: MessageRecord): Promise<void> {
    await this.#run((db) => {
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      return inTransaction(tx, async () => {
        const conversations = tx.objectStore('conversations');
        // The write first: if it throws at once, no read is left pending to reject unobserved after the abort.
        const [, conversation] = await Promise.all([
          tx.objectStore('messages').put(message),
          conversations.get(message.conversationId),
        ]);
        if (conversation && conversation.updatedAt < message.updatedAt) {
          await conversations.put({ ...conversation, updatedAt: message.updatedAt });
        }
      });
    });
  }

  async deleteMessage(id: string): Promise<void> {
    await this.#run((db) => db.delete('messages', id));
  }

  async deleteMessages(conversationId: string): Promise<void> {
    await this.#run((db) => {
      const tx = db.transaction(['messages'], 'readwrite');
      return inTransaction(tx, () => deleteMessagesIn(tx.objectStore('messages'), conversationId));
    });
  }

  async loadSettings(): Promise<Settings> {
    return this.#run(async (db) => mergeSettings(await db.get('settings', SETTINGS_KEY)));
  }

  async saveSettings(settings: Settings): Promise<void> {
    await this.#run((db) => db.put('settings', settings, SETTINGS_KEY));
  }

  close(): void {
    this.#closedWith ??= new StorageError('unknown', STORAGE_MESSAGES.closed);
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
