import type { ConversationRecord, MessageRecord, Settings } from '../state/types.js';

/** The only way the app reads and writes what it keeps. Implemented over IndexedDB; tests may pass a fake. */
export interface ChatRepository {
  /** Newest first (by `updatedAt`). */
  listConversations(): Promise<ConversationRecord[]>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  putConversation(conversation: ConversationRecord): Promise<void>;
  /** Deletes the conversation and all its messages in one transaction. */
  deleteConversation(id: string): Promise<void>;
  /** Oldest first (by `createdAt`). */
  listMessages(conversationId: string): Promise<MessageRecord[]>;
  /** Writes the message and bumps its conversation's `updatedAt` in one transaction. */
  putMessage(message: MessageRecord): Promise<void>;
  deleteMessage(id: string): Promise<void>;
  /** Deletes every message of the conversation; the conversation itself stays. */
  deleteMessages(conversationId: string): Promise<void>;
  /** Returns the defaults, merged under anything stored. */
  loadSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<void>;
  close(): void;
}
