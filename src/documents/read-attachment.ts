/**
 * Reads an attached file into text for the model: `File` in, `{ text, type, pages? }` out, or a failure with a
 * sentence for the user (what happened, what to do). It never throws for anything about the file itself; only a
 * cancelled read rejects (with the signal's reason), since then nobody waits for a message.
 */

import { fileKind } from './file-kind.js';
import type { PdfExtractor } from './pdf-extractor.js';
import type { PdfProgress, PdfTextResult } from './pdf-text.js';
import { textContent } from './text-content.js';
import type { TextReader } from './text-reader.js';

export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
export const MAX_PDF_PAGES = 2_000;

export interface ExtractedDocument {
  text: string;
  /** The MIME type the text was read as (see `AttachmentRecord.type`). */
  type: string;
  /** PDF only. */
  pages?: number;
}

export type ReadFailureCode =
  | 'empty'
  | 'too-large'
  | 'too-many-pages'
  | 'binary'
  | 'unsupported'
  | 'not-a-pdf'
  | 'encrypted'
  | 'unreadable'
  | 'no-text';

export interface ReadFailure {
  code: ReadFailureCode;
  /** One or two sentences for a `role=alert`: what happened and what to do. The file's name is in it as text. */
  message: string;
}

export type ReadResult = { ok: true; document: ExtractedDocument } | { ok: false; failure: ReadFailure };

/** Reads a PDF's text; the default is the PDF worker's (`pdf-extractor.ts`). */
export type PdfExtract = PdfExtractor;

export interface ReadOptions {
  /** Pages read so far, for a PDF. */
  onProgress?: (progress: PdfProgress) => void;
  signal?: AbortSignal;
  /** Where PDFs are read: by default the PDF worker, loaded on the first PDF. */
  extractPdf?: PdfExtract;
  /** Where text files past `TEXT_OFF_PAGE_BYTES` are read: by default the text worker, loaded on the first. */
  readText?: TextReader;
}

/** Smaller files are read on the page: a 128 KB HTML file is a few milliseconds of work, less than a worker's start. */
export const TEXT_OFF_PAGE_BYTES = 128 * 1024;

/** "%PDF-" must open the file, give or take the junk some writers put first (readers accept it within 1 KB). */
const PDF_HEADER_WINDOW = 1024;
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d];
const MB = 1024 * 1024;

export async function readAttachment(file: File, options: ReadOptions = {}): Promise<ReadResult> {
  const name = displayName(file.name);
  if (file.size === 0) return fail('empty', `“${name}” is empty (0 bytes). Attach a file with text in it.`);
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return fail(
      'too-large',
      `“${name}” is ${formatMegabytes(file.size)}; files up to 50 MB can be attached. ` +
        'Attach a smaller file, or the part of it you want to ask about.',
    );
  }
  const kind = fileKind(file.name, file.type);
  if (kind.kind === 'unsupported') {
    return fail(
      'unsupported',
      `“${name}” is ${kind.what}; this app reads only text: plain text, Markdown, code, CSV, JSON, HTML and PDF.`,
    );
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    options.signal?.throwIfAborted();
    return fail('unreadable', `“${name}” could not be read. It may have been moved or changed: attach it again.`);
  }
  options.signal?.throwIfAborted();
  if (kind.kind === 'pdf') return readPdf(name, bytes, options);

  const html = kind.kind === 'html';
  let decoded: Awaited<ReturnType<TextReader>>;
  if (bytes.byteLength <= TEXT_OFF_PAGE_BYTES) {
    decoded = textContent(bytes, html);
  } else {
    const readText = options.readText ?? (await import('./text-reader.js')).readTextInWorker;
    try {
      decoded = await readText(bytes, { html, signal: options.signal });
    } catch {
      options.signal?.throwIfAborted();
      return fail('unreadable', `“${name}” could not be read; the reader stopped on it. Try another copy.`);
    }
  }
  if (!decoded.ok) {
    return fail(
      'binary',
      `“${name}” does not contain text (it looks like binary data). ` +
        'If it is a document, save it as PDF or plain text and attach that.',
    );
  }
  const { text } = decoded;
  if (!/\S/.test(text)) return fail('no-text', `“${name}” has no text in it to read.`);
  return { ok: true, document: { text, type: kind.type } };
}

async function readPdf(name: string, bytes: ArrayBuffer, options: ReadOptions): Promise<ReadResult> {
  if (!startsLikePdf(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, PDF_HEADER_WINDOW)))) {
    return fail(
      'not-a-pdf',
      `“${name}” is not a PDF: it does not start as one (it may be another kind of file renamed). ` +
        'Open it in the program that made it and save it as PDF.',
    );
  }
  const extract = options.extractPdf ?? (await import('./pdf-extractor.js')).extractPdfTextInWorker;
  let result: PdfTextResult;
  try {
    result = await extract(bytes, { maxPages: MAX_PDF_PAGES, onProgress: options.onProgress, signal: options.signal });
  } catch {
    options.signal?.throwIfAborted();
    // The worker stopped (e.g. out of memory on a hostile file): the file, not the app, is what the user can change.
    return fail('unreadable', `“${name}” could not be read as a PDF; the reader stopped on it. Try another copy.`);
  }
  if (!result.ok) {
    if (result.reason === 'too-many-pages') {
      return fail(
        'too-many-pages',
        `“${name}” has ${result.pages.toLocaleString('en')} pages; PDFs up to 2,000 pages can be attached. ` +
          'Save the pages you want to ask about as a smaller PDF.',
      );
    }
    if (result.reason === 'encrypted') {
      return fail('encrypted', `“${name}” is password-protected. Save a copy without a password and attach that.`);
    }
    return fail('unreadable', `“${name}” is damaged or not a PDF this app can read. Try another copy of it.`);
  }
  if (!/\S/.test(result.text)) {
    return fail(
      'no-text',
      `“${name}” has no text to read: its pages are probably scanned images. ` +
        'Run it through text recognition (OCR) first, or attach a text version.',
    );
  }
  return { ok: true, document: { text: result.text, type: 'application/pdf', pages: result.pages } };
}

function startsLikePdf(head: Uint8Array): boolean {
  for (let offset = 0; offset + PDF_HEADER.length <= head.length; offset += 1) {
    if (PDF_HEADER.every((byte, index) => head[offset + index] === byte)) return true;
  }
  return false;
}

function fail(code: ReadFailureCode, message: string): ReadResult {
  return { ok: false, failure: { code, message } };
}

/** Names are hostile: control and bidirectional-override characters would garble the sentence, and length floods it. */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is removed
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const chars = [...(cleaned || 'The file')];
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : chars.join('');
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / MB).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
}
