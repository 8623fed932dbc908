/**
 * The message box's tray: files attached and not sent yet. Each is read into text as soon as it is attached (the
 * documents code loads then, never on the first screen), shows as 'reading' (a PDF with its pages read so far),
 * then 'ready'. Their text stays here, in memory, until the message goes: the store holds only what a chip shows.
 * A file that cannot be read becomes an alert with the reader's own sentence, and is never added.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { MessageRecord } from '../domain/records.js';
import type { ExtractedDocument, ReadOptions, ReadResult } from '../documents/read-attachment.js';
import type { AlertBoard } from './alert-board.js';
import type { AttachmentSummary, PendingAttachment } from './app-state.js';
import type { AttachmentPassages } from './attachment-passages.js';
import type { Store } from './store.js';

/** The part of the documents code the tray uses (`read-attachment.ts`). */
export interface AttachmentReader {
  readAttachment(file: File, options: ReadOptions): Promise<ReadResult>;
  displayName(name: string): string;
}

export interface AttachmentTrayDeps {
  store: Store;
  alerts: AlertBoard;
  /** Splits a sent file into passages (and indexes them for its replies). */
  passages: AttachmentPassages;
  newId: () => string;
  now: () => number;
  /** Loads the reader. Default: the documents code, with a dynamic import on the first attach. */
  loadReader?: () => Promise<AttachmentReader>;
}

/** A file of the tray that is read: what sending it needs. */
interface ReadyAttachment {
  id: string;
  name: string;
  size: number;
  document: ExtractedDocument;
  original?: Blob;
}

export const READER_UNAVAILABLE =
  'Files cannot be read right now: part of the app did not load. Check your connection, reload the page and ' +
  'attach the file again.';

interface Entry {
  abort: AbortController;
  document?: ExtractedDocument;
  /** The file as attached (or as kept, when put back): stored as `bytes` only if Settings say to keep originals. */
  original?: Blob;
}

export class AttachmentTray {
  readonly #deps: AttachmentTrayDeps;
  readonly #entries = new Map<string, Entry>();
  /** Every `attach` still running (loading the reader, then reading), for `whenRead`. */
  readonly #running = new Set<Promise<void>>();

  constructor(deps: AttachmentTrayDeps) {
    this.#deps = deps;
  }

  /** Reads each file into the tray, side by side; resolves when every one is ready, failed or removed. */
  attach(files: readonly File[]): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    const running = this.#attach(files).finally(() => this.#running.delete(running));
    this.#running.add(running);
    return running;
  }

  /** Takes a file out of the tray; a read still running is cancelled (and says nothing). */
  remove(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.abort.abort();
    this.#discard([id]);
  }

  /** Resolves once no file of the tray is being read (a send waits here for one still 'reading'). */
  async whenRead(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /**
   * The records to store with `message` (a user message about to be sent): every ready file of the tray, in the
   * order attached, split into passages. A file still being read is waited for first. They stay in the tray until
   * `sent`, so a failed write leaves them there to send again.
   */
  async recordsFor(message: MessageRecord): Promise<AttachmentRecord[]> {
    await this.whenRead();
    const createdAt = this.#deps.now();
    const keepOriginals = this.#deps.store.getState().settings.keepAttachmentOriginals;
    return Promise.all(
      this.#ready().map(async ({ id, name, size, document, original }) => ({
        id,
        conversationId: message.conversationId,
        messageId: message.id,
        name,
        type: document.type,
        size,
        text: document.text,
        passages: await this.#deps.passages.split(id, document.text),
        ...(document.pages === undefined ? {} : { pages: document.pages }),
        ...(keepOriginals && original ? { bytes: original } : {}),
        createdAt,
      })),
    );
  }

  /**
   * Files taken back with their question ("Undo last exchange"): ready in the tray again, as they were read, under
   * new ids (the stored ones come back if that is undone). Returns the ids given, in the order of `records`.
   */
  putBack(records: readonly AttachmentRecord[]): string[] {
    const added: PendingAttachment[] = records.map(({ text, type, pages, name, size, bytes }) => {
      const id = this.#deps.newId();
      this.#entries.set(id, {
        abort: new AbortController(),
        document: { text, type, ...(pages === undefined ? {} : { pages }) },
        ...(bytes ? { original: bytes } : {}),
      });
      return { id, name, size, type, status: 'ready' };
    });
    if (added.length > 0) this.#update((pending) => [...pending, ...added]);
    return added.map((attachment) => attachment.id);
  }

  /** Stored with their message: out of the tray, and into the open conversation's summaries. */
  sent(records: readonly AttachmentRecord[]): void {
    if (records.length === 0) return;
    this.#discard(records.map((record) => record.id));
    this.#deps.store.update((state) => ({
      ...state,
      attachments: { ...state.attachments, ...summariesOf(records) },
    }));
  }

  #ready(): ReadyAttachment[] {
    const ready: ReadyAttachment[] = [];
    for (const attachment of this.#deps.store.getState().pendingAttachments) {
      const entry = this.#entries.get(attachment.id);
      if (attachment.status === 'ready' && entry?.document) {
        const { id, name, size } = attachment;
        ready.push({
          id,
          name,
          size,
          document: entry.document,
          ...(entry.original ? { original: entry.original } : {}),
        });
      }
    }
    return ready;
  }

  #discard(ids: readonly string[]): void {
    for (const id of ids) this.#entries.delete(id);
    const gone = new Set(ids);
    this.#update((pending) => pending.filter((attachment) => !gone.has(attachment.id)));
  }

  async #attach(files: readonly File[]): Promise<void> {
    let reader: AttachmentReader;
    try {
      reader = await (this.#deps.loadReader ?? loadDocumentsReader)();
    } catch {
      this.#deps.alerts.show(READER_UNAVAILABLE);
      return;
    }
    await Promise.all(files.map((file) => this.#read(reader, file)));
  }

  async #read(reader: AttachmentReader, file: File): Promise<void> {
    const id = this.#deps.newId();
    const entry: Entry = { abort: new AbortController() };
    const { signal } = entry.abort;
    const name = reader.displayName(file.name);
    this.#entries.set(id, entry);
    this.#update((pending) => [...pending, { id, name, size: file.size, type: file.type, status: 'reading' }]);
    let result: ReadResult;
    try {
      result = await reader.readAttachment(file, {
        signal,
        onProgress: ({ page, pages }) => {
          if (!signal.aborted)
            this.#patch(id, (attachment) => ({ ...attachment, progress: { pagesRead: page, pages } }));
        },
      });
    } catch {
      // Removed meanwhile: nobody is waiting for this file any more.
      if (signal.aborted) return;
      result = { ok: false, failure: { code: 'unreadable', message: `“${name}” could not be read. Attach it again.` } };
    }
    if (signal.aborted) return;
    if (!result.ok) {
      this.#discard([id]);
      this.#deps.alerts.show(result.failure.message);
      return;
    }
    entry.document = result.document;
    entry.original = file;
    const { type } = result.document;
    this.#patch(id, ({ progress: _done, ...attachment }) => ({ ...attachment, type, status: 'ready' }));
  }

  #patch(id: string, change: (attachment: PendingAttachment) => PendingAttachment): void {
    this.#update((pending) => pending.map((attachment) => (attachment.id === id ? change(attachment) : attachment)));
  }

  #update(change: (pending: readonly PendingAttachment[]) => readonly PendingAttachment[]): void {
    this.#deps.store.update((state) => ({ ...state, pendingAttachments: change(state.pendingAttachments) }));
  }
}

/** What the transcript shows of stored attachments, by id: no text, no bytes (only whether they are kept). */
export function summariesOf(records: readonly AttachmentRecord[]): Record<string, AttachmentSummary> {
  const summaries: Record<string, AttachmentSummary> = {};
  for (const { id, name, type, size, pages, bytes } of records) {
    summaries[id] = { id, name, type, size, kept: bytes !== undefined, ...(pages === undefined ? {} : { pages }) };
  }
  return summaries;
}

async function loadDocumentsReader(): Promise<AttachmentReader> {
  const { readAttachment, displayName } = await import('../documents/read-attachment.js');
  return { readAttachment, displayName };
}
