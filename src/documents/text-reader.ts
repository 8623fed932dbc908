/**
 * Reading text off the page: checking and decoding the bytes is quick, but turning a large HTML file into text is a
 * string scan that takes seconds at 10 MB. Files past a size are read in the text worker, which starts on the first.
 * This module is loaded with a dynamic import on the first such file (read-attachment.ts).
 */

import type { DecodedText } from './text-decode.js';
import { WorkerRpc } from './worker-rpc.js';

export interface TextCall {
  /** Transferred: the caller's buffer is emptied. */
  bytes: ArrayBuffer;
  html: boolean;
}

export type TextReader = (bytes: ArrayBuffer, options: { html: boolean; signal?: AbortSignal }) => Promise<DecodedText>;

export function startTextWorker(): Worker {
  return new Worker(new URL('./text-worker.ts', import.meta.url), { type: 'module', name: 'text-reader' });
}

export function createTextReader(startWorker: () => Worker = startTextWorker): TextReader {
  const rpc = new WorkerRpc<TextCall, DecodedText>(startWorker);
  return (bytes, { html, signal }) => rpc.call({ bytes, html }, { transfer: [bytes], signal });
}

export const readTextInWorker: TextReader = createTextReader();
