/**
 * Taking messages out of the open conversation, and the Undo offered for a few seconds after: "Undo last exchange"
 * (the last question and every reply to it, the question going back into the message box, as Gradio does) and a
 * message's "Delete" (it and the branch below it). Storage plans both (`deleteExchange`, `deleteBranch`) and tells
 * other tabs; this part keeps what was taken until the offer lapses, so Undo writes it back as it was.
 *
 * Neither is done while this tab streams a reply: the streaming writer's next save would write a reply whose question
 * is gone. The UI offers neither meanwhile (Stop first, which is one key away).
 */
import type { TimerHandle } from '../storage/streaming-writer.js';
import type { ChatRepository, DeletedMessages } from '../storage/types.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import type { MessagesUndoOffer } from './app-state.js';
import type { AttachmentTray } from './attachment-tray.js';
import type { ConversationOpener } from './conversation-opener.js';
import type { DraftKeeper } from './draft-keeper.js';
import { LapsingOffer } from './lapsing-offer.js';
import type { ReplyRunner } from './reply-runner.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

/** A deletion of messages that can still be undone. */
interface PendingUndo {
  deleted: DeletedMessages;
  kind: MessagesUndoOffer['kind'];
  /** For Undo last exchange: the message box before the question went into it, and after. */
  draftBefore?: string;
  draftAfter?: string;
  /** For Undo last exchange: the question's files as they went back into the tray. */
  trayIds?: string[];
}

export interface MessageDeleterDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  opener: ConversationOpener;
  drafts: DraftKeeper;
  /** Where the question's files go back to, with its text. */
  tray: AttachmentTray;
  replies: ReplyRunner;
  /** Withdraws the other kind of offer (a deleted conversation's): one Undo is offered at a time. */
  withdrawOtherOffer: () => void;
  refreshSearch: () => void;
  setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
  now: () => number;
}

/** The box after the question comes back: the question first, then whatever was typed meanwhile. */
function withQuestion(question: string, typed: string): string {
  return typed.trim() === '' ? question : `${question}\n\n${typed}`;
}

export class MessageDeleter {
  readonly #deps: MessageDeleterDeps;
  readonly #undo: LapsingOffer<PendingUndo>;

  constructor(deps: MessageDeleterDeps) {
    this.#deps = deps;
    this.#undo = new LapsingOffer(deps, () => this.dismiss());
  }

  async undoLastExchange(): Promise<void> {
    const { opener, repository, drafts } = this.#deps;
    const open = opener.current;
    if (!open || this.#deps.replies.streaming) return;
    const deleted = await this.#delete(open.id, () => repository.deleteExchange(open.id));
    const question = deleted?.messages[0];
    if (!deleted || !question) return;
    const draftBefore = drafts.current.conversationId === open.id ? drafts.current.text : '';
    const draftAfter = withQuestion(question.content, draftBefore);
    this.#putInBox(open.id, draftAfter);
    const order = question.attachmentIds ?? [];
    const files = deleted.attachments
      .filter((attachment) => attachment.messageId === question.id)
      .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    const trayIds = this.#deps.tray.putBack(files);
    this.#offer({ deleted, kind: 'undo-exchange', draftBefore, draftAfter, trayIds });
  }

  async deleteMessage(messageId: string): Promise<void> {
    const open = this.#deps.opener.current;
    if (!open || this.#deps.replies.streaming) return;
    const deleted = await this.#delete(open.id, () => this.#deps.repository.deleteBranch(messageId));
    if (deleted) this.#offer({ deleted, kind: 'delete-messages' });
  }

  async undo(): Promise<void> {
    const held = this.#undo.current;
    if (!held) return;
    this.dismiss();
    if (this.#undo.expired(held)) return;
    const undo = held.value;
    const { conversationId } = undo.deleted;
    let restored: boolean;
    try {
      restored = await this.#deps.queue.write(() => this.#deps.repository.restoreMessages(undo.deleted));
    } catch (error) {
      // Nothing was written; the messages exist only here now, so the offer stays while it lasts.
      this.#deps.alerts.show(errorMessage(error));
      this.#offer(undo, held.expiresAt);
      return;
    }
    // Not restored: the conversation itself was deleted meanwhile (perhaps in another tab), and its Undo is its own.
    if (!restored) return;
    const { drafts } = this.#deps;
    // The question leaves the box again, unless the user has changed what the box holds since.
    const box = drafts.current;
    if (undo.draftAfter !== undefined && box.conversationId === conversationId && box.text === undo.draftAfter) {
      this.#putInBox(conversationId, undo.draftBefore ?? '');
    }
    // Its files are stored again with it: the copies in the tray go (those still there).
    for (const id of undo.trayIds ?? []) this.#deps.tray.remove(id);
    await this.#reread(conversationId);
  }

  dismiss(): void {
    if (!this.#undo.clear()) return;
    // The offer shown may be another deletion's by now (a conversation deleted since): that one stays.
    this.#deps.store.update((state) =>
      state.undo && state.undo.kind !== 'delete-conversation' ? { ...state, undo: null } : state,
    );
  }

  /** One deletion through the write queue; what it took, or undefined when nothing was there (or it failed). */
  async #delete(
    conversationId: string,
    deletion: () => Promise<DeletedMessages | undefined>,
  ): Promise<DeletedMessages | undefined> {
    let deleted: DeletedMessages | undefined;
    await this.#deps.alerts.guard(async () => {
      deleted = await this.#deps.queue.write(deletion);
    });
    if (deleted) await this.#reread(conversationId);
    return deleted;
  }

  /** Shows the conversation as storage now has it, if it is still the one open. */
  async #reread(conversationId: string): Promise<void> {
    const { opener, queue, alerts } = this.#deps;
    if (opener.current?.id === conversationId) {
      await alerts.guard(() => queue.exclusive(() => opener.read(conversationId)));
    }
    this.#deps.refreshSearch();
  }

  #putInBox(conversationId: string, text: string): void {
    const { drafts, store } = this.#deps;
    if (drafts.current.conversationId !== conversationId) return;
    drafts.update(text);
    // A new object, even for the same text: the message box takes it.
    store.update((state) => ({ ...state, draft: { conversationId, text } }));
  }

  #offer(pending: PendingUndo, until?: number): void {
    this.dismiss();
    this.#deps.withdrawOtherOffer();
    const expiresAt = this.#undo.hold(pending, until);
    const { conversationId, messages } = pending.deleted;
    this.#deps.store.update((state) => ({
      ...state,
      undo: { kind: pending.kind, conversationId, count: messages.length, expiresAt },
    }));
  }
}
