/**
 * Deleting a conversation, and the Undo offered for a few seconds after: the deleted records are held here until
 * the offer lapses, so Undo writes them back as they were (with the unsent text the deletion removed too).
 */
import type { TimerHandle } from '../storage/streaming-writer.js';
import type { ChatRepository, DeletedConversation } from '../storage/types.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import type { ConversationOpener } from './conversation-opener.js';
import type { DraftKeeper } from './draft-keeper.js';
import type { ReplyRunner } from './reply-runner.js';
import type { Store } from './store.js';
import { LapsingOffer } from './lapsing-offer.js';
import type { WriteQueue } from './write-queue.js';

export { UNDO_MS } from './lapsing-offer.js';

/** A deletion that can still be undone. */
interface PendingUndo {
  deleted: DeletedConversation;
  wasOpen: boolean;
  /** Its unsent text, which the deletion removed too. */
  draft: string;
}

export interface ConversationDeleterDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  opener: ConversationOpener;
  drafts: DraftKeeper;
  replies: ReplyRunner;
  /** Opens the conversation put back, if it was open when deleted. */
  reopen: (id: string) => Promise<void>;
  refreshSearch: () => void;
  setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
  now: () => number;
}

export class ConversationDeleter {
  readonly #deps: ConversationDeleterDeps;
  readonly #undo: LapsingOffer<PendingUndo>;

  constructor(deps: ConversationDeleterDeps) {
    this.#deps = deps;
    this.#undo = new LapsingOffer(deps, () => this.dismiss());
  }

  async delete(id: string): Promise<void> {
    const { replies, alerts, queue, repository, opener, drafts } = this.#deps;
    // The reply's last write must land before the delete, or it would leave a message without its conversation.
    if (replies.streaming?.conversationId === id) await replies.stopAndWait();
    await alerts.guard(async () => {
      const deleted = await queue.write(() => repository.deleteConversation(id));
      const wasOpen = opener.current?.id === id;
      const draft = drafts.drop(id);
      opener.forget(id);
      if (deleted) this.#offer(deleted, wasOpen, draft);
      this.#deps.refreshSearch();
    });
  }

  async undo(): Promise<void> {
    const held = this.#undo.current;
    if (!held) return;
    this.dismiss();
    if (this.#undo.expired(held)) return;
    const undo = held.value;
    const { conversation } = undo.deleted;
    try {
      await this.#deps.queue.write(() => this.#deps.repository.restoreConversation(undo.deleted));
    } catch (error) {
      // Nothing was written; the conversation exists only here now, so the offer stays while it lasts.
      this.#deps.alerts.show(errorMessage(error));
      this.#offer(undo.deleted, undo.wasOpen, undo.draft, held.expiresAt);
      return;
    }
    this.#deps.drafts.restore(conversation.id, undo.draft);
    this.#deps.opener.showRecord(conversation);
    if (undo.wasOpen && this.#deps.opener.current === null) await this.#deps.reopen(conversation.id);
    this.#deps.refreshSearch();
  }

  dismiss(): void {
    if (!this.#undo.clear()) return;
    this.#deps.store.update((state) => ({ ...state, undo: null }));
  }

  #offer(deleted: DeletedConversation, wasOpen: boolean, draft: string, until?: number): void {
    this.dismiss();
    const expiresAt = this.#undo.hold({ deleted, wasOpen, draft }, until);
    this.#deps.store.update((state) => ({
      ...state,
      undo: {
        kind: 'delete-conversation',
        conversationId: deleted.conversation.id,
        title: deleted.conversation.title,
        expiresAt,
      },
    }));
  }
}
