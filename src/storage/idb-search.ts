/**
 * The search of one IndexedDB repository. Its index is filled and searched in a dedicated worker with a connection of
 * its own (search-worker.ts), so neither reading 100,000 messages nor folding them holds up the page; the page only
 * tells it what it stored, and gets back results ready to show. The worker starts on the first search or preparation
 * (the app asks once it is idle after start, so never before first paint). Where no worker can run (none in this
 * browser, a policy that forbids it, or it stopped), the same index runs on the page, loaded only then.
 */
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import { watchWorker } from '../messaging/endpoint.js';
import { decodeError } from '../messaging/error-codec.js';
import { PendingCalls } from '../messaging/pending-calls.js';
import type { ChatDatabase } from './schema.js';
import type { IndexableAttachment, SearchOptions, SearchResult } from './search-index.js';
import {
  attachmentFields,
  conversationFields,
  messageNotice,
  type FromSearchWorker,
  type SearchNotice,
  type ToSearchWorker,
} from './search-protocol.js';

/** The entry the bench reads: from starting the index (its worker included) until it is ready to answer. */
export const SEARCH_INDEX_BUILT_MEASURE = 'mc-search-index-built';

/** A worker this slow to start is given up on, and the page holds the index itself. */
const WORKER_START_TIMEOUT_MS = 10_000;

/** A request before the worker's id is given to it. */
type RequestBody = { type: 'prepare' } | { type: 'search'; query: string; options: SearchOptions | undefined };

/** Where the index is: in a worker or on the page. */
interface SearchBackend {
  readonly inWorker: boolean;
  notify(notice: SearchNotice): void;
  request(body: RequestBody): Promise<SearchResult[] | null>;
  close(): void;
}

/** The backend stopped before it answered: the request is made again on a new one. */
class BackendStopped extends Error {
  override readonly name = 'BackendStopped';
  /** The worker failed (it did not start, or it crashed), rather than being closed on purpose. */
  readonly workerFailed: boolean;

  constructor(reason: string, workerFailed: boolean) {
    super(reason);
    this.workerFailed = workerFailed;
  }
}

export class IdbSearch {
  readonly #connect: () => Promise<ChatDatabase>;
  /** Set once the backend can take notices; until then nothing is told, as it reads what is stored when it fills. */
  #backend: SearchBackend | null = null;
  #starting: Promise<SearchBackend> | null = null;
  /** After a worker failed once, the page keeps the index. */
  #workerFailed = false;

  constructor(connect: () => Promise<ChatDatabase>) {
    this.#connect = connect;
  }

  conversationChanged(conversation: ConversationRecord): void {
    this.#backend?.notify({ type: 'conversation-changed', conversation: conversationFields(conversation) });
  }

  messageChanged(message: MessageRecord): void {
    this.#backend?.notify(messageNotice(message));
  }

  messageDeleted(id: string, conversationId: string): void {
    this.#backend?.notify({ type: 'message-deleted', id, conversationId });
  }

  attachmentChanged(attachment: IndexableAttachment): void {
    this.#backend?.notify({ type: 'attachment-changed', attachment: attachmentFields(attachment) });
  }

  attachmentDeleted(id: string, conversationId: string): void {
    this.#backend?.notify({ type: 'attachment-deleted', id, conversationId });
  }

  /** The conversation now holds exactly this, files included (`undefined`: it is gone). */
  conversationReplaced(
    id: string,
    conversation: ConversationRecord | undefined,
    messages: readonly MessageRecord[],
    attachments: readonly IndexableAttachment[] = [],
  ): void {
    this.#backend?.notify({
      type: 'conversation-replaced',
      id,
      conversation: conversation && conversationFields(conversation),
      messages: messages.map((message) => {
        const { id: messageId, conversationId, content, createdAt } = message;
        return { id: messageId, conversationId, content, createdAt };
      }),
      attachments: attachments.map(attachmentFields),
    });
  }

  /** Changed by another tab: read again before the next search. */
  markStale(conversationIds: readonly string[]): void {
    this.#backend?.notify({ type: 'stale', conversationIds: [...conversationIds] });
  }

  async prepare(): Promise<void> {
    await this.#request({ type: 'prepare' });
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    return (await this.#request({ type: 'search', query, options })) ?? [];
  }

  /** Drops the index (and its memory, stopping its worker); the next search fills it again. */
  clear(): void {
    this.#backend?.close();
    this.#backend = null;
    this.#starting = null;
  }

  async #request(body: RequestBody): Promise<SearchResult[] | null> {
    // Twice at most: a worker that fails hands its requests to the page; one cleared away, to a fresh worker.
    for (let attempt = 0; ; attempt++) {
      const starting = this.#start();
      try {
        return await (await starting).request(body);
      } catch (error) {
        if (!(error instanceof BackendStopped) || attempt > 0) throw error;
        if (error.workerFailed) this.#workerFailed = true;
        if (this.#starting === starting) this.clear();
      }
    }
  }

  #start(): Promise<SearchBackend> {
    if (!this.#starting) {
      const startedAt = performance.now();
      const starting = this.#open().then((backend) => {
        // Cleared while it started: its worker must not be left running.
        if (this.#starting !== starting) {
          backend.close();
          throw new BackendStopped('The search index was dropped.', false);
        }
        this.#backend = backend;
        return measureFirstAnswer(backend, startedAt);
      });
      this.#starting = starting;
      // A failed start is not kept: the next request tries again.
      starting.catch(() => {
        if (this.#starting === starting) this.#starting = null;
      });
    }
    return this.#starting;
  }

  async #open(): Promise<SearchBackend> {
    if (!this.#workerFailed && typeof Worker === 'function') {
      const { name } = await this.#connect();
      const backend = startWorkerBackend(name);
      if (backend) return backend;
      this.#workerFailed = true;
    }
    const { IndexedSearch } = await import('./indexed-search.js');
    const search = new IndexedSearch(this.#connect);
    return {
      inWorker: false,
      notify: (notice) => search.apply(notice),
      request: async (body) => {
        if (body.type === 'prepare') {
          await search.prepare();
          return null;
        }
        return search.search(body.query, body.options);
      },
      close: () => search.clear(),
    };
  }
}

/** The backend, whose first answer (the index was filled by then) is recorded as a performance measure. */
function measureFirstAnswer(backend: SearchBackend, startedAt: number): SearchBackend {
  let measured = false;
  return {
    inWorker: backend.inWorker,
    notify: (notice) => backend.notify(notice),
    request: async (body) => {
      const result = await backend.request(body);
      if (!measured) {
        measured = true;
        performance.measure(SEARCH_INDEX_BUILT_MEASURE, { start: startedAt, detail: { inWorker: backend.inWorker } });
      }
      return result;
    },
    close: () => backend.close(),
  };
}

/** The worker, or `null` where it cannot be made. Requests sent before it is ready wait in its queue. */
function startWorkerBackend(databaseName: string): SearchBackend | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./search-worker.ts', import.meta.url), { type: 'module', name: 'search' });
  } catch {
    return null;
  }
  const pending = new PendingCalls<{ resolve(results: SearchResult[] | null): void; reject(error: Error): void }>(
    (request, error) => request.reject(error),
  );
  let stopped = false;
  const stop = (error: BackendStopped): void => {
    stopped = true;
    pending.close(error);
  };
  const end = watchWorker<FromSearchWorker>(worker, {
    startTimeoutMs: WORKER_START_TIMEOUT_MS,
    onMessage: (message) => {
      if (message.type === 'done') pending.take(message.id)?.resolve(message.results);
      // Rebuilt as what the worker's database threw (by name), so the repository maps it to the same StorageError.
      else pending.fail(message.id, decodeError(message.error));
    },
    onFailure: (detail) => stop(new BackendStopped(`The search worker stopped: ${detail}`, true)),
  });
  const post = (message: ToSearchWorker) => worker.postMessage(message);
  post({ type: 'open', name: databaseName });
  return {
    inWorker: true,
    notify: (notice) => {
      if (!stopped) post(notice);
    },
    request: (body) =>
      new Promise((resolve, reject) => {
        const id = pending.add({ resolve, reject });
        // Without an id the worker has stopped, and the table has failed the request with the reason.
        if (id !== undefined) post({ ...body, id });
      }),
    close: () => {
      end();
      stop(new BackendStopped('The search index was dropped.', false));
    },
  };
}
