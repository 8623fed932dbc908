import type { AttachmentRecord } from '../domain/attachments.js';
import { withPreset, type Preset } from '../domain/presets.js';
import { DEFAULT_SETTINGS, type Settings, type SettingsChanges, applySettingsChanges } from '../domain/settings.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { BackupData } from './backup.js';
import {
  planBranchDeletion,
  planExchangeDeletion,
  planRestore,
  planSingleDeletion,
  type ConversationContents,
  type DeletedMessages,
  type DeletionPlan,
} from './deletions.js';
import { conversationsToCompare, planImport, type ImportSummary } from './import-plan.js';
import { checkDeletable, presetToStore, withBuiltIns } from './presets.js';
import {
  byAttachmentCreation,
  conversationToStore,
  messageWithAttachments,
  planMessageWrite,
  withActiveLeaf,
  type DeletedConversation,
} from './records.js';
import type { StoredMessage } from './schema.js';
import { SearchIndex, toSearchResults, type SearchOptions, type SearchResult } from './search-index.js';
import { approximateSize, attachmentsSize } from './size.js';
import type { ChatRepository, ConversationsSize, NewestMessages, StorageChange, StoredRecords } from './types.js';

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
  protected readonly attachments = new Map<string, AttachmentRecord>();
  /** The user's own presets; the built-ins come from code. */
  protected readonly presets = new Map<string, Preset>();
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
    return this.#changeConversation(id, (stored) => ({ ...stored, title }));
  }

  async setConversationPreset(id: string, presetId: string): Promise<ConversationRecord | undefined> {
    return this.#changeConversation(id, (stored) => withPreset(stored, presetId));
  }

  #changeConversation(
    id: string,
    change: (stored: ConversationRecord) => ConversationRecord,
  ): ConversationRecord | undefined {
    const stored = this.conversations.get(id);
    if (!stored) return undefined;
    const changed = change(stored);
    this.conversations.set(id, changed);
    return structuredClone(changed);
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
    const attachments = this.#attachmentsOf(id);
    this.conversations.delete(id);
    for (const message of messages) this.messages.delete(message.id);
    for (const attachment of attachments) this.attachments.delete(attachment.id);
    return conversation ? { conversation, messages, attachments } : undefined;
  }

  async restoreConversation(deleted: DeletedConversation): Promise<void> {
    this.conversations.set(deleted.conversation.id, structuredClone(deleted.conversation));
    for (const message of deleted.messages) this.messages.set(message.id, structuredClone(message));
    for (const attachment of deleted.attachments) this.attachments.set(attachment.id, structuredClone(attachment));
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

  async putMessageWithAttachments(message: MessageRecord, attachments: readonly AttachmentRecord[]): Promise<void> {
    const named = messageWithAttachments(message, attachments);
    if (!this.conversations.has(message.conversationId)) return;
    await this.putMessage(named);
    for (const attachment of attachments) this.attachments.set(attachment.id, structuredClone(attachment));
  }

  async listAttachments(conversationId: string): Promise<AttachmentRecord[]> {
    return structuredClone(this.#attachmentsOf(conversationId));
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    const attachment = this.attachments.get(id);
    return attachment && structuredClone(attachment);
  }

  async deleteMessage(id: string): Promise<DeletedMessages | undefined> {
    return this.#delete(id, (contents) => planSingleDeletion(contents, id));
  }

  async deleteBranch(messageId: string): Promise<DeletedMessages | undefined> {
    return this.#delete(messageId, (contents) => planBranchDeletion(contents, messageId));
  }

  async deleteExchange(conversationId: string): Promise<DeletedMessages | undefined> {
    const contents = this.#contentsOf(conversationId);
    return contents.conversation ? this.#apply(planExchangeDeletion(contents)) : undefined;
  }

  async restoreMessages(deleted: DeletedMessages): Promise<boolean> {
    const restore = planRestore(deleted, this.conversations.get(deleted.conversationId));
    if (!restore) return false;
    for (const message of restore.messages) this.messages.set(message.id, structuredClone(message));
    for (const attachment of restore.attachments) this.attachments.set(attachment.id, structuredClone(attachment));
    if (restore.conversation) this.conversations.set(restore.conversation.id, restore.conversation);
    return true;
  }

  async deleteMessages(conversationId: string): Promise<void> {
    for (const message of this.#messagesOf(conversationId)) this.messages.delete(message.id);
    for (const attachment of this.#attachmentsOf(conversationId)) this.attachments.delete(attachment.id);
    const conversation = this.conversations.get(conversationId);
    if (conversation) this.conversations.set(conversationId, withActiveLeaf(conversation, undefined));
  }

  async listPresets(): Promise<Preset[]> {
    return withBuiltIns(structuredClone([...this.presets.values()]));
  }

  async savePreset(preset: Preset): Promise<Preset> {
    const stored = presetToStore(structuredClone(preset));
    this.presets.set(stored.id, stored);
    return structuredClone(stored);
  }

  async deletePreset(id: string): Promise<Preset | undefined> {
    checkDeletable(id);
    const stored = this.presets.get(id);
    this.presets.delete(id);
    return stored;
  }

  /** Builds the index for each query: this fallback holds one tab's conversations, not a hundred thousand. */
  async searchConversations(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    const index = new SearchIndex();
    for (const conversation of this.conversations.values()) index.setConversation(conversation);
    for (const message of this.messages.values()) index.setMessage(message);
    for (const attachment of this.attachments.values()) index.setAttachment(attachment);
    const { terms, hits } = index.find(query, options);
    return toSearchResults(
      hits,
      terms,
      (id) => this.messages.get(id)?.content,
      (id) => this.attachments.get(id),
    );
  }

  async prepareSearch(): Promise<void> {}

  async readAllConversations(): Promise<StoredRecords> {
    const conversations = await this.listConversations();
    const messages = [...this.messages.values()].sort((a, b) =>
      a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : byCreation(a, b),
    );
    const attachments = [...this.attachments.values()].sort(byAttachmentCreation);
    return structuredClone({ conversations, messages, attachments, presets: [...this.presets.values()] });
  }

  async importBackup(data: BackupData): Promise<ImportSummary> {
    const { conversationRecords, messageRecords, attachmentRecords, presetRecords, ...summary } = planImport(
      data,
      {
        conversationIds: new Set(this.conversations.keys()),
        messageIds: new Set(this.messages.keys()),
        attachmentIds: new Set(this.attachments.keys()),
        presets: [...this.presets.values()],
        lookalikes: conversationsToCompare(data, [...this.conversations.values()]).map((conversation) => ({
          conversation,
          messages: this.#messagesOf(conversation.id),
        })),
      },
      () => crypto.randomUUID(),
    );
    for (const conversation of conversationRecords) this.conversations.set(conversation.id, conversation);
    for (const message of messageRecords) this.messages.set(message.id, message);
    for (const attachment of attachmentRecords) this.attachments.set(attachment.id, attachment);
    for (const preset of presetRecords) this.presets.set(preset.id, preset);
    return summary;
  }

  async measureConversations(): Promise<ConversationsSize> {
    const attachmentBytes = attachmentsSize([...this.attachments.values()]);
    return {
      conversations: this.conversations.size,
      messages: this.messages.size,
      attachments: this.attachments.size,
      approximateBytes:
        approximateSize([...this.conversations.values()]) +
        approximateSize([...this.messages.values()]) +
        attachmentBytes,
      attachmentBytes,
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

  /** Runs a deletion planned over the conversation of message `id`. */
  #delete(id: string, planned: (contents: ConversationContents) => DeletionPlan | undefined) {
    const message = this.messages.get(id);
    return message ? this.#apply(planned(this.#contentsOf(message.conversationId))) : undefined;
  }

  #apply(plan: DeletionPlan | undefined): DeletedMessages | undefined {
    if (!plan) return undefined;
    for (const message of plan.deleted.messages) this.messages.delete(message.id);
    for (const attachment of plan.deleted.attachments) this.attachments.delete(attachment.id);
    for (const message of plan.writes) this.messages.set(message.id, message);
    if (plan.conversation) this.conversations.set(plan.conversation.id, plan.conversation);
    return structuredClone(plan.deleted);
  }

  #contentsOf(conversationId: string): ConversationContents {
    return {
      conversation: this.conversations.get(conversationId),
      messages: this.#messagesOf(conversationId),
      attachments: this.#attachmentsOf(conversationId),
    };
  }

  #attachmentsOf(conversationId: string): AttachmentRecord[] {
    return [...this.attachments.values()]
      .filter((attachment) => attachment.conversationId === conversationId)
      .sort(byAttachmentCreation);
  }

  #messagesOf(conversationId: string): StoredMessage[] {
    const messages: StoredMessage[] = [];
    for (const message of this.messages.values()) {
      if (message.conversationId === conversationId)
        messages.push(structuredClone({ ...message, parentId: message.parentId ?? null }));
    }
    return messages.sort(byCreation);
  }
}
