import { describe, expect, test } from 'vitest';
import { localDraftStore } from '../../../src/storage/drafts.js';
import { MapStorage, refusingStorage } from '../fakes/map-storage.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { numberedAnswers, setup } from './controller-setup.js';

/** One browser: its IndexedDB and its localStorage, for a page and the same page reloaded. */
function browser() {
  const storage = new MapStorage();
  return { storage, repository: new MemoryRepository(), drafts: localDraftStore(storage.asStorage()) };
}

/** A conversation "About Lisbon", open, with "And the trams?" typed and not sent. */
async function draftInAConversation() {
  const shared = browser();
  const { controller } = setup(numberedAnswers(), shared);
  await controller.start();
  await controller.send('About Lisbon');
  const lisbon = controller.getState().activeConversationId!;
  controller.updateDraft('And the trams?');
  return { shared, controller, lisbon };
}

describe('unsent text', () => {
  test('is back in the box after a reload, in the conversation it was typed in', async () => {
    const shared = browser();
    const first = setup(numberedAnswers(), shared);
    await first.controller.start();
    await first.controller.send('First question');
    first.controller.updateDraft('A second question, half writ');
    // The page is hidden or closed before the periodic write: the flush writes it at once.
    await first.controller.flushPending();

    const reloaded = setup(numberedAnswers(), shared);
    await reloaded.controller.start();
    expect(reloaded.controller.getState().draft).toEqual({
      conversationId: first.controller.getState().activeConversationId,
      text: 'A second question, half writ',
    });
  });

  test('is written a few times a second at most while typing, not per key', async () => {
    const shared = browser();
    const { controller, timers } = setup(numberedAnswers(), shared);
    await controller.start();
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) controller.updateDraft(text);
    expect(shared.drafts.load(null)).toBe('');
    timers.fire();
    expect(shared.drafts.load(null)).toBe('Hello');
  });

  test('stays with its conversation when another one opens, and comes back with it', async () => {
    const { controller, lisbon } = await draftInAConversation();
    await controller.newConversation();
    expect(controller.getState().draft).toEqual({ conversationId: null, text: '' });
    controller.updateDraft('Something new');

    await controller.openConversation(lisbon);
    expect(controller.getState().draft).toEqual({ conversationId: lisbon, text: 'And the trams?' });
    await controller.newConversation();
    expect(controller.getState().draft.text).toBe('Something new');
  });

  test('is gone once sent, also from a new chat that the message turned into a conversation', async () => {
    const shared = browser();
    const { controller } = setup(numberedAnswers(), shared);
    await controller.start();
    controller.updateDraft('Hello there');
    await controller.send('Hello there');
    await controller.newConversation();
    expect(controller.getState().draft.text).toBe('');
    expect(shared.storage.keys()).toEqual([]);
  });

  test('goes with its conversation when it is deleted, and comes back with Undo', async () => {
    const { shared, controller, lisbon } = await draftInAConversation();

    await controller.deleteConversation(lisbon);
    expect(shared.storage.keys()).toEqual([]);
    expect(controller.getState().draft).toEqual({ conversationId: null, text: '' });

    await controller.undoDelete();
    expect(controller.getState().draft).toEqual({ conversationId: lisbon, text: 'And the trams?' });
  });
});

describe('localDraftStore', () => {
  test('keeps one draft per conversation and a new chat, and forgets one set to empty text', () => {
    const storage = new MapStorage();
    const drafts = localDraftStore(storage.asStorage());
    drafts.save('c1', 'for c1');
    drafts.save(null, 'for a new chat');
    expect([drafts.load('c1'), drafts.load(null), drafts.load('c2')]).toEqual(['for c1', 'for a new chat', '']);
    drafts.save('c1', '');
    expect(drafts.load('c1')).toBe('');
    expect(storage.keys()).toHaveLength(1);
  });

  test('gives no draft, and throws nothing, where storage is full or refused', () => {
    const drafts = localDraftStore(refusingStorage);
    expect(() => drafts.save('c1', 'text')).not.toThrow();
    expect(drafts.load('c1')).toBe('');
  });
});
