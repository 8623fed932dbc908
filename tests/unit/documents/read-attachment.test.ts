import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  displayName,
  MAX_ATTACHMENT_BYTES,
  readAttachment,
  type PdfExtract,
} from '../../../src/documents/read-attachment.js';
import { extractPdfText } from '../../../src/documents/pdf-text.js';
import type { TextReader } from '../../../src/documents/text-reader.js';
import { ATTACHMENT_CORPUS } from '../../fixtures/attachments/corpus.js';
import { writePdf } from '../../fixtures/attachments/pdf-writer.js';
import { nodePdfJs } from './node-pdfjs.js';

const extractInThisThread: PdfExtract = (bytes, options) => extractPdfText(nodePdfJs, new Uint8Array(bytes), options);
const fixture = (name: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/attachments/${name}`, import.meta.url)));
const textFile = (text: string, name: string, type = ''): File => new File([text], name, { type });

describe('readAttachment', () => {
  it.each([
    ['notes.txt', 'text/plain', 'text/plain'],
    ['README.md', '', 'text/markdown'],
    ['data.csv', 'text/csv', 'text/csv'],
    ['config.json', 'application/json', 'application/json'],
    ['main.py', '', 'text/x-python'],
    ['Makefile', '', 'text/x-makefile'],
    ['LICENSE', '', 'text/plain'],
  ])('reads %s as %s', async (name, reported, type) => {
    const result = await readAttachment(textFile('line one\nline two', name, reported));
    expect(result).toEqual({ ok: true, document: { text: 'line one\nline two', type } });
  });

  it('reads HTML as its text, never as markup', async () => {
    const result = await readAttachment(textFile('<p>Hello <b>world</b></p><script>alert(1)</script>', 'a.html'));
    expect(result).toEqual({ ok: true, document: { text: 'Hello world', type: 'text/html' } });
  });

  it('reads a PDF with the extractor it is given, reporting pages', async () => {
    const pdf = writePdf({ pages: [['Alpha'], ['Beta']] });
    const progress: number[] = [];
    const result = await readAttachment(new File([pdf], 'two.pdf', { type: 'application/pdf' }), {
      extractPdf: extractInThisThread,
      onProgress: ({ page }) => progress.push(page),
    });
    expect(result).toEqual({ ok: true, document: { text: 'Alpha\n\nBeta', type: 'application/pdf', pages: 2 } });
    expect(progress).toEqual([1, 2]);
  });

  describe.each(ATTACHMENT_CORPUS)('the hostile corpus: $file', ({ file, type, outcome }) => {
    it('stays inert and ends as expected', async () => {
      const result = await readAttachment(new File([fixture(file)], file, { type }), {
        extractPdf: extractInThisThread,
      });
      if (outcome.ok) {
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        for (const text of outcome.includes) expect(result.document.text).toContain(text);
        for (const text of outcome.excludes) expect(result.document.text).not.toContain(text);
      } else {
        expect(result).toMatchObject({ ok: false, failure: { code: outcome.code } });
        if (!result.ok) expect(result.failure.message).toContain(`“${file}”`);
      }
    });
  });

  it('reads a large text file with the text reader it is given, and a small one on the page', async () => {
    const calls: { size: number; html: boolean }[] = [];
    const readText: TextReader = async (bytes, { html }) => {
      calls.push({ size: bytes.byteLength, html });
      return { ok: true, text: 'from the reader' };
    };
    const large = await readAttachment(textFile('<p>x</p>'.repeat(20_000), 'large.html'), { readText });
    expect(large).toEqual({ ok: true, document: { text: 'from the reader', type: 'text/html' } });
    expect(calls).toEqual([{ size: 160_000, html: true }]);
    await readAttachment(textFile('small', 'small.txt'), { readText });
    expect(calls).toHaveLength(1);
  });

  it('answers with a sentence when the text reader stops', async () => {
    const readText: TextReader = () => Promise.reject(new Error('worker crashed'));
    const result = await readAttachment(textFile('x'.repeat(200_000), 'big.txt'), { readText });
    expect(result).toMatchObject({ ok: false, failure: { code: 'unreadable' } });
  });

  it('refuses a file over 50 MB without reading it', async () => {
    const file = textFile('x', 'huge.txt');
    Object.defineProperty(file, 'size', { value: MAX_ATTACHMENT_BYTES + 1 });
    const read = vi.spyOn(file, 'arrayBuffer');
    const result = await readAttachment(file);
    expect(result).toMatchObject({ ok: false, failure: { code: 'too-large' } });
    if (!result.ok) expect(result.failure.message).toMatch(/“huge\.txt” is 50 MB; files up to 50 MB/);
    expect(read).not.toHaveBeenCalled();
  });

  it('says how many pages a PDF over the page limit has', async () => {
    const extractPdf: PdfExtract = async () => ({ ok: false, reason: 'too-many-pages', pages: 2_345 });
    const result = await readAttachment(new File([writePdf({ pages: [['x']] })], 'long.pdf'), { extractPdf });
    expect(result).toMatchObject({ ok: false, failure: { code: 'too-many-pages' } });
    if (!result.ok) expect(result.failure.message).toContain('has 2,345 pages; PDFs up to 2,000 pages');
  });

  it.each([
    [{ ok: false, reason: 'encrypted' } as const, 'encrypted', 'password-protected'],
    [{ ok: false, reason: 'invalid', detail: 'bad xref' } as const, 'unreadable', 'damaged'],
    [{ ok: true, text: ' \n\n ', pages: 3 } as const, 'no-text', 'scanned images'],
  ])('turns an extractor outcome into a sentence (%o)', async (outcome, code, words) => {
    const extractPdf: PdfExtract = async () => outcome;
    const result = await readAttachment(new File([writePdf({ pages: [['x']] })], 'x.pdf'), { extractPdf });
    expect(result).toMatchObject({ ok: false, failure: { code } });
    if (!result.ok) expect(result.failure.message).toContain(words);
  });

  it('answers with a sentence when the PDF reader itself stops', async () => {
    const extractPdf: PdfExtract = () => Promise.reject(new Error('worker crashed'));
    const result = await readAttachment(new File([writePdf({ pages: [['x']] })], 'x.pdf'), { extractPdf });
    expect(result).toMatchObject({ ok: false, failure: { code: 'unreadable' } });
  });

  it('rejects with the reason when the read is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('gone', 'AbortError'));
    const extractPdf: PdfExtract = () => Promise.reject(controller.signal.reason);
    const file = new File([writePdf({ pages: [['x']] })], 'x.pdf');
    await expect(readAttachment(file, { extractPdf, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('calls images unsupported, and whitespace-only text empty of text', async () => {
    const image = await readAttachment(new File([new Uint8Array([1, 2])], 'cat.png', { type: 'image/png' }));
    expect(image).toMatchObject({ ok: false, failure: { code: 'unsupported' } });
    if (!image.ok) expect(image.failure.message).toContain('is an image');
    const blank = await readAttachment(textFile('  \n\t\n', 'blank.txt'));
    expect(blank).toMatchObject({ ok: false, failure: { code: 'no-text' } });
  });
});

describe('displayName', () => {
  it('drops control and bidirectional-override characters and shortens long names', () => {
    expect(displayName('re\u202eport\u0000.txt')).toBe('report.txt');
    expect(displayName('a'.repeat(200))).toBe(`${'a'.repeat(79)}…`);
    expect(displayName('\u0007')).toBe('The file');
  });
});
