import { describe, expect, it } from 'vitest';
import { parseCopy, SEARCH_COPY_FORMAT } from '../../../src/storage/search-copy.js';
import { SearchIndex, toSearchResults, type ConversationSnapshot } from '../../../src/storage/search-index.js';

const texts = new Map<string, string>([
  ['l1', 'Where should we eat in Lyon?'],
  ['l2', 'Try a bouchon: quenelles, and a Crème brûlée.\nOr a praline tart.'],
  ['l3', ''],
  ['b1', 'Currywurst in Berlin'],
]);

function library(): SearchIndex {
  const index = new SearchIndex();
  index.replaceConversation('lyon', { id: 'lyon', title: 'Trip to Lyon', updatedAt: 100 }, [
    { id: 'l1', conversationId: 'lyon', content: texts.get('l1') ?? '', createdAt: 1 },
    { id: 'l2', conversationId: 'lyon', content: texts.get('l2') ?? '', createdAt: 2 },
    { id: 'l3', conversationId: 'lyon', content: '', createdAt: 3 },
  ]);
  index.replaceConversation(
    'berlin',
    { id: 'berlin', title: 'Berlin', updatedAt: 200 },
    [{ id: 'b1', conversationId: 'berlin', content: texts.get('b1') ?? '', createdAt: 5 }],
    [{ id: 'f1', conversationId: 'berlin', messageId: 'b1', name: 'menu.txt', text: 'Döner', createdAt: 6 }],
  );
  // Messages whose conversation is not known are never shown, so they are not in the copy either.
  index.setMessage({ id: 'x1', conversationId: 'unknown', content: 'orphan', createdAt: 1 });
  return index;
}

function search(index: SearchIndex, query: string) {
  const { terms, hits } = index.find(query);
  return toSearchResults(
    hits,
    terms,
    (id) => texts.get(id),
    (id) => (id === 'f1' ? { name: 'menu.txt', text: 'Döner' } : undefined),
  );
}

function restored(snapshots: readonly ConversationSnapshot[]): SearchIndex {
  const index = new SearchIndex();
  for (const snapshot of snapshots) index.restoreConversation(snapshot);
  return index;
}

/** A stored copy as the structured clone gives it back: plain data. */
const stored = (conversations: unknown) => structuredClone({ format: SEARCH_COPY_FORMAT, conversations });

describe('the stored copy of the search index', () => {
  it('gives back an index that finds exactly what the original finds', () => {
    const original = library();
    const snapshots = original.snapshot();
    expect(snapshots.map((snapshot) => snapshot.id)).toEqual(['lyon', 'berlin']);
    const copy = restored(parseCopy(stored(snapshots)) ?? []);

    expect(copy.messageCount).toBe(4);
    for (const query of ['lyon', 'creme brulee', 'praline', 'currywurst', 'doner', 'berlin', 'orphan', 'tart lyon']) {
      expect(search(copy, query)).toEqual(search(original, query));
    }
    expect(search(copy, 'praline')[0]?.matches[0]?.messageId).toBe('l2');
  });

  it('is kept up to date after it is restored, like an index filled from the database', () => {
    const copy = restored(parseCopy(stored(library().snapshot())) ?? []);
    copy.deleteMessage('l2');
    copy.setMessage({ id: 'l4', conversationId: 'lyon', content: 'Saucisson!', createdAt: 9 });
    texts.set('l4', 'Saucisson!');
    copy.deleteConversation('berlin');

    expect(search(copy, 'praline')).toEqual([]);
    expect(search(copy, 'saucisson').map((result) => result.conversationId)).toEqual(['lyon']);
    expect(search(copy, 'currywurst')).toEqual([]);
    expect(copy.messageCount).toBe(3);
  });

  it('holds no conversation twice after one is restored over what the index had', () => {
    const index = library();
    const [lyon] = index.snapshot();
    if (lyon) index.restoreConversation(lyon);
    expect(index.messageCount).toBe(5);
    expect(search(index, 'lyon')).toHaveLength(1);
  });

  it('is refused, to be rebuilt, when it is not whole', () => {
    const good = library().snapshot();
    const [lyon, berlin] = good;
    if (!lyon || !berlin) throw new Error('no snapshot');
    const damaged: [string, unknown][] = [
      ['not an object', 'index'],
      ['another format', { format: SEARCH_COPY_FORMAT + 1, conversations: good }],
      ['no conversations', { format: SEARCH_COPY_FORMAT }],
      ['a conversation without its text', { format: SEARCH_COPY_FORMAT, conversations: [{ ...lyon, text: 1 }] }],
      ['a start past the text', stored([{ ...lyon, starts: [0, 29, 200, 300] }])],
      ['starts that do not end at the text', stored([{ ...lyon, text: `${lyon.text}more\n` }])],
      ['a start not after a line end', stored([{ ...lyon, starts: [0, 10, 70, lyon.text.length] }])],
      ['one time too few', stored([{ ...lyon, createdAts: [1, 2] }])],
      ['a time that is not one', stored([{ ...lyon, updatedAt: Number.NaN }])],
      ['a message twice', stored([lyon, { ...berlin, messageIds: ['l1'] }])],
      ['a conversation twice', stored([lyon, lyon])],
      ['a file without a name', stored([{ ...berlin, attachments: [{ id: 'f1', messageId: 'b1', createdAt: 6 }] }])],
    ];
    for (const [why, value] of damaged) expect(parseCopy(value), why).toBeNull();
    expect(parseCopy(stored(good))).toHaveLength(2);
    expect(parseCopy(stored([]))).toEqual([]);
  });
});
