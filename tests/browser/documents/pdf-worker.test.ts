// The PDF worker in a real browser: PDF.js reads the text of hostile PDFs, runs none of their script, evaluates no
// string as code and asks the network for nothing (no font, CMap, ICC profile or decoder). The worker here is the
// real one (src/documents/pdf-worker.ts) behind a probe that installs the network spy before it runs.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPdfExtractor, type PdfExtractor } from '../../../src/documents/pdf-extractor.js';
import { readAttachment } from '../../../src/documents/read-attachment.js';
import { createTextReader } from '../../../src/documents/text-reader.js';
import { ATTACHMENT_CORPUS, BEACON_ORIGIN, JAVASCRIPT_PDF_SPEC } from '../../fixtures/attachments/corpus.js';
import { writePdf } from '../../fixtures/attachments/pdf-writer.js';
import { installNetworkSpy, listenToSpies, type SpyReport } from './network-spy.js';

const fixtureUrls = import.meta.glob('../../fixtures/attachments/*.{pdf,txt,html}', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

async function fixtureFile(name: string, type: string): Promise<File> {
  const url = fixtureUrls[`../../fixtures/attachments/${name}`];
  if (!url) throw new Error(`No fixture ${name}`);
  return new File([await (await fetch(url)).arrayBuffer()], name, { type });
}

/** Lets reports posted just before now arrive: a BroadcastChannel delivers asynchronously. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

const startProbe = (): Worker =>
  new Worker(new URL('./probe-pdf-worker.ts', import.meta.url), { type: 'module', name: 'pdf-probe' });

let spies: ReturnType<typeof listenToSpies> | null = null;
afterEach(() => spies?.close());

describe('the PDF worker', () => {
  let extractPdf: PdfExtractor;
  let corpusFiles: Map<string, File>;

  beforeAll(async () => {
    corpusFiles = new Map();
    for (const { file, type } of ATTACHMENT_CORPUS) corpusFiles.set(file, await fixtureFile(file, type));
    installNetworkSpy('page');
  });

  it('loads only the app’s own scripts on first use, and no PDF.js data file', async () => {
    spies = listenToSpies();
    extractPdf = createPdfExtractor(startProbe);
    const file = new File([writePdf({ pages: [['Warm up']] })], 'warm.pdf', { type: 'application/pdf' });
    const result = await readAttachment(file, { extractPdf });
    expect(result).toMatchObject({ ok: true, document: { text: 'Warm up', pages: 1 } });
    await settle();
    const offOrigin = spies.reports.filter(({ what }) => /https?:\/\//.test(what) && !what.includes(location.origin));
    expect(offOrigin).toEqual([]);
    const dataFiles = spies.reports.filter(({ what }) => /cmaps|standard_fonts|iccs|wasm|\.bcmap|\.pfb/i.test(what));
    expect(dataFiles).toEqual([]);
    expect(spies.reports.filter(({ what }) => /eval|Function/.test(what))).toEqual([]);
  });

  it('reads the corpus’s PDFs with nothing run, evaluated or requested, page or worker', async () => {
    spies = listenToSpies();
    const progress: string[] = [];
    const scripted = await readAttachment(corpusFiles.get('javascript-action.pdf')!, {
      extractPdf,
      onProgress: ({ page, pages }) => progress.push(`${page}/${pages}`),
    });
    expect(scripted.ok).toBe(true);
    if (scripted.ok) {
      expect(scripted.document.text).toContain(JAVASCRIPT_PDF_SPEC.pages[0]![1]);
      expect(scripted.document.text).not.toContain(BEACON_ORIGIN);
      expect(scripted.document.pages).toBe(2);
    }
    expect(progress).toEqual(['1/2', '2/2']);
    const bomb = await readAttachment(corpusFiles.get('zip-bomb.pdf')!, { extractPdf });
    expect(bomb).toMatchObject({ ok: false, failure: { code: 'not-a-pdf' } });
    await settle();
    expect(spies.reports satisfies SpyReport[]).toEqual([]);
  });

  it('reads a 300-page PDF, reporting every page', async () => {
    const pages = Array.from({ length: 300 }, (_, index) => [`Page ${index + 1} of the long report.`]);
    const file = new File([writePdf({ pages })], 'long.pdf', { type: 'application/pdf' });
    let reported = 0;
    const result = await readAttachment(file, { extractPdf, onProgress: ({ page }) => (reported = page) });
    expect(result).toMatchObject({ ok: true, document: { pages: 300 } });
    if (result.ok) expect(result.document.text.split('\n\n')[299]).toBe('Page 300 of the long report.');
    expect(reported).toBe(300);
  });

  it('stops the worker when the user cancels, and starts a new one for the next file', async () => {
    let started = 0;
    const extractWithCount = createPdfExtractor(() => {
      started += 1;
      return startProbe();
    });
    const pages = Array.from({ length: 200 }, (_, index) => [`Page ${index + 1}`]);
    const controller = new AbortController();
    const reading = readAttachment(new File([writePdf({ pages })], 'cancelled.pdf'), {
      extractPdf: extractWithCount,
      signal: controller.signal,
      onProgress: ({ page }) => {
        if (page === 3) controller.abort(new DOMException('The user removed the file.', 'AbortError'));
      },
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    const next = await readAttachment(new File([writePdf({ pages: [['Next']] })], 'next.pdf'), {
      extractPdf: extractWithCount,
    });
    expect(next).toMatchObject({ ok: true, document: { text: 'Next' } });
    expect(started).toBe(2);
  });

  it('refuses a PDF over 2,000 pages with the count, before reading a page', async () => {
    const pages = Array.from({ length: 2_001 }, () => ['x']);
    let reported = 0;
    const result = await readAttachment(new File([writePdf({ pages })], 'huge.pdf'), {
      extractPdf,
      onProgress: () => (reported += 1),
    });
    expect(result).toMatchObject({ ok: false, failure: { code: 'too-many-pages' } });
    if (!result.ok) expect(result.failure.message).toContain('has 2,001 pages');
    expect(reported).toBe(0);
  });
});

describe('the network spy', () => {
  it('hears of a request made in the page and in a worker', async () => {
    spies = listenToSpies();
    await fetch(new URL('./spy-self-check-target.txt', import.meta.url)).catch(() => {});
    const worker = new Worker(new URL('./spy-self-check-worker.ts', import.meta.url), {
      type: 'module',
      name: 'self-check',
    });
    await expect
      .poll(() => spies!.reports.map(({ scope }) => scope))
      .toEqual(expect.arrayContaining(['page', 'worker self-check']));
    worker.terminate();
  });
});

describe('the HTML and text files of the corpus in a browser', () => {
  it('stay inert: the script-laden HTML is only read as text, and nothing is requested', async () => {
    const html = await fixtureFile('scripts.html', 'text/html');
    const binary = await fixtureFile('binary.txt', 'text/plain');
    // The fixtures' own requests are reported late (a PerformanceObserver is asynchronous): not part of the reading.
    await settle();
    spies = listenToSpies();
    const htmlResult = await readAttachment(html);
    expect(htmlResult).toMatchObject({ ok: true, document: { type: 'text/html' } });
    if (htmlResult.ok) expect(htmlResult.document.text).not.toMatch(/alert|attacker/);
    expect(await readAttachment(binary)).toMatchObject({ ok: false, failure: { code: 'binary' } });
    expect(await readAttachment(new File([], 'empty.txt'))).toMatchObject({ ok: false, failure: { code: 'empty' } });
    await settle();
    expect(spies.reports).toEqual([]);
  });

  it('stay inert past 128 KB too, read in the text worker with the same outcome', async () => {
    const html = await fixtureFile('scripts.html', 'text/html');
    const padding = `<!-- ${'x'.repeat(200_000)} -->`;
    const large = (name: string, ...parts: BlobPart[]): File =>
      new File([padding, ...parts], name, { type: 'text/html' });
    const readText = createTextReader(
      () => new Worker(new URL('./probe-text-worker.ts', import.meta.url), { type: 'module', name: 'text-probe' }),
    );
    // The first large file starts the worker: the app's own scripts.
    expect(await readAttachment(large('warm-up.html', '<p>Warm up</p>'), { readText })).toMatchObject({ ok: true });
    await settle();
    spies = listenToSpies();
    const result = await readAttachment(large('large-scripts.html', await html.text()), { readText });
    expect(result).toEqual(await readAttachment(html));
    await settle();
    expect(spies.reports).toEqual([]);
  });
});
