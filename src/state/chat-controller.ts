/**
 * The chat controller: the one place where the UI's requests meet engines and storage. It owns the store, streams
 * replies into it, and persists every word the user typed or saw. Components never call engines or storage; they
 * raise events, and the root element calls these actions.
 */
import { EngineError, isAbortError, type ChatEngine, type ChatTurn, type Usage } from '../engines/types.js';
import type { StreamingWriter } from '../storage/streaming-writer.js';
import type { ChatRepository } from '../storage/types.js';
import type { AppAlert, AppState, ChatActions, EngineStatus, StateSource } from './app-state.js';
import {
  addAlert,
  dismissAlert,
  historyForEngine,
  lastExchange,
  markInterrupted,
  removeConversation,
  removeMessage,
  titleFromText,
  upsertConversation,
  upsertMessage,
} from './reducers.js';
import { Store } from './store.js';
import { DEFAULT_SETTINGS, type ConversationRecord, type MessageRecord, type Settings } from './types.js';

/** Chooses and describes the engine for the current settings. */
export interface EngineResolver {
  /** The engine that will answer with these settings; throws an EngineError when it cannot be used. */
  resolve(settings: Settings): Promise<ChatEngine>;
  describe(settings: Settings): EngineStatus;
}

export interface ChatControllerDeps {
  repository: ChatRepository;
  engines: EngineResolver;
  createStreamingWriter: (save: (message: MessageRecord) => Promise<void>) => StreamingWriter;
  now?: () => number;
  newId?: () => string;
}

interface ActiveStream {
  messageId: string;
  abort: AbortController;
  writer: StreamingWriter;
  /** Settles when the reply is finished and its last state written. */
  finished: Promise<void>;
}

export class ChatController implements ChatActions, StateSource {
  readonly #store: Store;
  readonly #repository: ChatRepository;
  readonly #engines: EngineResolver;
  readonly #createWriter: ChatControllerDeps['createStreamingWriter'];
  readonly #now: () => number;
  readonly #newId: () => string;
  #stream: ActiveStream | null = null;
  #nextAlertId = 1;

  constructor(deps: ChatControllerDeps) {
    this.#repository = deps.repository;
    this.#engines = deps.engines;
    this.#createWriter = deps.createStreamingWriter;
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
    this.#store = new Store({
      conversations: [],
      activeConversationId: null,
      messages: [],
      settings: DEFAULT_SETTINGS,
      streamingMessageId: null,
      retryNotice: null,
      alerts: [],
      engineStatus: deps.engines.describe(DEFAULT_SETTINGS),
      ready: false,
    });
  }

  getState(): AppState {
    return this.#store.getState();
  }

  subscribe(listener: (state: AppState) => void): () => void {
    return this.#store.subscribe(listener);
  }

  /** Reads settings and conversations, and reopens the most recent conversation. */
  async start(): Promise<void> {
    await this.#guard(async () => {
      const [settings, conversations] = await Promise.all([
        this.#repository.loadSettings(),
        this.#repository.listConversations(),
      ]);
      this.#store.update((state) => ({
        ...state,
        settings,
        conversations,
        engineStatus: this.#engines.describe(settings),
      }));
      const latest = conversations[0];
      if (latest) await this.openConversation(latest.id);
    });
    this.#store.update((state) => ({ ...state, ready: true }));
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    if (content === '' || this.#stream) return;
    await this.#guard(async () => {
      const conversation = await this.#ensureConversation(content);
      const userMessage = this.#newMessage(conversation.id, 'user', content, 'complete');
      await this.#saveMessage(userMessage);
      await this.#generate(conversation.id);
    });
  }

  stop(): void {
    this.#stream?.abort.abort();
  }

  async retry(): Promise<void> {
    if (this.#stream) return;
    const { activeConversationId, messages } = this.getState();
    const exchange = lastExchange(messages);
    if (!activeConversationId || !exchange) return;
    const previousReply = exchange.reply;
    await this.#guard(async () => {
      if (previousReply) {
        await this.#repository.deleteMessage(previousReply.id);
        this.#store.update((state) => ({ ...state, messages: removeMessage(state.messages, previousReply.id) }));
      }
      await this.#generate(activeConversationId);
    });
  }

  async clear(): Promise<void> {
    const { activeConversationId } = this.getState();
    if (!activeConversationId) return;
    await this.#stopAndWait();
    await this.#guard(async () => {
      await this.#repository.deleteMessages(activeConversationId);
      this.#store.update((state) => ({ ...state, messages: [] }));
    });
  }

  async newConversation(): Promise<void> {
    this.stop();
    this.#store.update((state) => ({ ...state, activeConversationId: null, messages: [] }));
  }

  async openConversation(id: string): Promise<void> {
    if (this.#stream && this.getState().activeConversationId !== id) this.stop();
    await this.#guard(async () => {
      const stored = await this.#repository.listMessages(id);
      const messages = markInterrupted(stored, this.#now());
      this.#store.update((state) => ({ ...state, activeConversationId: id, messages }));
      const interrupted = messages.filter((message, index) => message !== stored[index]);
      await Promise.all(interrupted.map((message) => this.#repository.putMessage(message)));
    });
  }

  async renameConversation(id: string, title: string): Promise<void> {
    const trimmed = title.trim();
    const conversation = this.getState().conversations.find((existing) => existing.id === id);
    if (!conversation || trimmed === '' || trimmed === conversation.title) return;
    await this.#guard(async () => {
      const renamed = { ...conversation, title: trimmed };
      await this.#repository.putConversation(renamed);
      this.#store.update((state) => ({
        ...state,
        conversations: state.conversations.map((existing) => (existing.id === id ? renamed : existing)),
      }));
    });
  }

  async deleteConversation(id: string): Promise<void> {
    // The reply's last write must land before the delete, or it would leave a message without its conversation.
    if (this.getState().activeConversationId === id) await this.#stopAndWait();
    await this.#guard(async () => {
      await this.#repository.deleteConversation(id);
      this.#store.update((state) => {
        const isOpen = state.activeConversationId === id;
        return {
          ...state,
          conversations: removeConversation(state.conversations, id),
          activeConversationId: isOpen ? null : state.activeConversationId,
          messages: isOpen ? [] : state.messages,
        };
      });
    });
  }

  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const settings: Settings = {
      ...this.getState().settings,
      ...patch,
      sampling: { ...this.getState().settings.sampling, ...patch.sampling },
    };
    this.#store.update((state) => ({ ...state, settings, engineStatus: this.#engines.describe(settings) }));
    await this.#guard(() => this.#repository.saveSettings(settings));
  }

  /** Re-reads the engine status, for changes that come from the engine rather than from settings (a download). */
  refreshEngineStatus(): void {
    this.#store.update((state) => {
      const engineStatus = this.#engines.describe(state.settings);
      return sameStatus(engineStatus, state.engineStatus) ? state : { ...state, engineStatus };
    });
  }

  dismissAlert(id: number): void {
    this.#store.update((state) => ({ ...state, alerts: dismissAlert(state.alerts, id) }));
  }

  /** Writes the streaming reply now: called when the page is being hidden or closed. */
  async flushPending(): Promise<void> {
    await this.#stream?.writer.flush();
  }

  showAlert(message: string): void {
    const alert: AppAlert = { id: this.#nextAlertId++, message };
    this.#store.update((state) => ({ ...state, alerts: addAlert(state.alerts, alert) }));
  }

  async #stopAndWait(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    stream.abort.abort();
    await stream.finished;
  }

  async #ensureConversation(firstText: string): Promise<ConversationRecord> {
    const { activeConversationId, conversations } = this.getState();
    const existing = conversations.find((conversation) => conversation.id === activeConversationId);
    if (existing) return existing;
    const now = this.#now();
    const conversation: ConversationRecord = {
      id: this.#newId(),
      title: titleFromText(firstText),
      createdAt: now,
      updatedAt: now,
    };
    await this.#repository.putConversation(conversation);
    this.#store.update((state) => ({
      ...state,
      conversations: upsertConversation(state.conversations, conversation),
      activeConversationId: conversation.id,
      messages: [],
    }));
    return conversation;
  }

  #newMessage(
    conversationId: string,
    role: MessageRecord['role'],
    content: string,
    status: MessageRecord['status'],
  ): MessageRecord {
    const now = this.#now();
    return { id: this.#newId(), conversationId, role, content, createdAt: now, updatedAt: now, status };
  }

  async #saveMessage(message: MessageRecord): Promise<void> {
    this.#showMessage(message);
    await this.#repository.putMessage(message);
    this.#touchConversation(message.conversationId, message.updatedAt);
  }

  #showMessage(message: MessageRecord): void {
    this.#store.update((state) =>
      state.activeConversationId === message.conversationId
        ? { ...state, messages: upsertMessage(state.messages, message) }
        : state,
    );
  }

  #touchConversation(id: string, updatedAt: number): void {
    this.#store.update((state) => {
      const conversation = state.conversations.find((existing) => existing.id === id);
      if (!conversation || conversation.updatedAt >= updatedAt) return state;
      return { ...state, conversations: upsertConversation(state.conversations, { ...conversation, updatedAt }) };
    });
  }

  /** Streams a reply to the conversation's messages as they stand, persisting it as it grows. */
  async #generate(conversationId: string): Promise<void> {
    const { settings } = this.getState();
    const history: ChatTurn[] = [
      { role: 'system', content: settings.systemPrompt },
      ...historyForEngine(this.getState().messages),
    ];
    const status = this.#engines.describe(settings);
    let reply: MessageRecord = {
      ...this.#newMessage(conversationId, 'assistant', '', 'streaming'),
      engine: settings.engine,
      model: status.model,
    };
    let markFinished = () => {};
    const stream: ActiveStream = {
      messageId: reply.id,
      abort: new AbortController(),
      writer: this.#createWriter((message) => this.#repository.putMessage(message)),
      finished: new Promise((resolve) => (markFinished = resolve)),
    };
    this.#stream = stream;
    this.#store.update((state) => ({ ...state, streamingMessageId: reply.id }));
    await this.#saveMessage(reply);

    const finish = async (changes: Partial<MessageRecord>): Promise<void> => {
      reply = { ...reply, ...changes, updatedAt: this.#now() };
      this.#showMessage(reply);
      stream.writer.update(reply);
      await stream.writer.flush();
      stream.writer.dispose();
      this.#touchConversation(conversationId, reply.updatedAt);
    };

    try {
      const engine = await this.#engines.resolve(settings);
      reply = { ...reply, engine: engine.kind, model: engine.model };
      let usage: Usage | undefined;
      let finishReason: string | null | undefined;
      const chunks = engine.chat(
        {
          messages: history,
          params: settings.sampling,
          onRetry: (notice) => this.#store.update((state) => ({ ...state, retryNotice: notice })),
        },
        stream.abort.signal,
      );
      for await (const chunk of chunks) {
        if (chunk.delta) {
          reply = { ...reply, content: reply.content + chunk.delta, updatedAt: this.#now() };
          this.#store.update((state) => ({
            ...state,
            retryNotice: null,
            messages:
              state.activeConversationId === conversationId ? upsertMessage(state.messages, reply) : state.messages,
          }));
          stream.writer.update(reply);
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
        this.showAlert(message);
      }
    } finally {
      if (this.#stream === stream) this.#stream = null;
      markFinished();
      this.#store.update((state) => ({
        ...state,
        streamingMessageId: state.streamingMessageId === reply.id ? null : state.streamingMessageId,
        retryNotice: null,
      }));
    }
  }

  /** Runs a storage step; a failure becomes an alert and the in-memory state keeps what the user sees. */
  async #guard(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.showAlert(errorMessage(error));
    }
  }
}

function sameStatus(a: EngineStatus, b: EngineStatus): boolean {
  return (
    a.engine === b.engine &&
    a.label === b.label &&
    a.model === b.model &&
    a.available === b.available &&
    a.detail === b.detail
  );
}

function errorMessage(error: unknown): string {
  if (error instanceof EngineError) return error.userMessage;
  if (error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string') {
    return error.userMessage;
  }
  return 'Something went wrong and the reply could not be finished. Try again; if it keeps failing, reload the page.';
}
