// PDF.js in Node: its "legacy" build, which brings what Node lacks (DOMMatrix and the like); same version as the
// browser build the PDF worker uses.
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as parser from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { useParserInThisThread, type PdfJs } from '../../../src/documents/pdf-text.js';

useParserInThisThread(parser);

export const nodePdfJs: PdfJs = pdfjs;
