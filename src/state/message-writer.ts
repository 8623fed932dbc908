/**
 * Writing what the user sends: new conversations and messages are shown first, then stored through the write
 * queue; a message whose write has not landed stays on screen whatever another tab's change says.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { ChatRepository } from '../storage/types.js';
import type { ConversationOpener } from './conversation-opener.js';
import { titleFromText, upsertConversation } from './reducers.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

export interface MessageWriterDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  opener: ConversationOpener;
  now: () => number;
  newId: () => string;
  /** The preset a new conversation starts with (the last one chosen), if any. */
  presetForNewChat: () => string | undefined;
}

export class MessageWriter {
  readonly #deps: MessageWriterDeps;

  constructor(deps: MessageWriterDeps) {
    this.#deps = deps;
  }

  /** The open conversation, or a new one titled after the first message (stored, listed and opened). */
  async ensureConversation(firstText: string): Promise<ConversationRecord> {
    const { store, opener, queue, repository } = this.#deps;
    const existing = store.getState().conversations.find((conversation) => conversation.id === opener.current?.id);
    if (existing) return existing;
    const now = this.#deps.now();
    const presetId = this.#deps.presetForNewChat();
    const conversation: ConversationRecord = {
      id: this.#deps.newId(),
      title: titleFromText(firstText),
      createdAt: now,
      updatedAt: now,
      ...(presetId ? { presetId } : {}),
    };
    await queue.write(() => repository.putConversation(conversation));
    store.update((state) => ({ ...state, conversations: upsertConversation(state.conversations, conversation) }));
    opener.set({ id: conversation.id, messages: [], leafId: undefined }, { focusedMessageId: null });
    return conversation;
  }

  newMessage(
    conversationId: string,
    role: MessageRecord['role'],
    content: string,
    status: MessageRecord['status'],
  ): MessageRecord {
    const now = this.#deps.now();
    return { id: this.#deps.newId(), conversationId, role, content, createdAt: now, updatedAt: now, status };
  }

  /**
   * Shows a new message at the end of the branch, then stores it, with the files sent with it in the same
   * transaction; on failure it stays on screen.
   */
  async saveNew(message: MessageRecord, attachments: readonly AttachmentRecord[] = []): Promise<void> {
    this.#deps.opener.addMessage(message);
    await this.save(message, attachments);
  }

  async save(message: MessageRecord, attachments: readonly AttachmentRecord[] = []): Promise<void> {
    const { opener, queue, repository } = this.#deps;
    opener.unsaved(message.id);
    await queue.write(() =>
      attachments.length > 0
        ? repository.putMessageWithAttachments(message, attachments)
        : repository.putMessage(message),
    );
    opener.saved(message.id);
    this.touchConversation(message.conversationId, message.updatedAt);
  }

  /** The conversation moves up the list to when its newest message changed. */
  touchConversation(id: string, updatedAt: number): void {
    this.#deps.store.update((state) => {
      const conversation = state.conversations.find((existing) => existing.id === id);
      if (!conversation || conversation.updatedAt >= updatedAt) return state;
      return { ...state, conversations: upsertConversation(state.conversations, { ...conversation, updatedAt }) };
    });
  }
}
