// Attachments through the chat session in a real browser: files read by the documents code (the text worker for
// a large one), split and ranked in the search worker, stored in IndexedDB with their message, and listed again
// after a reload (a new session on the same database). The engine is a fake that records the turns it was sent.
import { afterEach, describe, expect, it } from 'vitest';
import { createPassageIndex, type PassageIndex } from '../../../src/documents/passage-index.js';
import { haystack } from '../../fixtures/attachments/haystack.js';
import { messageWith, numberedAnswers, setup } from '../../unit/state/session-setup.js';
import { useTestRepositories } from '../storage/harness.js';

const { newDatabaseName, open } = useTestRepositories();
const NEEDLE = 'The lighthouse keeper hid the brass key under the third blue stone.';

describe('attachments over IndexedDB', () => {
  const indexes: PassageIndex[] = [];
  afterEach(() => indexes.splice(0).forEach((index) => index.dispose()));

  async function openPage(name: string, idPrefix: string) {
    const passageIndex = createPassageIndex();
    indexes.push(passageIndex);
    const page = setup(numberedAnswers(), { repository: await open(name), idPrefix, passageIndex });
    await page.session.start();
    return page;
  }

  it('a small file reaches the engine whole, the reply says so, and a reload lists the file', async () => {
    const name = newDatabaseName();
    const page = await openPage(name, 'a');
    await page.session.attach([new File(['Call Ana at 5 about the boat.'], 'todo.txt', { type: 'text/plain' })]);
    expect(page.session.getState().pendingAttachments).toMatchObject([{ name: 'todo.txt', status: 'ready' }]);
    await page.session.send('When do I call Ana?');

    expect(page.lastRequest().at(-1)).toEqual({
      role: 'user',
      content: '<document name="todo.txt">\nCall Ana at 5 about the boat.\n</document>\n\nWhen do I call Ana?',
    });
    const question = messageWith(page.session, 'When do I call Ana?');
    const reply = messageWith(page.session, 'answer 1');
    const [attachmentId] = question.attachmentIds!;
    expect(reply.sources).toEqual([{ attachmentId, name: 'todo.txt', whole: true, passages: [] }]);
    expect(page.session.getState().pendingAttachments).toEqual([]);

    const reloaded = await openPage(name, 'b');
    expect(reloaded.session.getState().attachments).toEqual({
      [attachmentId!]: { id: attachmentId, name: 'todo.txt', type: 'text/plain', size: 29, kept: false },
    });
    expect(messageWith(reloaded.session, 'When do I call Ana?').attachmentIds).toEqual([attachmentId]);
    expect(await reloaded.session.sourcesOf(reply.id)).toEqual([
      { attachmentId, name: 'todo.txt', whole: true, excerpts: ['Call Ana at 5 about the boat.'] },
    ]);
  });

  it('a large file sends the passage that answers; after a reload a follow-up still finds it', async () => {
    const name = newDatabaseName();
    const text = haystack(600_000, NEEDLE);
    const page = await openPage(name, 'a');
    await page.session.attach([new File([text], 'harbour.txt', { type: 'text/plain' })]);
    await page.session.send('Where did the lighthouse keeper hide the brass key?');
    expect(page.lastRequest().at(-1)!.content).toContain(NEEDLE);
    const [source] = messageWith(page.session, 'answer 1').sources!;
    expect(source).toMatchObject({ name: 'harbour.txt', whole: false });

    const reloaded = await openPage(name, 'b');
    expect(Object.values(reloaded.session.getState().attachments)).toMatchObject([{ name: 'harbour.txt' }]);
    await reloaded.session.send('And the brass key was under which stone?');
    const turns = reloaded.lastRequest();
    expect(turns.at(-1)!.content).toContain(NEEDLE);
    // The earlier question stays as it was asked: only the last turn carries the file.
    expect(turns[0]).toEqual({ role: 'user', content: 'Where did the lighthouse keeper hide the brass key?' });
    const [shown] = await reloaded.session.sourcesOf(messageWith(reloaded.session, 'answer 1').id);
    expect(shown!.excerpts.some((excerpt) => excerpt.includes(NEEDLE))).toBe(true);
  });
});
