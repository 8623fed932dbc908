/** The PDF worker: reads a PDF's text off the page's thread (see pdf-text.ts for what it allows a PDF to do). */

import * as pdfjs from 'pdfjs-dist';
import * as parser from 'pdfjs-dist/build/pdf.worker.mjs';
import { extractPdfText, useParserInThisThread, type PdfProgress, type PdfTextResult } from './pdf-text.js';
import { workerScope } from '../messaging/endpoint.js';
import { serveRpc, type RpcResponse } from './worker-rpc.js';
import type { PdfCall } from './pdf-extractor.js';

useParserInThisThread(parser);

serveRpc<PdfCall, PdfTextResult, PdfProgress>(
  workerScope<RpcResponse<PdfTextResult, PdfProgress>>(),
  (call, { signal, progress }) =>
    extractPdfText(pdfjs, new Uint8Array(call.bytes), { maxPages: call.maxPages, onProgress: progress, signal }),
);
