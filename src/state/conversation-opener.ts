/**
 * The open conversation: every message of it (all branches) and the branch shown, with the store holding its view.
 * It reads a conversation when opened (a long one newest first), folds in what storage holds without losing what is
 * on screen and not yet saved, and notices another tab's reply going silent.
 */
import { leafAfterChoosing } from '../domain/branches.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { TimerHandle } from '../storage/streaming-writer.js';
import type { ChatRepository } from '../storage/types.js';
import type { AppState } from './app-state.js';
import { summariesOf } from './attachment-tray.js';
import type { DraftKeeper } from './draft-keeper.js';
import {
  mergeConversation,
  mergeMessages,
  replaceMessage,
  viewOf,
  type OpenConversation,
} from './open-conversation.js';
import { markInterrupted, removeConversation, STALE_STREAM_MS, upsertConversation, upsertMessage } from './reducers.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

/**
 * A conversation with more messages than this opens on its newest ones first (enough to fill a tall screen of short
 * messages); the rest are read once those are on screen. Each message in that first frame costs its markdown and
 * its DOM, so the first frame holds no more than a screen needs (30 took 64-114 ms to open 5,000 messages).
 */
const NEWEST_FIRST = 16;

/** The reply this tab streams now: the conversation it goes into, and its message. */
export interface StreamingReply {
  conversationId: string;
  messageId: string;
}

export interface ConversationOpenerDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  drafts: DraftKeeper;
  /** The reply this tab streams now, if any: a re-read never takes it away, nor moves the branch from under it. */
  streaming: () => StreamingReply | null;
  /** Resolves once what was just rendered can be on screen. */
  afterPaint: () => Promise<void>;
  setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  now: () => number;
  /** Runs `step` as a queued step of its own, later, showing an alert should it fail. */
  later: (step: () => Promise<void>) => void;
}

export class ConversationOpener {
  readonly #deps: ConversationOpenerDeps;
  #open: OpenConversation | null = null;
  /** Messages on screen whose write has not landed (queued, or failed): a re-read must not take them away. */
  readonly #unsaved = new Set<string>();
  #staleTimer: TimerHandle | null = null;
  /** Counts the conversations asked to be opened, so a read can tell that another one was asked for since it began. */
  #asked = 0;

  constructor(deps: ConversationOpenerDeps) {
    this.#deps = deps;
  }

  get current(): OpenConversation | null {
    return this.#open;
  }

  /** Replaces the open conversation and shows its view; `extra` changes other fields in the same update. */
  set(open: OpenConversation | null, extra: Partial<AppState> = {}): void {
    this.#open = open;
    const view = viewOf(open);
    const draft = this.#deps.drafts.switchTo(open?.id ?? null);
    this.#deps.store.update((state) => ({
      ...state,
      ...extra,
      ...(draft ? { draft } : {}),
      // Another conversation's files are not this one's: its own are read with it (`read`).
      ...(state.activeConversationId === (open?.id ?? null) ? {} : { attachments: {} }),
      activeConversationId: open?.id ?? null,
      messages: view.messages,
      alternatives: view.alternatives,
      branchSizes: view.branchSizes,
      earlierMessagesLoading: open?.partial === true,
    }));
    this.#watchOtherTabsStreams();
  }

  /** A new message of the open conversation: it ends the branch shown. */
  addMessage(message: MessageRecord): void {
    const open = this.#open;
    if (open?.id !== message.conversationId) return;
    this.set({ ...open, messages: upsertMessage(open.messages, message), leafId: message.id });
  }

  /** A message that changed but did not move (a streamed word, a new status): no need to rebuild the tree. */
  replaceMessage(message: MessageRecord, extra: Partial<AppState> = {}): void {
    const open = this.#open;
    const isOpen = open?.id === message.conversationId;
    if (open && isOpen) this.#open = { ...open, messages: replaceMessage(open.messages, message) };
    this.#deps.store.update((state) => ({
      ...state,
      ...extra,
      messages: isOpen ? (replaceMessage(state.messages, message) as MessageRecord[]) : state.messages,
    }));
  }

  /** Holds `id` on screen whatever a re-read says, until `saved(id)`: its write has not landed. */
  unsaved(id: string): void {
    this.#unsaved.add(id);
  }

  saved(id: string): void {
    this.#unsaved.delete(id);
  }

  /** A conversation is to be opened (its read is queued): a long one still opening gives way to it. */
  asked(): void {
    this.#asked++;
  }

  /**
   * Reads conversation `id` and shows it (one queued step, with the rest of a long one read after its newest are on
   * screen). With `messageId`, the branch holding that message is shown and it becomes `focusedMessageId`.
   */
  async read(id: string, messageId?: string): Promise<void> {
    const { repository } = this.#deps;
    const asked = this.#asked;
    // A long conversation shows its newest messages first (unless a search result leads further back, or it is
    // open already): reading all 5,000 messages of one takes most of 100 ms.
    const newestFirst = messageId === undefined && this.#open?.id !== id;
    const [conversation, first] = await Promise.all([
      repository.getConversation(id),
      newestFirst
        ? repository.listNewestMessages(id, NEWEST_FIRST)
        : repository.listMessages(id).then((messages) => ({ messages, complete: true })),
    ]);
    if (!conversation) {
      this.forget(id);
      return;
    }
    this.showRecord(conversation);
    let stored = first.messages;
    if (!first.complete) {
      const newest = this.merge(id, conversation, stored, () => false);
      this.set({ ...newest, partial: true }, { focusedMessageId: null });
      // Another conversation was clicked already (the reader goes through the list): it opens first, and the rest
      // of this one is read after it only should this one still be open then (that one failed to open). Reading and
      // showing the rest first would hold the next one up by as long as this one took to open.
      const givesWay = (): boolean => {
        if (this.#asked === asked) return false;
        this.#deps.later(() => this.#finishOpening(id));
        return true;
      };
      await this.#deps.afterPaint();
      // Closed meanwhile (New chat, or deleted in another tab): it stays closed.
      if (this.#open?.id !== id || givesWay()) return;
      stored = await repository.listMessages(id);
      if (this.#open?.id !== id || givesWay()) return;
    }
    const open = this.merge(id, conversation, stored, () => true);
    let focusedMessageId: string | null = null;
    if (messageId !== undefined && open.messages.some((message) => message.id === messageId)) {
      focusedMessageId = messageId;
      if (!viewOf(open).messages.some((message) => message.id === messageId)) {
        const leafId = leafAfterChoosing(open.messages, messageId) ?? undefined;
        open.leafId = leafId;
        if (leafId !== undefined) await repository.setActiveLeaf(id, leafId);
      }
    }
    this.set(open, { focusedMessageId });
    await this.showAttachments();
  }

  /**
   * What the transcript shows of the open conversation's files: their names and sizes, never their text. Read when
   * it opens, and when another tab's message names a file not listed yet.
   */
  async showAttachments(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const listed = this.#deps.store.getState().attachments;
    const ids = open.messages.flatMap((message) => message.attachmentIds ?? []);
    if (ids.every((id) => id in listed)) return;
    const stored = await this.#deps.repository.listAttachments(open.id);
    if (this.#open?.id !== open.id) return;
    const summaries = summariesOf(stored);
    this.#deps.store.update((state) => ({ ...state, attachments: { ...state.attachments, ...summaries } }));
  }

  /** Reads the rest of conversation `id` if it is still open on its newest messages only. */
  async #finishOpening(id: string): Promise<void> {
    if (this.#open?.id === id && this.#open.partial) await this.read(id);
  }

  /**
   * Waits until the open conversation holds all of its messages: a long one opens on its newest, and the read of
   * the rest is one queued step. What needs the whole branch waits here: the engine's history, an edit or a
   * regenerate that must find every alternative, a Markdown export.
   */
  async untilWhole(): Promise<void> {
    if (this.#open?.partial) await this.#deps.queue.settled();
  }

  /**
   * The open conversation after folding in what storage holds (`isGone`: whether a held message missing from
   * `stored` was deleted). The branch shown follows storage's, unless this tab is streaming into the conversation or
   * has writes still queued: then it stays where this tab put it.
   */
  merge(
    id: string,
    conversation: ConversationRecord,
    stored: readonly MessageRecord[],
    isGone: (id: string) => boolean,
  ): OpenConversation {
    const stream = this.#deps.streaming();
    const streamingId = stream?.conversationId === id ? stream.messageId : null;
    const held = this.#open?.id === id ? this.#open : null;
    const keep = new Set(this.#unsaved);
    if (streamingId !== null) keep.add(streamingId);
    const messages = mergeMessages(
      held?.messages ?? [],
      markInterrupted(stored, this.#deps.now(), streamingId),
      isGone,
      keep,
    );
    const keepBranch = held !== null && (streamingId !== null || this.#deps.queue.pendingWrites > 0);
    return { id, messages, leafId: keepBranch ? held.leafId : conversation.activeLeafId };
  }

  /** A conversation record as storage has it, folded into the list (keeping newer fields held here). */
  showRecord(stored: ConversationRecord): void {
    this.#deps.store.update((state) => {
      const held = state.conversations.find((conversation) => conversation.id === stored.id);
      return { ...state, conversations: upsertConversation(state.conversations, mergeConversation(held, stored)) };
    });
  }

  /** A conversation that no longer exists: out of the list, and closed if it was open (its draft goes too). */
  forget(id: string): void {
    this.#deps.drafts.drop(id);
    this.#deps.store.update((state) => ({ ...state, conversations: removeConversation(state.conversations, id) }));
    if (this.#open?.id === id) this.set(null, { focusedMessageId: null });
  }

  /**
   * Another tab's reply shows as `streaming` while that tab saves it. Should it go silent (the tab closed), this
   * marks it interrupted once it is stale, as a fresh read would.
   */
  #watchOtherTabsStreams(): void {
    if (this.#staleTimer !== null || !this.#open) return;
    const streamingId = this.#deps.streaming()?.messageId;
    let oldest = Number.POSITIVE_INFINITY;
    for (const message of this.#open.messages) {
      if (message.status === 'streaming' && message.id !== streamingId) oldest = Math.min(oldest, message.updatedAt);
    }
    if (oldest === Number.POSITIVE_INFINITY) return;
    const delayMs = Math.max(0, oldest + STALE_STREAM_MS - this.#deps.now());
    this.#staleTimer = this.#deps.setTimer(() => {
      this.#staleTimer = null;
      const open = this.#open;
      if (!open) return;
      const messages = markInterrupted(open.messages, this.#deps.now(), this.#deps.streaming()?.messageId ?? null);
      if (messages === open.messages) this.#watchOtherTabsStreams();
      else this.set({ ...open, messages });
    }, delayMs);
  }
}
