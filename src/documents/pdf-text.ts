/**
 * A PDF's text, page by page, with PDF.js. This module runs in the PDF worker (pdf-worker.ts), which hands it the
 * browser build of PDF.js; tests and the bench in Node hand it PDF.js's Node ("legacy") build, the same version.
 * Nothing in a PDF can act from here:
 * - no PDF JavaScript runs: scripting needs PDF.js's viewer and its sandbox (pdf.sandbox.mjs), neither of which is
 *   imported, and `enableXfa` stays off, so XFA forms' scripts are never read either;
 * - no eval: `isEvalSupported: false` makes PDF.js interpret PostScript functions instead of compiling them;
 * - nothing is fetched: the bytes are given (no URL, no range requests), and fonts, CMaps, ICC profiles and image
 *   decoders have no URL to come from (`useWorkerFetch: false` with no `cMapUrl`, `standardFontDataUrl`, `iccUrl` or
 *   `wasmUrl`): a font that would need one is read with PDF.js's built-in metrics, which is enough for its text;
 *   `disableFontFace` and `useSystemFonts: false` keep fonts from being loaded as web fonts or looked up locally.
 */

import type { getDocument } from 'pdfjs-dist';
import type { TextContent } from 'pdfjs-dist/types/src/display/api.js';

/** The part of PDF.js this module uses, with its parser already loaded (see `pdf-worker.ts`). */
export interface PdfJs {
  getDocument: typeof getDocument;
}

export interface PdfProgress {
  /** Pages whose text is read so far. */
  page: number;
  pages: number;
}

export type PdfTextResult =
  | { ok: true; text: string; pages: number }
  | { ok: false; reason: 'too-many-pages'; pages: number }
  | { ok: false; reason: 'encrypted' }
  | { ok: false; reason: 'invalid'; detail: string };

export interface PdfTextOptions {
  maxPages: number;
  onProgress?: (progress: PdfProgress) => void;
  signal?: AbortSignal;
}

/**
 * PDF.js parses in a worker of its own unless its parser is already loaded in this scope. Loading it here runs the
 * parser in this thread, which is already off the page's: PDF.js would otherwise start a nested worker from a URL
 * that has to be configured and fetched.
 */
export function useParserInThisThread(parser: { WorkerMessageHandler: unknown }): void {
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = parser;
}

export async function extractPdfText(pdfjs: PdfJs, bytes: Uint8Array, options: PdfTextOptions): Promise<PdfTextResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const loadingTask = pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    useWasm: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    disableRange: true,
    disableStream: true,
    disableAutoFetch: true,
    stopAtErrors: false,
    // Errors only: PDF.js warns on every missing font file, which is expected here.
    verbosity: 0,
  });
  const onAbort = (): void => void loadingTask.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const document = await loadingTask.promise;
    const pages = document.numPages;
    if (pages > options.maxPages) return { ok: false, reason: 'too-many-pages', pages };
    const pageTexts: string[] = [];
    for (let number = 1; number <= pages; number += 1) {
      signal?.throwIfAborted();
      const page = await document.getPage(number);
      pageTexts.push(textOf(await page.getTextContent()));
      page.cleanup();
      options.onProgress?.({ page: number, pages });
    }
    return { ok: true, text: pageTexts.join('\n\n'), pages };
  } catch (error) {
    signal?.throwIfAborted();
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') return { ok: false, reason: 'encrypted' };
    return { ok: false, reason: 'invalid', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await loadingTask.destroy();
  }
}

/** A page's text runs in reading order; PDF.js marks where a line ends. */
function textOf(content: TextContent): string {
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text.trim();
}
