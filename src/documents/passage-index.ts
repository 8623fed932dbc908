/**
 * The page's side of the search worker: index an attachment once (the worker splits it into passages too, which on
 * a 2 MB file takes longer than a frame), then ask for the passages most relevant to each question. The worker, and
 * MiniSearch in it, starts on the first call.
 */

import type { PassageSpan } from '../domain/attachments.js';
import type { RankedPassage } from './passage-search.js';
import { WorkerRpc } from './worker-rpc.js';

export type { RankedPassage } from './passage-search.js';

export type SearchCall =
  | { type: 'add'; attachmentId: string; text: string; passages?: readonly PassageSpan[] }
  | { type: 'remove'; attachmentId: string }
  | { type: 'retrieve'; question: string; k: number; attachmentIds?: readonly string[] };

export type SearchResult = { passages: PassageSpan[] } | { ranked: RankedPassage[] } | { removed: true };

export interface PassageIndex {
  /**
   * Indexes one attachment (again, if it was already), split into passages unless they are given (a stored
   * attachment's): resolves with its passages once it can be searched.
   */
  add(attachmentId: string, text: string, passages?: readonly PassageSpan[]): Promise<PassageSpan[]>;
  remove(attachmentId: string): Promise<void>;
  /** The `k` most relevant passages, best first, of the given attachments (all indexed ones by default). */
  retrieve(question: string, k: number, attachmentIds?: readonly string[]): Promise<RankedPassage[]>;
  /** Stops the worker; calls in flight reject. */
  dispose(): void;
}

export function createPassageIndex(
  startWorker: () => Worker = () =>
    new Worker(new URL('./search-worker.ts', import.meta.url), { type: 'module', name: 'passage-search' }),
): PassageIndex {
  const rpc = new WorkerRpc<SearchCall, SearchResult>(startWorker);
  return {
    async add(attachmentId, text, passages) {
      const result = await rpc.call({ type: 'add', attachmentId, text, ...(passages ? { passages } : {}) });
      return 'passages' in result ? result.passages : [];
    },
    async remove(attachmentId) {
      await rpc.call({ type: 'remove', attachmentId });
    },
    async retrieve(question, k, attachmentIds) {
      const result = await rpc.call({ type: 'retrieve', question, k, ...(attachmentIds ? { attachmentIds } : {}) });
      return 'ranked' in result ? result.ranked : [];
    },
    dispose: () => rpc.terminate(),
  };
}
