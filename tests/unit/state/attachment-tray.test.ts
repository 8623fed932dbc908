import { describe, expect, it } from 'vitest';
import { displayName, readAttachment, type PdfExtract } from '../../../src/documents/read-attachment.js';
import type { PdfProgress } from '../../../src/documents/pdf-text.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import { attachNotice } from '../../../src/state/app-state.js';
import { READER_UNAVAILABLE, type AttachmentReader } from '../../../src/state/attachment-tray.js';
import { numberedAnswers, setup, until } from './session-setup.js';

const PDF_BYTES = new TextEncoder().encode('%PDF-1.7\n…');

function textFile(text: string, name = 'notes.txt'): File {
  return new File([text], name, { type: 'text/plain' });
}

/** A PDF reader the test drives: it reports `progress`, then waits until `finish` (or the read is cancelled). */
function controlledPdf(progress: PdfProgress) {
  let finish: (text: string) => void = () => undefined;
  const signals: AbortSignal[] = [];
  const extractPdf: PdfExtract = (_bytes, options) =>
    new Promise((resolve, reject) => {
      if (options.signal) signals.push(options.signal);
      options.onProgress?.(progress);
      finish = (text) => resolve({ ok: true, text, pages: progress.pages });
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  const loadReader = async (): Promise<AttachmentReader> => ({
    readAttachment: (file, options) => readAttachment(file, { ...options, extractPdf }),
    displayName,
  });
  return { loadReader, finish: (text: string) => finish(text), signals };
}

describe('the attachment tray', () => {
  it('reads a text file into the tray: reading first, then ready with the type it was read as', async () => {
    const { session } = setup(numberedAnswers());
    const seen: string[] = [];
    session.subscribe(({ pendingAttachments }) => seen.push(pendingAttachments.map((a) => a.status).join()));
    await session.attach([new File(['# Plan\n\nShip it.'], 'plan.md', { type: '' })]);
    expect(seen).toEqual(['reading', 'ready']);
    expect(session.getState().pendingAttachments).toEqual([
      { id: 'id-1', name: 'plan.md', size: 16, type: 'text/markdown', status: 'ready' },
    ]);
    expect(session.getState().alerts).toEqual([]);
  });

  it('shows a hostile name only as the reader cleans it: no control or direction characters', async () => {
    const { session } = setup(numberedAnswers());
    await session.attach([textFile('text', 'evil\u202egnp.txt\u0007')]);
    expect(session.getState().pendingAttachments.map((attachment) => attachment.name)).toEqual(['evilgnp.txt']);
  });

  it('a file that cannot be read becomes an alert with the reason, and is not added', async () => {
    const { session } = setup(numberedAnswers());
    const binary = new File([new Uint8Array([0, 159, 146, 150, 0, 1, 2, 0])], 'photo.txt', { type: 'text/plain' });
    await session.attach([textFile('', 'empty.txt'), binary, textFile('kept')]);
    const { pendingAttachments, alerts } = session.getState();
    expect(pendingAttachments.map((attachment) => attachment.name)).toEqual(['notes.txt']);
    expect(alerts.map((alert) => alert.message)).toEqual([
      '“empty.txt” is empty (0 bytes). Attach a file with text in it.',
      expect.stringContaining('“photo.txt” does not contain text'),
    ]);
  });

  it('shows a PDF’s pages read so far while it is read, and drops the count once it is ready', async () => {
    const pdf = controlledPdf({ page: 12, pages: 300 });
    const { session } = setup(numberedAnswers(), { loadAttachmentReader: pdf.loadReader });
    const attached = session.attach([new File([PDF_BYTES], 'report.pdf', { type: 'application/pdf' })]);
    await until(() => session.getState().pendingAttachments[0]?.progress !== undefined);
    expect(session.getState().pendingAttachments[0]).toMatchObject({
      status: 'reading',
      type: 'application/pdf',
      progress: { pagesRead: 12, pages: 300 },
    });
    pdf.finish('Page one.\n\nPage two.');
    await attached;
    const [ready] = session.getState().pendingAttachments;
    expect(ready).toMatchObject({ status: 'ready', type: 'application/pdf' });
    expect(ready).not.toHaveProperty('progress');
  });

  it('Remove while a file is read cancels its read, says nothing and leaves the other files', async () => {
    const pdf = controlledPdf({ page: 1, pages: 2_000 });
    const { session } = setup(numberedAnswers(), { loadAttachmentReader: pdf.loadReader });
    const attached = session.attach([new File([PDF_BYTES], 'big.pdf'), textFile('small')]);
    await until(() => session.getState().pendingAttachments.length === 2 && pdf.signals.length === 1);
    const big = session.getState().pendingAttachments.find((attachment) => attachment.name === 'big.pdf');
    session.removeAttachment(big!.id);
    await attached;
    expect(pdf.signals[0]?.aborted).toBe(true);
    expect(session.getState().pendingAttachments.map((attachment) => attachment.name)).toEqual(['notes.txt']);
    expect(session.getState().alerts).toEqual([]);
  });

  it('Remove takes a ready file out of the tray', async () => {
    const { session } = setup(numberedAnswers());
    await session.attach([textFile('one', 'one.txt'), textFile('two', 'two.txt')]);
    session.removeAttachment(session.getState().pendingAttachments[0]!.id);
    expect(session.getState().pendingAttachments.map((attachment) => attachment.name)).toEqual(['two.txt']);
  });

  it('says so when the reader itself cannot load, and adds nothing', async () => {
    const { session } = setup(numberedAnswers(), {
      loadAttachmentReader: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
    });
    await session.attach([textFile('text')]);
    expect(session.getState().pendingAttachments).toEqual([]);
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([READER_UNAVAILABLE]);
  });
});

describe('attachNotice', () => {
  it('says files stay on the device with the local engine', () => {
    expect(attachNotice({ ...DEFAULT_SETTINGS, engine: 'local' })).toBe('Files stay on this device.');
  });

  it('names where passages go when hosted: Hugging Face for the router, else the endpoint’s host', () => {
    const hosted = { ...DEFAULT_SETTINGS, engine: 'hosted' as const };
    expect(attachNotice(hosted)).toBe('Passages you send go to Hugging Face.');
    expect(attachNotice({ ...hosted, provider: 'mistral', endpointUrl: 'https://api.mistral.ai/v1' })).toBe(
      'Passages you send go to api.mistral.ai.',
    );
    expect(attachNotice({ ...hosted, provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' })).toBe(
      'Passages you send go to localhost:11434.',
    );
    expect(attachNotice({ ...hosted, provider: 'vllm', endpointUrl: 'not a url' })).toBe(
      'Passages you send go to vLLM.',
    );
  });
});
