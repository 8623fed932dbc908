/**
 * Replies: the actions that end in streaming one (send, retry, regenerate, edit, continue), and the stream itself,
 * shown and persisted as it grows. One reply at a time: a second request while one streams, or is about to, is
 * ignored, as the UI disables its buttons meanwhile.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { Usage } from '../domain/generation.js';
import { chosenModel } from '../domain/providers.js';
import type { MessageRecord } from '../domain/records.js';
import type { Settings } from '../domain/settings.js';
import { EngineError, isAbortError, type ChatTurn, type EngineResolver } from '../engines/types.js';
import type { StreamingWriter } from '../storage/streaming-writer.js';
import type { ChatRepository } from '../storage/types.js';
import type { UnsavedReplyStore } from '../storage/unsaved-reply.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import type { AttachmentTray } from './attachment-tray.js';
import type { BranchDocuments } from './branch-documents.js';
import type { ConversationOpener, StreamingReply } from './conversation-opener.js';
import { answeredBy } from './conversation-engine.js';
import type { DraftKeeper } from './draft-keeper.js';
import type { MessageWriter } from './message-writer.js';
import type { AlternativeModel } from './model-recovery.js';
import { pathTo } from './open-conversation.js';
import { historyForEngine } from './reducers.js';
import type { Store } from './store.js';
import { TaskCoalescer } from './task-coalescer.js';

/**
 * The user turn that asks for the rest of a cut-off reply. Neither engine can resume a reply by itself (the hosted
 * API has no assistant prefill, and Mistral's template must end on a user turn), so the model sees its partial reply
 * and this request; what it writes is appended to the same message.
 */
export const CONTINUE_PROMPT = 'Continue exactly where you stopped, without repeating anything.';

export type CreateStreamingWriter = (save: (message: MessageRecord) => Promise<void>) => StreamingWriter;

export interface ReplyRunnerDeps {
  store: Store;
  repository: ChatRepository;
  engines: EngineResolver;
  createStreamingWriter: CreateStreamingWriter;
  opener: ConversationOpener;
  writer: MessageWriter;
  drafts: DraftKeeper;
  /** The files waiting to go with the next message sent. */
  tray: AttachmentTray;
  /** Puts the branch's files into the question's turn. */
  documents: BranchDocuments;
  alerts: AlertBoard;
  /** Where `flushPending` leaves a synchronous copy of the streaming reply. */
  unsavedReplies: UnsavedReplyStore;
  /** A served model to offer when a reply fails because its model is not served. */
  alternativeModel: AlternativeModel | undefined;
  /** The settings a reply in a conversation is asked with: Settings, with that conversation's preset over them. */
  settingsFor: (conversationId: string) => Settings;
  now: () => number;
}

interface ActiveStream extends StreamingReply {
  abort: AbortController;
  writer: StreamingWriter;
  /** Shows the reply as it grows, and hands it to `writer`, once per burst of chunks rather than once per token. */
  show: TaskCoalescer;
  /** Settles when the reply is finished and its last state written. */
  finished: Promise<void>;
}

/** What a reply is written into, and what the engine sees. */
interface ReplyRequest {
  /** A new reply (already named with its parent), or the stopped reply to continue. */
  reply: MessageRecord;
  mode: 'new' | 'continue';
  /** The conversation before the reply, root first; for `continue`, up to and including the partial reply. */
  history: readonly MessageRecord[];
}

export class ReplyRunner {
  readonly #deps: ReplyRunnerDeps;
  #stream: ActiveStream | null = null;
  /** Set from the moment an action that will stream a reply starts, so a double click starts one reply only. */
  #replying = false;

  constructor(deps: ReplyRunnerDeps) {
    this.#deps = deps;
  }

  /** The reply streaming now, if any. */
  get streaming(): StreamingReply | null {
    return this.#stream;
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    if (content === '') return;
    this.#deps.drafts.discard();
    const { writer } = this.#deps;
    await this.#reply(async () => {
      // A file still being read is waited for before anything is shown (the UI disables Send meanwhile).
      await this.#deps.tray.whenRead();
      const conversation = await writer.ensureConversation(content);
      const parentId = this.#deps.store.getState().messages.at(-1)?.id ?? null;
      const message = { ...writer.newMessage(conversation.id, 'user', content, 'complete'), parentId };
      const attachments = await this.#deps.tray.recordsFor(message);
      const userMessage = await this.#saveQuestion(message, attachments);
      this.#deps.tray.sent(attachments);
      return this.#answer(userMessage);
    });
  }

  async retry(): Promise<void> {
    const last = this.#deps.store.getState().messages.at(-1);
    if (!last) return;
    if (last.role === 'assistant') {
      await this.regenerate(last.id);
      return;
    }
    await this.#reply(async () => this.#answer(last));
  }

  async regenerate(messageId: string): Promise<void> {
    await this.#reply(async () => {
      const open = this.#deps.opener.current;
      const old = open?.messages.find((message) => message.id === messageId);
      if (!open || old?.role !== 'assistant') return null;
      return {
        mode: 'new',
        reply: this.#newReply(open.id, old.parentId ?? null),
        history: pathTo(open, messageId).slice(0, -1),
      };
    });
  }

  async editMessage(messageId: string, text: string): Promise<void> {
    const content = text.trim();
    const { writer } = this.#deps;
    await this.#reply(async () => {
      const open = this.#deps.opener.current;
      const edited = open?.messages.find((message) => message.id === messageId);
      if (!open || edited?.role !== 'user' || content === '' || content === edited.content) return null;
      const message = { ...writer.newMessage(open.id, 'user', content, 'complete'), parentId: edited.parentId ?? null };
      // The edit asks about the same files: it gets copies of them (a file belongs to one message, and goes with it).
      const userMessage = await this.#saveQuestion(message, await this.#deps.documents.copiesFor(edited, message));
      await this.#deps.opener.showAttachments();
      return this.#answer(userMessage);
    });
  }

  async continueReply(messageId: string): Promise<void> {
    await this.#reply(async () => {
      const open = this.#deps.opener.current;
      const partial = open?.messages.find((message) => message.id === messageId);
      if (!open || partial?.role !== 'assistant') return null;
      if (partial.status !== 'stopped' && partial.status !== 'interrupted') return null;
      const path = pathTo(open, messageId);
      const reply: MessageRecord = { ...partial, status: 'streaming', updatedAt: this.#deps.now() };
      // With no text to carry on from, the engine answers the question afresh, into the same message.
      return partial.content === ''
        ? { mode: 'continue', reply, history: path.slice(0, -1) }
        : { mode: 'continue', reply, history: path };
    });
  }

  stop(): void {
    this.#stream?.abort.abort();
  }

  /** Stops the reply streaming now, if any, and waits for its last state to be written. */
  async stopAndWait(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    stream.abort.abort();
    await stream.finished;
  }

  /** Writes the streaming reply as far as it got; rejects if that write fails. */
  async flush(): Promise<void> {
    this.#stream?.show.flush();
    await this.#stream?.writer.flush();
  }

  /** Writes the streaming reply now, leaving a synchronous copy too: the page may be closing. */
  async flushPending(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    stream.show.flush();
    // IndexedDB might not commit in time, so leave the text shown a synchronous copy too.
    const shown = this.#deps.store.getState().messages.find((message) => message.id === stream.messageId);
    if (shown) this.#deps.unsavedReplies.save(shown);
    await stream.writer.flush();
    this.#deps.unsavedReplies.discard(stream.messageId);
  }

  /**
   * Runs an action that ends in streaming a reply: `prepare` writes what comes before (a user message) and says what
   * to stream, or null for nothing.
   */
  async #reply(prepare: () => Promise<ReplyRequest | null>): Promise<void> {
    if (this.#stream || this.#replying) return;
    this.#replying = true;
    try {
      await this.#deps.alerts.guard(async () => {
        await this.#deps.opener.untilWhole();
        const request = await prepare();
        if (request) await this.#generate(request);
      });
    } finally {
      this.#replying = false;
    }
  }

  /** Stores a question with the files sent with it, in one transaction; returns it as stored (naming its files). */
  async #saveQuestion(message: MessageRecord, attachments: readonly AttachmentRecord[]): Promise<MessageRecord> {
    const attachmentIds = attachments.map((attachment) => attachment.id);
    const userMessage = attachmentIds.length > 0 ? { ...message, attachmentIds } : message;
    await this.#deps.writer.saveNew(userMessage, attachments);
    return userMessage;
  }

  /** A new reply to `userMessage`, the engine seeing the branch down to it. */
  #answer(userMessage: MessageRecord): ReplyRequest | null {
    const open = this.#deps.opener.current;
    if (open?.id !== userMessage.conversationId) return null;
    return { mode: 'new', reply: this.#newReply(open.id, userMessage.id), history: pathTo(open, userMessage.id) };
  }

  #newReply(conversationId: string, parentId: string | null): MessageRecord {
    const settings = this.#deps.settingsFor(conversationId);
    return {
      ...this.#deps.writer.newMessage(conversationId, 'assistant', '', 'streaming'),
      parentId,
      ...answeredBy(settings, this.#deps.engines.describe(settings).model),
    };
  }

  /** Streams a reply, showing it and persisting it as it grows. */
  async #generate({ reply: initial, mode, history }: ReplyRequest): Promise<void> {
    const { store, opener, writer, alerts, repository } = this.#deps;
    const { conversationId } = initial;
    const settings = this.#deps.settingsFor(conversationId);
    const turns: ChatTurn[] = [{ role: 'system', content: settings.systemPrompt }, ...historyForEngine(history)];
    // The question the branch's files go with: the last user turn, before any request to continue.
    const questionIndex = turns.findLastIndex((turn) => turn.role === 'user');
    if (mode === 'continue' && history.at(-1)?.id === initial.id)
      turns.push({ role: 'user', content: CONTINUE_PROMPT });
    let reply = initial;
    let markFinished = () => {};
    const stream: ActiveStream = {
      conversationId,
      messageId: reply.id,
      abort: new AbortController(),
      writer: this.#deps.createStreamingWriter((message) => repository.putMessage(message)),
      show: new TaskCoalescer(() => {
        opener.replaceMessage(reply, { retryNotice: null });
        stream.writer.update(reply);
      }),
      finished: new Promise((resolve) => (markFinished = resolve)),
    };
    this.#stream = stream;
    store.update((state) => ({ ...state, streamingMessageId: reply.id }));

    /** The last state, shown and saved. A failed save (a full disk) leaves the text on screen and says so. */
    const finish = async (changes: Partial<MessageRecord>): Promise<void> => {
      // The last state is shown now, with everything streamed before it.
      stream.show.cancel();
      reply = { ...reply, ...changes, updatedAt: this.#deps.now() };
      opener.replaceMessage(reply);
      stream.writer.update(reply);
      try {
        await stream.writer.flush();
      } catch (error) {
        alerts.show(errorMessage(error));
      } finally {
        stream.writer.dispose();
      }
      writer.touchConversation(conversationId, reply.updatedAt);
    };

    try {
      if (mode === 'new') {
        await writer.saveNew(reply);
      } else {
        opener.replaceMessage(reply);
        await writer.save(reply);
      }
      const documents = await this.#deps.documents.place({ turns, questionIndex, history, settings });
      // What the model sees of the files is saved with the reply ("Sources"); a regenerate sees them afresh.
      reply = { ...reply, sources: documents.sources };
      if (documents.sources.length === 0) delete reply.sources;
      const engine = await this.#deps.engines.resolve(settings);
      reply = { ...reply, engine: engine.kind, model: engine.model };
      let usage: Usage | undefined;
      let finishReason: string | null | undefined;
      const chunks = engine.chat(
        {
          messages: documents.turns,
          params: settings.sampling,
          onRetry: (notice) => store.update((state) => ({ ...state, retryNotice: notice })),
        },
        stream.abort.signal,
      );
      for await (const chunk of chunks) {
        if (chunk.delta) {
          reply = { ...reply, content: reply.content + chunk.delta, updatedAt: this.#deps.now() };
          stream.show.request();
        }
        if (chunk.omittedTurns) reply = { ...reply, omittedTurns: chunk.omittedTurns };
        if (chunk.usage) usage = chunk.usage;
        if (chunk.finishReason) finishReason = chunk.finishReason;
      }
      const stopped = stream.abort.signal.aborted || finishReason === 'abort';
      await finish({ status: stopped ? 'stopped' : 'complete', ...(usage ? { usage } : {}) });
    } catch (error) {
      if (stream.abort.signal.aborted && (isAbortError(error) || !(error instanceof EngineError))) {
        await finish({ status: 'stopped' });
      } else {
        const message = errorMessage(error);
        await finish({ status: 'error', error: message });
        this.#alertFailure(error, message, reply, settings);
      }
    } finally {
      if (this.#stream === stream) this.#stream = null;
      markFinished();
      store.update((state) => ({
        ...state,
        streamingMessageId: state.streamingMessageId === reply.id ? null : state.streamingMessageId,
        retryNotice: null,
      }));
    }
  }

  /** Shows a failed reply's alert now, and the action it offers (which may need a catalogue look-up) once known. */
  #alertFailure(error: unknown, message: string, reply: MessageRecord, settings: Settings): void {
    const id = this.#deps.alerts.show(message);
    const failed = { settings, model: reply.model ?? '', messageId: reply.id };
    // "Use <model>" changes the model in Settings, which a conversation's preset that names its own overrides:
    // there the button would only fail again.
    const presetModel = chosenModel(settings) !== chosenModel(this.#deps.store.getState().settings);
    // Only a failed reply needs it: not part of the first screen. If it cannot load, the alert simply offers nothing.
    void import('./model-recovery.js')
      .then(({ recoveryAction }) => recoveryAction(error, failed, this.#deps.alternativeModel))
      .then(
        (action) => {
          if (action && !(action.kind === 'use-model' && presetModel)) this.#deps.alerts.offer(id, action);
        },
        () => undefined,
      );
  }
}
