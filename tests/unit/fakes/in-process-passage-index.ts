import type { PassageSpan } from '../../../src/domain/attachments.js';
import type { PassageIndex, RankedPassage } from '../../../src/documents/passage-index.js';
import { PassageSearch } from '../../../src/documents/passage-search.js';
import { splitPassages } from '../../../src/documents/passages.js';

/** The search worker's work done on the page, as Node has no worker: the same splitting and ranking. */
export class InProcessPassageIndex implements PassageIndex {
  readonly #search = new PassageSearch();
  /** What was indexed, in order: a stored attachment shows up here again when a new session re-indexes it. */
  readonly added: string[] = [];

  async add(attachmentId: string, text: string, passages?: readonly PassageSpan[]): Promise<PassageSpan[]> {
    const spans = passages ? [...passages] : splitPassages(text);
    this.#search.add(attachmentId, text, spans);
    this.added.push(attachmentId);
    return spans;
  }

  async remove(attachmentId: string): Promise<void> {
    this.#search.remove(attachmentId);
  }

  async retrieve(question: string, k: number, attachmentIds?: readonly string[]): Promise<RankedPassage[]> {
    return this.#search.retrieve(question, k, attachmentIds);
  }

  dispose(): void {}
}
