/**
 * The search index of one IndexedDB repository: filled from the database on first use, kept current by the
 * repository's own writes, and told by other tabs' change notices which conversations to read again.
 */
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import { forEachConversation, messagesOf } from './conversation-reads.js';
import type { ChatDatabase } from './schema.js';
import { SearchIndex, toSearchResults, type SearchOptions, type SearchResult } from './search-index.js';

export class IdbSearch {
  readonly #connect: () => Promise<ChatDatabase>;
  #index: SearchIndex | null = null;
  #building: Promise<void> | null = null;
  #refreshing: Promise<void> | null = null;
  /** Conversations to read again before the next search: changed by another tab, or while the index was busy. */
  readonly #stale = new Set<string>();

  constructor(connect: () => Promise<ChatDatabase>) {
    this.#connect = connect;
  }

  conversationChanged(conversation: ConversationRecord): void {
    if (this.#applicable()) this.#index?.setConversation(conversation);
    else this.markStale([conversation.id]);
  }

  messageChanged(message: MessageRecord): void {
    if (this.#applicable()) this.#index?.setMessage(message);
    else this.markStale([message.conversationId]);
  }

  messageDeleted(id: string, conversationId: string): void {
    if (this.#applicable()) this.#index?.deleteMessage(id);
    else this.markStale([conversationId]);
  }

  /** The conversation now holds exactly this (`undefined`: it is gone). */
  conversationReplaced(
    id: string,
    conversation: ConversationRecord | undefined,
    messages: readonly MessageRecord[],
  ): void {
    if (this.#applicable()) this.#index?.replaceConversation(id, conversation, messages);
    else this.markStale([id]);
  }

  /** Nothing to do while there is no index: when it is filled, it reads what is stored then. */
  markStale(conversationIds: readonly string[]): void {
    if (!this.#index && !this.#building) return;
    for (const id of conversationIds) this.#stale.add(id);
  }

  async prepare(): Promise<void> {
    await this.#ready();
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    const index = await this.#ready();
    const { terms, hits } = index.find(query, options);
    const ids = hits.flatMap((hit) => hit.messageIds);
    if (ids.length === 0) return toSearchResults(hits, terms, () => undefined);
    const db = await this.#connect();
    const store = db.transaction('messages').store;
    const records = await Promise.all(ids.map((id) => store.get(id)));
    const content = new Map(records.flatMap((record) => (record ? [[record.id, record.content] as const] : [])));
    return toSearchResults(hits, terms, (id) => content.get(id));
  }

  /** Drops the index (and its memory); the next search fills it again. */
  clear(): void {
    this.#index = null;
    this.#stale.clear();
  }

  /** A write can go straight into the index only when no read of the database is under way to overwrite it. */
  #applicable(): boolean {
    return this.#index !== null && this.#building === null && this.#refreshing === null;
  }

  async #ready(): Promise<SearchIndex> {
    // Bounded: a tab streaming into a conversation marks it stale every half second; a search must still answer.
    for (let round = 0; ; round++) {
      if (this.#building) {
        await this.#building;
      } else if (!this.#index) {
        this.#building = this.#build().finally(() => (this.#building = null));
      } else if (this.#refreshing) {
        await this.#refreshing;
      } else if (this.#stale.size === 0 || round > 4) {
        return this.#index;
      } else {
        this.#refreshing = this.#refresh(this.#index).finally(() => (this.#refreshing = null));
      }
    }
  }

  async #build(): Promise<void> {
    const db = await this.#connect();
    const index = new SearchIndex();
    await forEachConversation(db, (conversation, messages) =>
      index.replaceConversation(conversation.id, conversation, messages),
    );
    this.#index = index;
  }

  async #refresh(index: SearchIndex): Promise<void> {
    const ids = [...this.#stale];
    this.#stale.clear();
    try {
      const db = await this.#connect();
      const tx = db.transaction(['conversations', 'messages']);
      const conversations = tx.objectStore('conversations');
      const messages = tx.objectStore('messages').index('by-conversation');
      const rows = await Promise.all(
        ids.map(async (id) => {
          const [conversation, stored] = await Promise.all([conversations.get(id), messages.getAll(messagesOf(id))]);
          return { id, conversation, stored };
        }),
      );
      for (const { id, conversation, stored } of rows) index.replaceConversation(id, conversation, stored);
    } catch (error) {
      for (const id of ids) this.#stale.add(id);
      throw error;
    }
  }
}
