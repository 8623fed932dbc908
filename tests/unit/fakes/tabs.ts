import type { AttachmentRecord } from '../../../src/domain/attachments.js';
import type { Preset } from '../../../src/domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../../../src/domain/records.js';
import type { Settings, SettingsChanges } from '../../../src/domain/settings.js';
import type {
  BackupData,
  ChatRepository,
  DeletedConversation,
  DeletedMessages,
  ImportSummary,
  NewestMessages,
  SearchOptions,
  StorageChange,
} from '../../../src/storage/types.js';
import { MemoryRepository } from './memory-repository.js';

/**
 * One database seen by several tabs of the app. Each `tab()` is a repository over the same records that, like the
 * IndexedDB one, tells every other tab what it stored (on a later task, as a BroadcastChannel does) and never itself.
 */
export class SharedDatabase {
  readonly records = new MemoryRepository();
  readonly #tabs = new Set<TabRepository>();

  tab(): TabRepository {
    const tab = new TabRepository(this.records, (from, change) => {
      for (const other of this.#tabs) if (other !== from) setTimeout(() => other.hear(change), 0);
    });
    this.#tabs.add(tab);
    return tab;
  }
}

export class TabRepository implements ChatRepository {
  readonly #listeners = new Set<(change: StorageChange) => void>();

  constructor(
    private readonly records: MemoryRepository,
    private readonly broadcast: (from: TabRepository, change: StorageChange) => void,
  ) {}

  hear(change: StorageChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  #announce(change: StorageChange): void {
    this.broadcast(this, change);
  }

  listConversations(): Promise<ConversationRecord[]> {
    return this.records.listConversations();
  }

  getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.records.getConversation(id);
  }

  async putConversation(conversation: ConversationRecord): Promise<void> {
    await this.records.putConversation(conversation);
    this.#announce({ conversationIds: [conversation.id] });
  }

  async renameConversation(id: string, title: string): Promise<ConversationRecord | undefined> {
    const renamed = await this.records.renameConversation(id, title);
    if (renamed) this.#announce({ conversationIds: [id] });
    return renamed;
  }

  async setConversationPreset(id: string, presetId: string): Promise<ConversationRecord | undefined> {
    const changed = await this.records.setConversationPreset(id, presetId);
    if (changed) this.#announce({ conversationIds: [id] });
    return changed;
  }

  async setActiveLeaf(conversationId: string, leafId: string): Promise<ConversationRecord | undefined> {
    const conversation = await this.records.setActiveLeaf(conversationId, leafId);
    if (conversation) this.#announce({ conversationIds: [conversationId] });
    return conversation;
  }

  async deleteConversation(id: string): Promise<DeletedConversation | undefined> {
    const deleted = await this.records.deleteConversation(id);
    this.#announce({ conversationIds: [id] });
    return deleted;
  }

  async restoreConversation(deleted: DeletedConversation): Promise<void> {
    await this.records.restoreConversation(deleted);
    this.#announce({ conversationIds: [deleted.conversation.id] });
  }

  listMessages(conversationId: string): Promise<MessageRecord[]> {
    return this.records.listMessages(conversationId);
  }

  listNewestMessages(conversationId: string, count: number): Promise<NewestMessages> {
    return this.records.listNewestMessages(conversationId, count);
  }

  getMessage(id: string): Promise<MessageRecord | undefined> {
    return this.records.getMessage(id);
  }

  async putMessage(message: MessageRecord): Promise<void> {
    await this.records.putMessage(message);
    this.#announce({ conversationIds: [message.conversationId], messageIds: [message.id] });
  }

  async putMessageWithAttachments(message: MessageRecord, attachments: readonly AttachmentRecord[]): Promise<void> {
    await this.records.putMessageWithAttachments(message, attachments);
    this.#announce({ conversationIds: [message.conversationId], messageIds: [message.id] });
  }

  listAttachments(conversationId: string): Promise<AttachmentRecord[]> {
    return this.records.listAttachments(conversationId);
  }

  getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    return this.records.getAttachment(id);
  }

  async deleteMessage(id: string): Promise<DeletedMessages | undefined> {
    return this.#announceDeleted(await this.records.deleteMessage(id));
  }

  async deleteBranch(messageId: string): Promise<DeletedMessages | undefined> {
    return this.#announceDeleted(await this.records.deleteBranch(messageId));
  }

  async deleteExchange(conversationId: string): Promise<DeletedMessages | undefined> {
    return this.#announceDeleted(await this.records.deleteExchange(conversationId));
  }

  async restoreMessages(deleted: DeletedMessages): Promise<boolean> {
    const restored = await this.records.restoreMessages(deleted);
    if (restored) this.#announceDeleted(deleted);
    return restored;
  }

  /** Deleted or put back: the messages removed, and the children that moved. */
  #announceDeleted(deleted: DeletedMessages | undefined): DeletedMessages | undefined {
    if (deleted) {
      const messageIds = [...deleted.messages, ...deleted.rewritten].map((m) => m.id);
      this.#announce({ conversationIds: [deleted.conversationId], messageIds });
    }
    return deleted;
  }

  listPresets(): Promise<Preset[]> {
    return this.records.listPresets();
  }

  async savePreset(preset: Preset): Promise<Preset> {
    const saved = await this.records.savePreset(preset);
    this.#announce({ conversationIds: [], presets: true });
    return saved;
  }

  async deletePreset(id: string): Promise<Preset | undefined> {
    const deleted = await this.records.deletePreset(id);
    if (deleted) this.#announce({ conversationIds: [], presets: true });
    return deleted;
  }

  async deleteMessages(conversationId: string): Promise<void> {
    await this.records.deleteMessages(conversationId);
    this.#announce({ conversationIds: [conversationId] });
  }

  searchConversations(query: string, options?: SearchOptions) {
    return this.records.searchConversations(query, options);
  }

  prepareSearch(): Promise<void> {
    return this.records.prepareSearch();
  }

  readAllConversations() {
    return this.records.readAllConversations();
  }

  async importBackup(data: BackupData): Promise<ImportSummary> {
    const summary = await this.records.importBackup(data);
    if (summary.conversationIds.length > 0) this.#announce({ conversationIds: summary.conversationIds });
    return summary;
  }

  measureConversations() {
    return this.records.measureConversations();
  }

  loadSettings(): Promise<Settings> {
    return this.records.loadSettings();
  }

  async updateSettings(changes: SettingsChanges): Promise<Settings> {
    const saved = await this.records.updateSettings(changes);
    this.#announce({ conversationIds: [], settings: true });
    return saved;
  }

  subscribe(listener: (change: StorageChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
  }
}
