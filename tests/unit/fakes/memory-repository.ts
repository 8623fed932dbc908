import type { ChatRepository } from '../../../src/storage/types.js';
import {
  DEFAULT_SETTINGS,
  type ConversationRecord,
  type MessageRecord,
  type Settings,
} from '../../../src/state/types.js';

/** An in-memory ChatRepository with the same ordering rules as the IndexedDB one. */
export class MemoryRepository implements ChatRepository {
  conversations = new Map<string, ConversationRecord>();
  messages = new Map<string, MessageRecord>();
  settings: Settings = DEFAULT_SETTINGS;
  /** Every message write, in order: lets a test see how often a stream was persisted. */
  messageWrites: MessageRecord[] = [];
  failNextWrite: Error | null = null;

  async listConversations(): Promise<ConversationRecord[]> {
    return [...this.conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }
  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conversations.get(id);
  }
  async putConversation(conversation: ConversationRecord): Promise<void> {
    this.#maybeFail();
    this.conversations.set(conversation.id, { ...conversation });
  }
  async deleteConversation(id: string): Promise<void> {
    this.conversations.delete(id);
    await this.deleteMessages(id);
  }
  async listMessages(conversationId: string): Promise<MessageRecord[]> {
    return [...this.messages.values()]
      .filter((message) => message.conversationId === conversationId)
      .sort((a, b) => a.createdAt - b.createdAt);
  }
  async putMessage(message: MessageRecord): Promise<void> {
    this.#maybeFail();
    this.messages.set(message.id, { ...message });
    this.messageWrites.push({ ...message });
    const conversation = this.conversations.get(message.conversationId);
    if (conversation && conversation.updatedAt < message.updatedAt) {
      this.conversations.set(conversation.id, { ...conversation, updatedAt: message.updatedAt });
    }
  }
  async deleteMessage(id: string): Promise<void> {
    this.messages.delete(id);
  }
  async deleteMessages(conversationId: string): Promise<void> {
    for (const [id, message] of this.messages) if (message.conversationId === conversationId) this.messages.delete(id);
  }
  async loadSettings(): Promise<Settings> {
    return this.settings;
  }
  async saveSettings(settings: Settings): Promise<void> {
    this.#maybeFail();
    this.settings = settings;
  }
  close(): void {}

  #maybeFail(): void {
    const error = this.failNextWrite;
    if (!error) return;
    this.failNextWrite = null;
    throw error;
  }
}
