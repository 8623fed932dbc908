import { describe, expect, it } from 'vitest';
import type { PassageIndex } from '../../../src/documents/passage-index.js';
import { AttachmentPassages } from '../../../src/state/attachment-passages.js';
import { InProcessPassageIndex } from '../fakes/in-process-passage-index.js';

const TEXT = 'The brass key is under the third stone.';
const STORED = { id: 'a1', text: TEXT, passages: [{ start: 0, end: TEXT.length }] };

describe('AttachmentPassages', () => {
  it('indexes a stored attachment once, with its stored passages, the first time a reply needs it', async () => {
    const index = new InProcessPassageIndex();
    const passages = new AttachmentPassages(async () => index);
    expect(await passages.rank('brass key', 5, [STORED])).toMatchObject([{ attachmentId: 'a1', passageIndex: 0 }]);
    await passages.rank('third stone', 5, [STORED]);
    expect(index.added).toEqual(['a1']);
  });

  it('after a failed call (the worker stopped), indexes again in the next worker', async () => {
    const second = new InProcessPassageIndex();
    let worker = new InProcessPassageIndex();
    let stopNextCall = false;
    // What the page holds stays one index; the worker behind it is replaced when it stops, empty.
    const index: PassageIndex = {
      add: (...args) => worker.add(...args),
      remove: (...args) => worker.remove(...args),
      retrieve: async (...args) => {
        if (!stopNextCall) return worker.retrieve(...args);
        stopNextCall = false;
        worker = second;
        throw new Error('The worker stopped.');
      },
      dispose: () => undefined,
    };
    const passages = new AttachmentPassages(async () => index);
    await passages.rank('brass key', 5, [STORED]);
    stopNextCall = true;
    await expect(passages.rank('brass key', 5, [STORED])).rejects.toThrow('The worker stopped.');
    expect(await passages.rank('brass key', 5, [STORED])).toMatchObject([{ attachmentId: 'a1' }]);
    expect(second.added).toEqual(['a1']);
  });

  it('asks nothing of the index for attachments without passages', async () => {
    const passages = new AttachmentPassages(() => Promise.reject(new Error('not loaded')));
    expect(await passages.rank('anything', 5, [{ id: 'a', text: 'x', passages: [] }])).toEqual([]);
  });
});
