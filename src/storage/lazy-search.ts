/**
 * The repository's search, loaded on the first search (or when the app builds the index while idle), so the search
 * code is not part of the first screen's JavaScript. Until it is loaded there is no index, and change notices have
 * nothing to update: the index, once built, reads what is stored then, exactly as `IdbSearch` does before its build.
 */
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import { StorageError } from './errors.js';
import type { IdbSearch } from './idb-search.js';
import type { ChatDatabase } from './schema.js';
import type { IndexableAttachment, SearchOptions, SearchResult } from './search-index.js';

export const SEARCH_LOAD_FAILED =
  'Search could not be loaded. Check your connection, then search again; your conversations are safe.';

export class LazyIdbSearch {
  readonly #connect: () => Promise<ChatDatabase>;
  #search: IdbSearch | null = null;
  #loading: Promise<IdbSearch> | null = null;

  constructor(connect: () => Promise<ChatDatabase>) {
    this.#connect = connect;
  }

  conversationChanged(conversation: ConversationRecord): void {
    this.#search?.conversationChanged(conversation);
  }

  messageChanged(message: MessageRecord): void {
    this.#search?.messageChanged(message);
  }

  messageDeleted(id: string, conversationId: string): void {
    this.#search?.messageDeleted(id, conversationId);
  }

  attachmentChanged(attachment: IndexableAttachment): void {
    this.#search?.attachmentChanged(attachment);
  }

  attachmentDeleted(id: string, conversationId: string): void {
    this.#search?.attachmentDeleted(id, conversationId);
  }

  conversationReplaced(
    id: string,
    conversation: ConversationRecord | undefined,
    messages: readonly MessageRecord[],
    attachments: readonly IndexableAttachment[] = [],
  ): void {
    this.#search?.conversationReplaced(id, conversation, messages, attachments);
  }

  markStale(conversationIds: readonly string[]): void {
    this.#search?.markStale(conversationIds);
  }

  clear(): void {
    this.#search?.clear();
  }

  async prepare(): Promise<void> {
    await (await this.#load()).prepare();
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    return (await this.#load()).search(query, options);
  }

  #load(): Promise<IdbSearch> {
    this.#loading ??= import('./idb-search.js').then(
      ({ IdbSearch }) => (this.#search = new IdbSearch(this.#connect)),
      (error: unknown) => {
        // Not cached: the next search tries the download again.
        this.#loading = null;
        throw new StorageError('unknown', SEARCH_LOAD_FAILED, { cause: error });
      },
    );
    return this.#loading;
  }
}
