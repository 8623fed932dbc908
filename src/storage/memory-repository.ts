import { DEFAULT_SETTINGS, type Settings, type SettingsChanges, applySettingsChanges } from '../domain/settings.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { BackupData } from './backup.js';
import { conversationsToCompare, planImport, type ImportSummary } from './import-plan.js';
import {
  conversationToStore,
  planMessageDeletion,
  planMessageWrite,
  withActiveLeaf,
  type DeletedConversation,
} from './records.js';
import type { StoredMessage } from './schema.js';
import { SearchIndex, toSearchResults, type SearchOptions, type SearchResult } from './search-index.js';
import { approximateSize } from './size.js';
import type { ChatRepository, ConversationsSize, NewestMessages, StorageChange } from './types.js';

function byCreation(a: MessageRecord, b: MessageRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A ChatRepository that keeps everything in memory, with the same rules as the IndexedDB one (shared through
 * `records.ts`). Like IndexedDB, it stores and hands out copies, so no caller can change a record behind its back.
 * The app falls back to it when the browser refuses IndexedDB (and says so), so chatting still works in that tab.
 * Only one tab can see it, so `subscribe` never reports anything.
 */
export class MemoryRepository implements ChatRepository {
  protected readonly conversations = new Map<string, ConversationRecord>();
  protected readonly messages = new Map<string, MessageRecord>();
  protected settings: Settings = DEFAULT_SETTINGS;

  async listConversations(): Promise<ConversationRecord[]> {
    return structuredClone([...this.conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt));
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return structuredClone(this.conversations.get(id));
  }

  async putConversation(conversation: ConversationRecord): Promise<void> {
    const stored = conversationToStore(structuredClone(conversation), this.conversations.get(conversation.id));
    this.conversations.set(conversation.id, stored);
  }

  async renameConversation(id: string, title: string): Promise<ConversationRecord | undefined> {
    const stored = this.conversations.get(id);
    if (!stored) return undefined;
    const renamed = { ...stored, title };
    this.conversations.set(id, renamed);
    return structuredClone(renamed);
  }

  async setActiveLeaf(conversationId: string, leafId: string): Promise<ConversationRecord | undefined> {
    const stored = this.conversations.get(conversationId);
    if (!stored || this.messages.get(leafId)?.conversationId !== conversationId) return structuredClone(stored);
    const next = withActiveLeaf(stored, leafId);
    this.conversations.set(conversationId, next);
    return structuredClone(next);
  }

  async deleteConversation(id: string): Promise<DeletedConversation | undefined> {
    const conversation = this.conversations.get(id);
    const messages = this.#messagesOf(id);
    this.conversations.delete(id);
    for (const message of messages) this.messages.delete(message.id);
    return conversation ? { conversation, messages } : undefined;
  }

  async restoreConversation(deleted: DeletedConversation): Promise<void> {
    this.conversations.set(deleted.conversation.id, structuredClone(deleted.conversation));
    for (const message of deleted.messages) this.messages.set(message.id, structuredClone(message));
  }

  async listMessages(conversationId: string): Promise<MessageRecord[]> {
    return this.#messagesOf(conversationId);
  }

  async listNewestMessages(conversationId: string, count: number): Promise<NewestMessages> {
    const messages = this.#messagesOf(conversationId);
    if (messages.length <= count) return { messages, complete: true };
    // As in IndexedDB, which reads on from a creation time: the messages created in the same millisecond as the
    // newest one left out are left out with it.
    const newestLeftOut = messages[messages.length - count - 1]?.createdAt ?? -Infinity;
    return { messages: messages.filter((message) => message.createdAt > newestLeftOut), complete: false };
  }

  async getMessage(id: string): Promise<MessageRecord | undefined> {
    return structuredClone(this.messages.get(id));
  }

  async putMessage(message: MessageRecord): Promise<void> {
    const conversation = this.conversations.get(message.conversationId);
    // As in IndexedDB: a message of a deleted conversation is not written.
    if (!conversation) return;
    const write = planMessageWrite(structuredClone(message), this.messages.get(message.id), conversation);
    this.messages.set(message.id, write.message);
    if (write.conversation) this.conversations.set(write.conversation.id, write.conversation);
  }

  async deleteMessage(id: string): Promise<void> {
    const message = this.messages.get(id);
    if (!message) return;
    const stored = this.#messagesOf(message.conversationId);
    const plan = planMessageDeletion(
      { ...message, parentId: message.parentId ?? null },
      stored.filter((other) => other.parentId === id),
      this.conversations.get(message.conversationId),
    );
    this.messages.delete(id);
    for (const child of plan.children) this.messages.set(child.id, child);
    if (plan.conversation) this.conversations.set(plan.conversation.id, plan.conversation);
  }

  async deleteMessages(conversationId: string): Promise<void> {
    for (const message of this.#messagesOf(conversationId)) this.messages.delete(message.id);
    const conversation = this.conversations.get(conversationId);
    if (conversation) this.conversations.set(conversationId, withActiveLeaf(conversation, undefined));
  }

  /** Builds the index for each query: this fallback holds one tab's conversations, not a hundred thousand. */
  async searchConversations(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    const index = new SearchIndex();
    for (const conversation of this.conversations.values()) index.setConversation(conversation);
    for (const message of this.messages.values()) index.setMessage(message);
    const { terms, hits } = index.find(query, options);
    return toSearchResults(hits, terms, (id) => this.messages.get(id)?.content);
  }

  async prepareSearch(): Promise<void> {}

  async readAllConversations(): Promise<{ conversations: ConversationRecord[]; messages: MessageRecord[] }> {
    const conversations = await this.listConversations();
    const messages = [...this.messages.values()].sort((a, b) =>
      a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : byCreation(a, b),
    );
    return structuredClone({ conversations, messages });
  }

  async importBackup(data: BackupData): Promise<ImportSummary> {
    const { conversationRecords, messageRecords, ...summary } = planImport(
      data,
      {
        conversationIds: new Set(this.conversations.keys()),
        messageIds: new Set(this.messages.keys()),
        lookalikes: conversationsToCompare(data, [...this.conversations.values()]).map((conversation) => ({
          conversation,
          messages: this.#messagesOf(conversation.id),
        })),
      },
      () => crypto.randomUUID(),
    );
    for (const conversation of conversationRecords) this.conversations.set(conversation.id, conversation);
    for (const message of messageRecords) this.messages.set(message.id, message);
    return summary;
  }

  async measureConversations(): Promise<ConversationsSize> {
    return {
      conversations: this.conversations.size,
      messages: this.messages.size,
      approximateBytes:
        approximateSize([...this.conversations.values()]) + approximateSize([...this.messages.values()]),
    };
  }

  async loadSettings(): Promise<Settings> {
    return structuredClone(this.settings);
  }

  async updateSettings(changes: SettingsChanges): Promise<Settings> {
    this.settings = applySettingsChanges(this.settings, structuredClone(changes));
    return structuredClone(this.settings);
  }

  subscribe(_listener: (change: StorageChange) => void): () => void {
    return () => {};
  }

  close(): void {}

  #messagesOf(conversationId: string): StoredMessage[] {
    const messages: StoredMessage[] = [];
    for (const message of this.messages.values()) {
      if (message.conversationId === conversationId)
        messages.push(structuredClone({ ...message, parentId: message.parentId ?? null }));
    }
    return messages.sort(byCreation);
  }
}
