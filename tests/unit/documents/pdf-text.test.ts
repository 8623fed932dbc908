import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPdfText } from '../../../src/documents/pdf-text.js';
import { writePdf } from '../../fixtures/attachments/pdf-writer.js';
import { nodePdfJs } from './node-pdfjs.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/attachments/${name}`, import.meta.url)));

describe('extractPdfText', () => {
  it('reads every page in order, joined by a blank line, and reports each page', async () => {
    const progress: string[] = [];
    const result = await extractPdfText(
      nodePdfJs,
      writePdf({ pages: [['First page', 'second line'], ['Second page']] }),
      {
        maxPages: 10,
        onProgress: ({ page, pages }) => progress.push(`${page}/${pages}`),
      },
    );
    expect(result).toEqual({ ok: true, text: 'First page\nsecond line\n\nSecond page', pages: 2 });
    expect(progress).toEqual(['1/2', '2/2']);
  });

  it('extracts the text of a PDF that carries JavaScript, and none of the script', async () => {
    const result = await extractPdfText(nodePdfJs, fixture('javascript-action.pdf'), { maxPages: 10 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text).toContain('Revenue rose by twelve percent');
    expect(result.text).not.toContain('app.alert');
    expect(result.pages).toBe(2);
  });

  it('refuses a PDF over the page limit before reading any page', async () => {
    const progress: number[] = [];
    const pdf = writePdf({ pages: Array.from({ length: 12 }, (_, index) => [`Page ${index + 1}`]) });
    const result = await extractPdfText(nodePdfJs, pdf, {
      maxPages: 11,
      onProgress: ({ page }) => progress.push(page),
    });
    expect(result).toEqual({ ok: false, reason: 'too-many-pages', pages: 12 });
    expect(progress).toEqual([]);
  });

  it('calls damaged bytes invalid instead of throwing', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body at all\n%%EOF');
    const result = await extractPdfText(nodePdfJs, bytes, { maxPages: 10 });
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const pdf = writePdf({ pages: Array.from({ length: 50 }, (_, index) => [`Page ${index + 1}`]) });
    const reading = extractPdfText(nodePdfJs, pdf, {
      maxPages: 100,
      signal: controller.signal,
      onProgress: ({ page }) => {
        if (page === 2) controller.abort(new DOMException('stop', 'AbortError'));
      },
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
