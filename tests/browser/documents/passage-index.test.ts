// The search worker in a real browser: a 2 MB file is split and indexed off the page, the passage holding the one
// sentence that answers the question comes back first, and nothing is requested while it does.
import { afterAll, describe, expect, it } from 'vitest';
import { createPassageIndex } from '../../../src/documents/passage-index.js';
import { splitPassages } from '../../../src/documents/passages.js';
import { haystack } from '../../fixtures/attachments/haystack.js';
import { installNetworkSpy, listenToSpies } from './network-spy.js';

const NEEDLE = 'The lighthouse keeper hid the brass key under the third blue stone.';

describe('the passage index worker', () => {
  const index = createPassageIndex(
    () => new Worker(new URL('./probe-search-worker.ts', import.meta.url), { type: 'module', name: 'search-probe' }),
  );
  afterAll(() => index.dispose());

  it('finds the needle in a 2 MB file, off the page and without a request', async () => {
    const text = haystack(2_000_000, NEEDLE);
    expect(text.length).toBeGreaterThan(1_900_000);
    installNetworkSpy('page');
    await index.add('warm-up', 'A first small file.', [{ start: 0, end: 19 }]);
    const spies = listenToSpies();

    const passages = await index.add('big', text);
    expect(passages).toEqual(splitPassages(text));
    const ranked = await index.retrieve('Where did the lighthouse keeper hide the brass key?', 5);

    expect(ranked[0]).toMatchObject({ attachmentId: 'big' });
    const best = passages[ranked[0]!.passageIndex]!;
    expect(text.slice(best.start, best.end)).toContain(NEEDLE);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(spies.reports).toEqual([]);
    spies.close();
  });

  it('searches only the files asked for, and forgets a removed one', async () => {
    expect(await index.add('notes', 'Brass key notes.')).toEqual([{ start: 0, end: 16 }]);
    expect(await index.retrieve('brass key', 5, ['notes'])).toEqual([
      expect.objectContaining({ attachmentId: 'notes', passageIndex: 0 }),
    ]);
    await index.remove('notes');
    expect(await index.retrieve('brass key', 5, ['notes'])).toEqual([]);
  });
});
