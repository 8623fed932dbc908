/**
 * The page's side of the PDF worker. This module is loaded with a dynamic import on the first PDF (read-attachment.ts),
 * and the worker, which holds PDF.js (~1.3 MB), starts on the first call: neither is in the initial bundle.
 */

import type { PdfProgress, PdfTextResult } from './pdf-text.js';
import { WorkerRpc } from './worker-rpc.js';

export interface PdfCall {
  /** Transferred: the caller's buffer is emptied. */
  bytes: ArrayBuffer;
  maxPages: number;
}

export interface PdfExtractOptions {
  maxPages: number;
  onProgress?: (progress: PdfProgress) => void;
  signal?: AbortSignal;
}

export type PdfExtractor = (bytes: ArrayBuffer, options: PdfExtractOptions) => Promise<PdfTextResult>;

export function startPdfWorker(): Worker {
  return new Worker(new URL('./pdf-worker.ts', import.meta.url), { type: 'module', name: 'pdf-text' });
}

/** One worker serves every PDF read through the extractor; it starts on the first. */
export function createPdfExtractor(startWorker: () => Worker = startPdfWorker): PdfExtractor {
  const rpc = new WorkerRpc<PdfCall, PdfTextResult, PdfProgress>(startWorker);
  let inFlight = 0;
  return async (bytes, options) => {
    inFlight += 1;
    try {
      return await rpc.call(
        { bytes, maxPages: options.maxPages },
        { transfer: [bytes], onProgress: options.onProgress, signal: options.signal },
      );
    } catch (error) {
      // A hostile PDF can hold PDF.js in one long decode, where the cancel message waits unread: stopping the worker
      // is the sure way to stop it. Only when no other PDF is being read by it; the next call starts a new one.
      if (options.signal?.aborted && inFlight === 1) rpc.terminate();
      throw error;
    } finally {
      inFlight -= 1;
    }
  };
}

export const extractPdfTextInWorker: PdfExtractor = createPdfExtractor();
