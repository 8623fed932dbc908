/**
 * BM25 retrieval over the passages of every attached file, with MiniSearch: one index for all files, so scores
 * compare across them (a term rare in all of them ranks above one common in one). Runs in the search worker
 * (search-worker.ts); tests and the bench run it directly.
 */

import MiniSearch from 'minisearch';
import type { PassageSpan } from '../domain/attachments.js';

export interface RankedPassage {
  attachmentId: string;
  /** Index into the attachment's `passages`. */
  passageIndex: number;
  score: number;
}

interface IndexedPassage {
  id: number;
  text: string;
}

/**
 * Words that say what kind of question it is, not what it is about. BM25 already weighs them down (they are in every
 * passage), but dropping them keeps the index a fifth smaller and stops "what is the…" ranking a passage of
 * questions first.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by did do does for from had has have how i in is it its me my of on or so than that the ' +
    'their them then there these they this to was were what when where which who whom why will with you your'
  ).split(' '),
);

// eslint-disable-next-line no-control-regex -- the range is "any ASCII character"
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

export class PassageSearch {
  readonly #index = new MiniSearch<IndexedPassage>({
    fields: ['text'],
    storeFields: [],
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: { combineWith: 'OR', prefix: false, fuzzy: false },
  });
  #nextId = 0;
  /** MiniSearch ids of each attachment's passages, in passage order. */
  readonly #idsByAttachment = new Map<string, number[]>();
  readonly #passageById = new Map<number, { attachmentId: string; passageIndex: number }>();

  /** Indexes (or re-indexes) one attachment's passages. */
  add(attachmentId: string, text: string, passages: readonly PassageSpan[]): void {
    this.remove(attachmentId);
    const ids: number[] = [];
    const documents = passages.map((span, passageIndex) => {
      const id = this.#nextId++;
      ids.push(id);
      this.#passageById.set(id, { attachmentId, passageIndex });
      return { id, text: text.slice(span.start, span.end) };
    });
    this.#index.addAll(documents);
    this.#idsByAttachment.set(attachmentId, ids);
  }

  remove(attachmentId: string): void {
    const ids = this.#idsByAttachment.get(attachmentId);
    if (!ids) return;
    this.#index.discardAll(ids);
    for (const id of ids) this.#passageById.delete(id);
    this.#idsByAttachment.delete(attachmentId);
  }

  has(attachmentId: string): boolean {
    return this.#idsByAttachment.has(attachmentId);
  }

  /** The `k` passages most relevant to `question`, best first; only of `attachmentIds` when given. */
  retrieve(question: string, k: number, attachmentIds?: readonly string[]): RankedPassage[] {
    const only = attachmentIds ? new Set(attachmentIds) : null;
    const ranked: RankedPassage[] = [];
    const filter = only
      ? (result: { id: number }): boolean => only.has(this.#passageById.get(result.id)?.attachmentId ?? '')
      : undefined;
    for (const result of this.#index.search(question, filter ? { filter } : {})) {
      const passage = this.#passageById.get(result.id as number);
      if (!passage) continue;
      ranked.push({ ...passage, score: result.score });
      if (ranked.length >= k) break;
    }
    return ranked;
  }
}

/**
 * Words are runs of letters, digits and combining marks. The passage is lower-cased once, not term by term: on a
 * 2 MB file that is a third of MiniSearch's default tokenizing time.
 */
function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  // Most passages are ASCII, and an ASCII class splits them in half the time of Unicode properties on a cold start
  // (each file is indexed once, mostly before the JIT has warmed up).
  return ASCII_ONLY.test(lower) ? lower.split(/[^a-z0-9]+/) : lower.split(/[^\p{L}\p{N}\p{M}]+/u);
}

/** Accents folded ("Pâtisserie" matches "patisserie"), stop words and empty strings out. */
function normalizeTerm(term: string): string | null {
  if (term === '' || STOP_WORDS.has(term)) return null;
  // Most terms are plain ASCII: skip the Unicode normalisation they do not need.
  if (ASCII_ONLY.test(term)) return term;
  return term.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}
