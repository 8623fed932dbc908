import { MemoryRepository as ProductionMemoryRepository } from '../../../src/storage/memory-repository.js';
import type { AttachmentRecord } from '../../../src/domain/attachments.js';
import type { ConversationRecord, MessageRecord } from '../../../src/domain/records.js';
import type { Settings, SettingsChanges } from '../../../src/domain/settings.js';
import type { DeletedConversation, DeletedMessages } from '../../../src/storage/types.js';

/** The in-memory repository, opened up for tests: its maps are visible and the next write can be made to fail. */
export class MemoryRepository extends ProductionMemoryRepository {
  failNextWrite: Error | null = null;

  // Widened to public so tests can look at what was stored; no initialisers: the parent's maps are used.
  public override readonly conversations!: Map<string, ConversationRecord>;
  public override readonly messages!: Map<string, MessageRecord>;
  public override settings!: Settings;

  override async putConversation(conversation: ConversationRecord): Promise<void> {
    this.#maybeFail();
    await super.putConversation(conversation);
  }

  override async putMessage(message: MessageRecord): Promise<void> {
    this.#maybeFail();
    await super.putMessage(message);
  }

  override async putMessageWithAttachments(
    message: MessageRecord,
    attachments: readonly AttachmentRecord[],
  ): Promise<void> {
    this.#maybeFail();
    await super.putMessageWithAttachments(message, attachments);
  }

  override async restoreConversation(deleted: DeletedConversation): Promise<void> {
    this.#maybeFail();
    await super.restoreConversation(deleted);
  }

  override async deleteBranch(messageId: string): Promise<DeletedMessages | undefined> {
    this.#maybeFail();
    return super.deleteBranch(messageId);
  }

  override async restoreMessages(deleted: DeletedMessages): Promise<boolean> {
    this.#maybeFail();
    return super.restoreMessages(deleted);
  }

  override async updateSettings(changes: SettingsChanges): Promise<Settings> {
    this.#maybeFail();
    return super.updateSettings(changes);
  }

  #maybeFail(): void {
    const error = this.failNextWrite;
    if (!error) return;
    this.failNextWrite = null;
    throw error;
  }
}
