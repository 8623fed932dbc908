/**
 * The search index of one database, next to its own connection: filled from the database on first use, kept current
 * by the notices of what was stored, and told which conversations other tabs changed, to read them again. It runs in
 * the search worker, or on the page where there is no worker.
 */
import type { ConversationRecord } from '../domain/records.js';
import type { ChatDatabase, StoredMessage } from './schema.js';
import {
  SearchIndex,
  toSearchResults,
  type AttachmentText,
  type IndexableAttachment,
  type SearchOptions,
  type SearchPlace,
  type SearchResult,
} from './search-index.js';
import type { SearchNotice } from './search-protocol.js';
import { restoreFromCopy, storeCopy } from './search-copy.js';
import {
  ATTACHMENTS_STORE,
  CONVERSATIONS_PER_READ,
  forEachConversationWithFiles,
  hasAttachments,
  messagesOf,
  untyped,
} from './search-reads.js';

/**
 * How long the index must have been left alone (no change, no search) before its copy is stored: storing 100,000
 * messages' text takes the worker a few hundred milliseconds, which a search must not wait behind, and a reply being
 * streamed changes the index every half second.
 */
export const COPY_DELAY_MS = 2_000;

export interface IndexedSearchOptions {
  /**
   * Start from the stored copy of the index (search-copy.ts) and keep it up to date. Only the worker does: taking
   * and storing a copy of 100,000 messages' text would hold up the page.
   */
  storedCopy?: boolean;
}

export class IndexedSearch {
  readonly #connect: () => Promise<ChatDatabase>;
  readonly #storedCopy: boolean;
  #index: SearchIndex | null = null;
  /** The index changed since its copy was stored (or there is none). */
  #copyOutdated = false;
  #copyTimer: ReturnType<typeof setTimeout> | null = null;
  #building: Promise<void> | null = null;
  #refreshing: Promise<void> | null = null;
  /** Conversations to read again before the next search: changed by another tab, or while the index was busy. */
  readonly #stale = new Set<string>();

  constructor(connect: () => Promise<ChatDatabase>, options: IndexedSearchOptions = {}) {
    this.#connect = connect;
    this.#storedCopy = options.storedCopy === true;
  }

  /** A write can go straight into the index only when no read of the database is under way to overwrite it. */
  apply(notice: SearchNotice): void {
    this.#copyChanged();
    if (notice.type === 'stale') {
      this.#markStale(notice.conversationIds);
      return;
    }
    const index = this.#index;
    if (!index || this.#building !== null || this.#refreshing !== null) {
      this.#markStale([notice.type === 'conversation-changed' ? notice.conversation.id : conversationOf(notice)]);
      return;
    }
    switch (notice.type) {
      case 'conversation-changed':
        return index.setConversation(notice.conversation);
      case 'message-changed':
        return index.setMessage(notice.message);
      case 'message-deleted':
        return index.deleteMessage(notice.id);
      case 'attachment-changed':
        return index.setAttachment(notice.attachment);
      case 'attachment-deleted':
        return index.deleteAttachment(notice.id);
      case 'conversation-replaced':
        return index.replaceConversation(notice.id, notice.conversation, notice.messages, notice.attachments);
    }
  }

  async prepare(): Promise<void> {
    await this.#ready();
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    const index = await this.#ready();
    this.#postponeCopy();
    const { terms, hits } = index.find(query, options);
    const places = hits.flatMap((hit) => hit.places);
    if (places.length === 0) return toSearchResults(hits, terms, () => undefined);
    const texts = await readMatchedTexts(await this.#connect(), places);
    return toSearchResults(hits, terms, texts.contentOf, texts.attachmentOf);
  }

  /** Drops the index (and its memory); the next search fills it again. */
  clear(): void {
    this.#index = null;
    this.#stale.clear();
    this.#copyOutdated = false;
    if (this.#copyTimer !== null) clearTimeout(this.#copyTimer);
    this.#copyTimer = null;
  }

  /** Nothing to do while there is no index: when it is filled, it reads what is stored then. */
  #markStale(conversationIds: readonly string[]): void {
    if (!this.#index && !this.#building) return;
    for (const id of conversationIds) this.#stale.add(id);
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
    const restored = this.#storedCopy ? await restoreFromCopy(db) : null;
    if (restored) {
      const { index } = restored;
      const changed = restored.changed.map((conversation) => conversation.id);
      // In bounded groups, as a build reads them, so that no read holds up a reply being saved for long.
      for (let start = 0; start < changed.length; start += CONVERSATIONS_PER_READ) {
        const rows = await readConversations(db, changed.slice(start, start + CONVERSATIONS_PER_READ));
        for (const row of rows) index.replaceConversation(row.id, row.conversation, row.messages, row.attachments);
      }
      this.#index = index;
      if (restored.outdated) this.#copyChanged();
      return;
    }
    const index = new SearchIndex();
    await forEachConversationWithFiles(db, (conversation, messages, attachments) =>
      index.replaceConversation(conversation.id, conversation, messages, attachments),
    );
    this.#index = index;
    this.#copyChanged();
  }

  async #refresh(index: SearchIndex): Promise<void> {
    const ids = [...this.#stale];
    this.#stale.clear();
    try {
      const rows = await readConversations(await this.#connect(), ids);
      for (const row of rows) index.replaceConversation(row.id, row.conversation, row.messages, row.attachments);
      this.#copyChanged();
    } catch (error) {
      for (const id of ids) this.#stale.add(id);
      throw error;
    }
  }

  /** The index changed: its copy is stored once it has been left alone for a while. */
  #copyChanged(): void {
    if (!this.#storedCopy) return;
    this.#copyOutdated = true;
    this.#postponeCopy();
  }

  #postponeCopy(): void {
    if (!this.#copyOutdated) return;
    if (this.#copyTimer !== null) clearTimeout(this.#copyTimer);
    this.#copyTimer = setTimeout(() => {
      this.#copyTimer = null;
      void this.#storeCopy();
    }, COPY_DELAY_MS);
  }

  async #storeCopy(): Promise<void> {
    const index = this.#index;
    if (!index || !this.#copyOutdated) return;
    // What is being read into the index is not in it yet: the copy waits until it is.
    if (this.#building !== null || this.#refreshing !== null) {
      this.#postponeCopy();
      return;
    }
    this.#copyOutdated = false;
    // Conversations to be read again are left out of the copy, so that the next start reads them too.
    const snapshot = index.snapshot().filter((conversation) => !this.#stale.has(conversation.id));
    try {
      await storeCopy(await this.#connect(), snapshot);
    } catch {
      // Only a cache (the disk is full, or the database closed): the next start builds the index afresh, and a
      // later change tries to store it again.
      this.#copyOutdated = true;
    }
  }
}

function conversationOf(notice: Exclude<SearchNotice, { type: 'stale' | 'conversation-changed' }>): string {
  switch (notice.type) {
    case 'message-changed':
      return notice.message.conversationId;
    case 'attachment-changed':
      return notice.attachment.conversationId;
    case 'message-deleted':
    case 'attachment-deleted':
      return notice.conversationId;
    case 'conversation-replaced':
      return notice.id;
  }
}

export interface StoredConversation {
  id: string;
  /** Absent when the conversation no longer exists. */
  conversation: ConversationRecord | undefined;
  messages: StoredMessage[];
  attachments: IndexableAttachment[];
}

/** The conversations as they are stored now, in one transaction. */
export async function readConversations(db: ChatDatabase, ids: readonly string[]): Promise<StoredConversation[]> {
  const withFiles = hasAttachments(db);
  const tx = untyped(db).transaction(['conversations', 'messages', ...(withFiles ? [ATTACHMENTS_STORE] : [])]);
  const conversations = tx.objectStore('conversations');
  const messages = tx.objectStore('messages').index('by-conversation');
  const files = withFiles ? tx.objectStore(ATTACHMENTS_STORE).index('by-conversation') : null;
  return Promise.all(
    ids.map(async (id) => {
      const [conversation, stored, attached] = await Promise.all([
        conversations.get(id) as Promise<ConversationRecord | undefined>,
        messages.getAll(messagesOf(id)) as Promise<StoredMessage[]>,
        files ? (files.getAll(id) as Promise<IndexableAttachment[]>) : [],
      ]);
      return { id, conversation, messages: stored, attachments: attached };
    }),
  );
}

export interface MatchedTexts {
  contentOf(messageId: string): string | undefined;
  attachmentOf(attachmentId: string): AttachmentText | undefined;
}

/** The original text of the matched messages and files, to cut their snippets from. */
export async function readMatchedTexts(db: ChatDatabase, places: readonly SearchPlace[]): Promise<MatchedTexts> {
  const messageIds = places.filter((place) => place.attachmentId === undefined).map((place) => place.messageId);
  const attachmentIds = places.flatMap((place) => (place.attachmentId === undefined ? [] : [place.attachmentId]));
  const content = new Map<string, string>();
  const files = new Map<string, AttachmentText>();
  if (messageIds.length > 0 || attachmentIds.length > 0) {
    const withFiles = attachmentIds.length > 0 && hasAttachments(db);
    const tx = untyped(db).transaction(['messages', ...(withFiles ? [ATTACHMENTS_STORE] : [])]);
    const messages = tx.objectStore('messages');
    const attachments = withFiles ? tx.objectStore(ATTACHMENTS_STORE) : null;
    await Promise.all([
      ...messageIds.map(async (id) => {
        const record = (await messages.get(id)) as StoredMessage | undefined;
        if (record) content.set(id, record.content);
      }),
      ...(attachments ? attachmentIds : []).map(async (id) => {
        const record = (await attachments?.get(id)) as IndexableAttachment | undefined;
        if (record) files.set(id, { name: record.name, text: record.text });
      }),
    ]);
  }
  return { contentOf: (id) => content.get(id), attachmentOf: (id) => files.get(id) };
}
