/**
 * Other tabs in step: their writes arrive as change notices (`ChatRepository.subscribe`); this re-reads what they
 * name and folds it in (`mergeMessages`), keeping this tab's own newer copies. The re-reads are queued with this
 * tab's writes (`WriteQueue`), and notices heard meanwhile are batched into one re-read.
 */
import type { MessageRecord } from '../domain/records.js';
import type { ChatRepository, StorageChange } from '../storage/types.js';
import type { AlertBoard } from './alert-board.js';
import { ChangeBatch } from './change-batch.js';
import type { ConversationOpener } from './conversation-opener.js';
import type { ReplyRunner } from './reply-runner.js';
import type { SettingsKeeper } from './settings-keeper.js';
import type { WriteQueue } from './write-queue.js';

export interface TabSyncDeps {
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  opener: ConversationOpener;
  settings: SettingsKeeper;
  replies: ReplyRunner;
  /** Runs the search shown again: what it found may have changed. */
  refreshSearch: () => void;
  /** Reads the presets again: another tab created, renamed or deleted one. */
  reloadPresets: () => Promise<void>;
}

export class TabSync {
  readonly #deps: TabSyncDeps;
  #incoming: ChangeBatch | null = null;
  #syncing = false;
  #listening = false;

  constructor(deps: TabSyncDeps) {
    this.#deps = deps;
  }

  /** Starts hearing other tabs (once). */
  listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#deps.repository.subscribe((change) => this.#heard(change));
  }

  #heard(change: StorageChange): void {
    (this.#incoming ??= new ChangeBatch()).add(change);
    if (!this.#syncing) void this.#applyIncoming();
  }

  async #applyIncoming(): Promise<void> {
    this.#syncing = true;
    try {
      while (this.#incoming) {
        const batch = this.#incoming;
        this.#incoming = null;
        await this.#deps.alerts.guard(() => this.#deps.queue.exclusive(() => this.#apply(batch)));
      }
    } finally {
      this.#syncing = false;
    }
  }

  async #apply(batch: ChangeBatch): Promise<void> {
    const { repository, opener, replies } = this.#deps;
    if (batch.settings) await this.#deps.settings.reread();
    if (batch.presets) await this.#deps.reloadPresets();
    const ids = [...batch.conversationIds];
    const records = await Promise.all(ids.map((id) => repository.getConversation(id)));
    ids.forEach((id, index) => {
      const record = records[index];
      if (record) {
        opener.showRecord(record);
        return;
      }
      // Deleted in another tab. A reply streaming into it here stops (waiting for it here could wait for a write
      // queued behind this very step).
      if (replies.streaming?.conversationId === id) replies.stop();
      opener.forget(id);
    });

    const openId = opener.current?.id;
    const conversation = openId === undefined ? undefined : records[ids.indexOf(openId)];
    if (openId !== undefined && conversation) {
      if (batch.rereadMessages.has(openId)) {
        const stored = await repository.listMessages(openId);
        if (opener.current?.id === openId) opener.set(opener.merge(openId, conversation, stored, () => true));
      } else {
        const requested = [...batch.messageIds];
        const read = await Promise.all(requested.map((id) => repository.getMessage(id)));
        const stored = read.filter((message): message is MessageRecord => message?.conversationId === openId);
        const gone = new Set(requested.filter((_, index) => read[index] === undefined));
        if (opener.current?.id === openId) {
          opener.set(opener.merge(openId, conversation, stored, (id) => gone.has(id)));
        }
      }
      // A message sent from another tab may name files this one has not listed.
      await opener.showAttachments();
    }
    if (ids.length > 0) this.#deps.refreshSearch();
  }
}
