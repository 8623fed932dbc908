/**
 * This session's passage index over attachments: a new file is split and indexed in the search worker when it is
 * sent (a 2 MB file takes longer than a frame), and a stored one is indexed with its stored passages the first time
 * a reply needs it. The worker, and the documents code that talks to it, load on first use.
 */
import type { PassageSpan } from '../domain/attachments.js';
import type { PassageIndex, RankedPassage } from '../documents/passage-index.js';

export interface IndexedAttachment {
  id: string;
  text: string;
  passages: readonly PassageSpan[];
}

export class AttachmentPassages {
  readonly #create: () => Promise<PassageIndex>;
  #index: Promise<PassageIndex> | null = null;
  /** Attachments in the index now (this session's worker starts empty). */
  readonly #indexed = new Set<string>();

  constructor(create: () => Promise<PassageIndex> = createIndexInWorker) {
    this.#create = create;
  }

  /** Splits a new attachment's text into passages and indexes them; resolves with the passages. */
  async split(id: string, text: string): Promise<PassageSpan[]> {
    const index = await this.#get();
    const passages = await this.#forgettingOnFailure(index.add(id, text));
    this.#indexed.add(id);
    return passages;
  }

  /** The `k` passages of `attachments` most relevant to `question`, best first. */
  async rank(question: string, k: number, attachments: readonly IndexedAttachment[]): Promise<RankedPassage[]> {
    const searchable = attachments.filter((attachment) => attachment.passages.length > 0);
    if (searchable.length === 0) return [];
    const index = await this.#get();
    await Promise.all(
      searchable
        .filter((attachment) => !this.#indexed.has(attachment.id))
        .map(async ({ id, text, passages }) => {
          await this.#forgettingOnFailure(index.add(id, text, passages));
          this.#indexed.add(id);
        }),
    );
    const ids = searchable.map((attachment) => attachment.id);
    return this.#forgettingOnFailure(index.retrieve(question, k, ids));
  }

  /**
   * A failed call may mean the worker stopped (out of memory on a huge file): the next call starts a new one, empty,
   * so every attachment is indexed again when next needed.
   */
  async #forgettingOnFailure<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      this.#indexed.clear();
      throw error;
    }
  }

  #get(): Promise<PassageIndex> {
    // A failed load (offline, a new deploy) is tried again next time rather than remembered.
    this.#index ??= this.#create().catch((error: unknown) => {
      this.#index = null;
      throw error;
    });
    return this.#index;
  }
}

async function createIndexInWorker(): Promise<PassageIndex> {
  const { createPassageIndex } = await import('../documents/passage-index.js');
  return createPassageIndex();
}
