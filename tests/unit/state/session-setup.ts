/** The chat session wired to fakes: scripted engines, an in-memory repository, a clock and timers the test runs. */
import type { UnsavedReplyStore } from '../../../src/storage/unsaved-reply.js';
import { expect } from 'vitest';
import type { ChatEngine, ChatTurn, EngineResolver } from '../../../src/engines/types.js';
import { ChatSession } from '../../../src/state/chat-session.js';
import type { AttachmentReader } from '../../../src/state/attachment-tray.js';
import type { AlternativeModel } from '../../../src/state/model-recovery.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import type { Settings } from '../../../src/domain/settings.js';
import type { StorageUsage } from '../../../src/storage/health.js';
import type { StreamingWriter } from '../../../src/storage/streaming-writer.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { localDraftStore, type DraftStore } from '../../../src/storage/drafts.js';
import type { PassageIndex } from '../../../src/documents/passage-index.js';
import { InProcessPassageIndex } from '../fakes/in-process-passage-index.js';
import { MapStorage } from '../fakes/map-storage.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { SharedDatabase } from '../fakes/tabs.js';
import { ScriptedEngine, type Step } from '../fakes/scripted-engine.js';

/** Timers that fire only when the test says so: the Undo offer lapses at `fire()`, never on its own. */
export class ManualTimers {
  readonly #pending = new Map<number, () => void>();
  #next = 1;

  readonly set = (callback: () => void): number => {
    const handle = this.#next++;
    this.#pending.set(handle, callback);
    return handle;
  };

  readonly clear = (handle: unknown): void => {
    this.#pending.delete(handle as number);
  };

  /** Runs every timer set so far. */
  fire(): void {
    const due = [...this.#pending.values()];
    this.#pending.clear();
    for (const callback of due) callback();
  }
}

export interface SavedFile {
  name: string;
  blob: Blob;
}

export interface SetupOptions<R extends ChatRepository> {
  repository?: R;
  /** Shared by the sessions of one test that stand for two tabs. */
  clock?: { now: number };
  /** Ids made by this session start with it, so two tabs never invent the same one. */
  idPrefix?: string;
  estimateUsage?: () => Promise<StorageUsage>;
  requestPersistentStorage?: () => Promise<boolean>;
  unsavedReplies?: UnsavedReplyStore;
  /** Shared by the sessions of one test that stand for a page and the same page reloaded. */
  drafts?: DraftStore;
  /** When a long conversation, shown on its newest messages, goes on to read the rest. Default: at once. */
  afterPaint?: () => Promise<void>;
  /** Replaces the writer that saves every state on flush (e.g. one that a closing page never lets finish). */
  createStreamingWriter?: (save: (message: MessageRecord) => Promise<void>) => StreamingWriter;
  /** What a "model not served" alert offers instead. */
  alternativeModel?: AlternativeModel;
  /** Whether the local engine can run on this (fake) device. Default: it can. */
  localAvailable?: boolean;
  /** Reads attached files. Default: the documents code (text files read on the page; no worker in Node). */
  loadAttachmentReader?: () => Promise<AttachmentReader>;
  /** The passage index of attachments. Default: one running on the page (Node has no worker). */
  passageIndex?: PassageIndex;
}

/** Engines for each request in turn: a script, or a function making a fresh engine per request. */
export function setup<R extends ChatRepository = MemoryRepository>(
  script: Step[] | (() => ChatEngine),
  options: SetupOptions<R> = {},
) {
  const repository = options.repository ?? (new MemoryRepository() as unknown as R);
  const clock = options.clock ?? { now: 100_000 };
  const prefix = options.idPrefix ?? 'id';
  let ids = 0;
  const engines: ChatEngine[] = [];
  const resolver: EngineResolver = {
    async resolve() {
      const engine = typeof script === 'function' ? script() : new ScriptedEngine(script);
      engines.push(engine);
      return engine;
    },
    describe: (settings: Settings) => ({
      engine: settings.engine,
      label: 'Hugging Face API',
      model: settings.hfModel,
      available: settings.engine !== 'local' || (options.localAvailable ?? true),
    }),
  };
  const savingWriter = (save: (message: MessageRecord) => Promise<void>): StreamingWriter => {
    let latest: MessageRecord | undefined;
    return {
      update: (message) => (latest = message),
      flush: async () => {
        if (latest) await save(latest);
      },
      dispose: () => undefined,
    };
  };
  const timers = new ManualTimers();
  const saved: SavedFile[] = [];
  const idle: (() => void)[] = [];
  const session = new ChatSession({
    repository,
    engines: resolver,
    createStreamingWriter: options.createStreamingWriter ?? savingWriter,
    ...(options.unsavedReplies ? { unsavedReplies: options.unsavedReplies } : {}),
    ...(options.alternativeModel ? { alternativeModel: options.alternativeModel } : {}),
    ...(options.loadAttachmentReader ? { loadAttachmentReader: options.loadAttachmentReader } : {}),
    passageIndex: async () => options.passageIndex ?? new InProcessPassageIndex(),
    drafts: options.drafts ?? localDraftStore(new MapStorage().asStorage()),
    saveFile: (name, blob) => saved.push({ name, blob }),
    requestPersistentStorage: options.requestPersistentStorage ?? (async () => false),
    estimateUsage: options.estimateUsage ?? (() => Promise.reject(new Error('not measured in this test'))),
    whenIdle: (callback) => idle.push(callback),
    afterPaint: options.afterPaint ?? (() => Promise.resolve()),
    setTimer: timers.set,
    clearTimer: timers.clear,
    now: () => (clock.now += 10),
    newId: () => `${prefix}-${++ids}`,
  });
  const lastEngine = () => engines.at(-1) as ScriptedEngine;
  /** What the engine was asked last, without the system prompt. */
  const lastRequest = (): ChatTurn[] =>
    lastEngine()
      .requests.at(-1)!
      .messages.filter((turn) => turn.role !== 'system');
  return { session, repository, lastEngine, lastRequest, clock, timers, saved, idle };
}

/** An engine per request, answering "answer 1", "answer 2", … */
export function numberedAnswers(): () => ChatEngine {
  let calls = 0;
  return () => new ScriptedEngine([{ delta: `answer ${++calls}` }, { finishReason: 'stop' }]);
}

/** Two tabs of the app on one database, on one clock. */
export function twoTabs(engines: { a?: () => ChatEngine; b?: () => ChatEngine } = {}) {
  const database = new SharedDatabase();
  const clock = { now: 100_000 };
  const a = setup(engines.a ?? numberedAnswers(), { repository: database.tab(), clock, idPrefix: 'a' });
  const b = setup(engines.b ?? numberedAnswers(), { repository: database.tab(), clock, idPrefix: 'b' });
  return { a, b, database, clock };
}

export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  expect(condition()).toBe(true);
}

/** What the transcript shows: each message's text. */
export function shown(session: ChatSession): string[] {
  return session.getState().messages.map((message) => message.content);
}

export function messageWith(session: ChatSession, content: string): MessageRecord {
  const message = session.getState().messages.find((candidate) => candidate.content === content);
  if (!message) throw new Error(`no message "${content}" is shown`);
  return message;
}
