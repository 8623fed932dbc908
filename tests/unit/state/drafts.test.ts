import { describe, expect, test } from 'vitest';
import { localDraftStore } from '../../../src/storage/drafts.js';
import { MapStorage, refusingStorage } from '../fakes/map-storage.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { numberedAnswers, setup } from './session-setup.js';

/** One browser: its IndexedDB and its localStorage, for a page and the same page reloaded. */
function browser() {
  const storage = new MapStorage();
  return { storage, repository: new MemoryRepository(), drafts: localDraftStore(storage.asStorage()) };
}

/** A conversation "About Lisbon", open, with "And the trams?" typed and not sent. */
async function draftInAConversation() {
  const shared = browser();
  const { session } = setup(numberedAnswers(), shared);
  await session.start();
  await session.send('About Lisbon');
  const lisbon = session.getState().activeConversationId!;
  session.updateDraft('And the trams?');
  return { shared, session, lisbon };
}

describe('unsent text', () => {
  test('is back in the box after a reload, in the conversation it was typed in', async () => {
    const shared = browser();
    const first = setup(numberedAnswers(), shared);
    await first.session.start();
    await first.session.send('First question');
    first.session.updateDraft('A second question, half writ');
    // The page is hidden or closed before the periodic write: the flush writes it at once.
    await first.session.flushPending();

    const reloaded = setup(numberedAnswers(), shared);
    await reloaded.session.start();
    expect(reloaded.session.getState().draft).toEqual({
      conversationId: first.session.getState().activeConversationId,
      text: 'A second question, half writ',
    });
  });

  test('is written a few times a second at most while typing, not per key', async () => {
    const shared = browser();
    const { session, timers } = setup(numberedAnswers(), shared);
    await session.start();
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) session.updateDraft(text);
    expect(shared.drafts.load(null)).toBe('');
    timers.fire();
    expect(shared.drafts.load(null)).toBe('Hello');
  });

  test('stays with its conversation when another one opens, and comes back with it', async () => {
    const { session, lisbon } = await draftInAConversation();
    await session.newConversation();
    expect(session.getState().draft).toEqual({ conversationId: null, text: '' });
    session.updateDraft('Something new');

    await session.openConversation(lisbon);
    expect(session.getState().draft).toEqual({ conversationId: lisbon, text: 'And the trams?' });
    await session.newConversation();
    expect(session.getState().draft.text).toBe('Something new');
  });

  test('is gone once sent, also from a new chat that the message turned into a conversation', async () => {
    const shared = browser();
    const { session } = setup(numberedAnswers(), shared);
    await session.start();
    session.updateDraft('Hello there');
    await session.send('Hello there');
    await session.newConversation();
    expect(session.getState().draft.text).toBe('');
    expect(shared.storage.keys()).toEqual([]);
  });

  test('goes with its conversation when it is deleted, and comes back with Undo', async () => {
    const { shared, session, lisbon } = await draftInAConversation();

    await session.deleteConversation(lisbon);
    expect(shared.storage.keys()).toEqual([]);
    expect(session.getState().draft).toEqual({ conversationId: null, text: '' });

    await session.undoDelete();
    expect(session.getState().draft).toEqual({ conversationId: lisbon, text: 'And the trams?' });
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
