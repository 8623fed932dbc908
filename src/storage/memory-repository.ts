import { DEFAULT_SETTINGS, type ConversationRecord, type MessageRecord, type Settings } from '../state/types.js';
import type { ChatRepository } from './types.js';

/**
 * A ChatRepository that keeps everything in memory, with the same ordering rules as the IndexedDB one. The app falls
 * back to it when the browser refuses IndexedDB (and says so), so chatting still works in that tab.
 */
export class MemoryRepository implements ChatRepository {
  protected readonly conversations = new Map<string, ConversationRecord>();
  protected readonly messages = new Map<string, MessageRecord>();
  protected settings: Settings = DEFAULT_SETTINGS;

  async listConversations(): Promise<ConversationRecord[]> {
    return [...this.conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conversations.get(id);
  }

  async putConversation(conversation: ConversationRecord): Promise<void> {
    this.conversations.set(conversation.id, structuredClone(conversation));
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
    this.messages.set(message.id, structuredClone(message));
    const conversation = this.conversations.get(message.conversationId);
    if (conversation && conversation.updatedAt < message.updatedAt) {
      this.conversations.set(conversation.id, { ...conversation, updatedAt: message.updatedAt });
    }
  }

  async deleteMessage(id: string): Promise<void> {
    this.messages.delete(id);
  }

  async deleteMessages(conversationId: string): Promise<void> {
    for (const [id, message] of this.messages) {
      if (message.conversationId === conversationId) this.messages.delete(id);
    }
  }

  async loadSettings(): Promise<Settings> {
    return structuredClone(this.settings);
  }

  async saveSettings(settings: Settings): Promise<void> {
    this.settings = structuredClone(settings);
  }

  close(): void {}
}
