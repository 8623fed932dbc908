/** What the chat session is given: storage, engines and their services, and (for tests) the browser's clocks. */
import type { EngineResolver } from '../engines/types.js';
import type { DraftStore } from '../storage/drafts.js';
import type { StorageUsage } from '../storage/health.js';
import type { TimerHandle } from '../storage/streaming-writer.js';
import type { ChatRepository } from '../storage/types.js';
import type { UnsavedReplyStore } from '../storage/unsaved-reply.js';
import type { PassageIndex } from '../documents/passage-index.js';
import type { AttachmentReader } from './attachment-tray.js';
import type { AlternativeModel } from './model-recovery.js';
import type { CreateStreamingWriter } from './reply-runner.js';
import type { LazyCatalogueSource, LocalModelSource } from './settings-keeper.js';

export interface ChatSessionDeps {
  repository: ChatRepository;
  engines: EngineResolver;
  createStreamingWriter: CreateStreamingWriter;
  /** The local model service: its state becomes `AppState.local`, and its changes refresh the engine line. */
  local?: LocalModelSource;
  /** The hosted catalogue service, once created: its view becomes `AppState.catalogue`. */
  catalogues?: LazyCatalogueSource;
  /** Hands an exported file to the user. Default: a download through a temporary `<a download>`. */
  saveFile?: (name: string, blob: Blob) => void;
  /** Asks the browser to keep the site's data; resolves to whether it will. Default: `navigator.storage.persist`. */
  requestPersistentStorage?: () => Promise<boolean>;
  /** Measures storage for `refreshStorageUsage`. Default: `estimateUsage(repository)`. */
  estimateUsage?: () => Promise<StorageUsage>;
  /** Runs `callback` once the page is idle after start (to build the search index). Default: requestIdleCallback. */
  whenIdle?: (callback: () => void) => void;
  /**
   * Resolves once what was just rendered can be on screen: a long conversation shows its newest messages, and only
   * then reads the rest. Default: the next animation frame (or 50 ms, in a hidden tab), then a task.
   */
  afterPaint?: () => Promise<void>;
  /** For the Undo offer and for noticing that another tab's reply went silent. Default: setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  /** Where `flushPending` leaves a synchronous copy of the streaming reply. Default: localStorage. */
  unsavedReplies?: UnsavedReplyStore;
  /** Where unsent text is kept, per conversation. Default: localStorage. */
  drafts?: DraftStore;
  /** A served model to offer when a reply fails because its model is not served. Default: none offered. */
  alternativeModel?: AlternativeModel;
  /** Reads attached files into text. Default: the documents code, loaded on the first attach. */
  loadAttachmentReader?: () => Promise<AttachmentReader>;
  /** Creates the passage index of attachments. Default: the search worker's, started on first use. */
  passageIndex?: () => Promise<PassageIndex>;
  now?: () => number;
  newId?: () => string;
}

export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    // A hidden tab has no frames: the timer keeps the rest of the read from waiting until it is shown.
    const fallback = setTimeout(resolve, 50);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      setTimeout(resolve, 0);
    });
  });
}
