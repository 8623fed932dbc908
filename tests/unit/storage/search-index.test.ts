import { describe, expect, it } from 'vitest';
import { SearchIndex, toSearchResults, type SearchResult } from '../../../src/storage/search-index.js';
import type { Range } from '../../../src/storage/search-text.js';

const texts = new Map<string, string>();

function indexWith(
  conversations: { id: string; title: string; updatedAt: number; messages: [id: string, content: string][] }[],
): SearchIndex {
  const index = new SearchIndex();
  for (const conversation of conversations) {
    index.setConversation(conversation);
    conversation.messages.forEach(([id, content], i) => {
      texts.set(id, content);
      index.setMessage({ id, conversationId: conversation.id, content, createdAt: i });
    });
  }
  return index;
}

function search(index: SearchIndex, query: string, options = {}): SearchResult[] {
  const { terms, hits } = index.find(query, options);
  return toSearchResults(hits, terms, (id) => texts.get(id));
}

function highlighted(snippet: string, ranges: readonly Range[]): string[] {
  return ranges.map(([start, end]) => snippet.slice(start, end));
}

const library = () =>
  indexWith([
    {
      id: 'lyon',
      title: 'Trip to Lyon',
      updatedAt: 100,
      messages: [
        ['l1', 'Where should we eat in Lyon?'],
        ['l2', 'Try a bouchon: quenelles, and a crème brûlée for dessert.'],
      ],
    },
    {
      id: 'code',
      title: 'Python help',
      updatedAt: 300,
      messages: [
        ['c1', 'How do I read a CSV file?'],
        ['c2', 'Use the csv module. In Lyon or anywhere else, it works the same.'],
      ],
    },
    { id: 'empty', title: 'Crème brûlée recipe', updatedAt: 200, messages: [] },
  ]);

describe('SearchIndex', () => {
  it('finds a word in messages whatever its case and accents, and highlights it in a snippet', () => {
    const [result, ...rest] = search(library(), 'CREME');
    expect(rest.map((r) => r.conversationId)).toEqual(['lyon']);
    expect(result?.conversationId).toBe('empty');
    const lyon = rest[0]!;
    expect(lyon.matches).toHaveLength(1);
    expect(lyon.matches[0]?.messageId).toBe('l2');
    expect(highlighted(lyon.matches[0]!.snippet, lyon.matches[0]!.ranges)).toEqual(['crème']);
  });

  it('finds "Straße" when searching "strasse" and "Strasse" when searching "Straße", highlighting each exactly', () => {
    const index = indexWith([
      {
        id: 'berlin',
        title: 'Straße names in Berlin',
        updatedAt: 10,
        messages: [
          ['b1', 'Is it Karl-Marx-Allee or a Straße?'],
          ['b2', 'Swiss German writes Strasse, without ß.'],
        ],
      },
    ]);
    for (const query of ['strasse', 'STRASSE', 'straße', 'STRAẞE']) {
      const [berlin, ...rest] = search(index, query);
      expect(rest).toEqual([]);
      expect(berlin?.matchCount).toBe(3);
      expect(berlin?.matches.map((m) => m.messageId)).toEqual([undefined, 'b1', 'b2']);
      expect(berlin?.matches.map((m) => highlighted(m.snippet, m.ranges))).toEqual([
        ['Straße'],
        ['Straße'],
        ['Strasse'],
      ]);
    }
    expect(search(index, 'ß').map((r) => r.matchCount)).toEqual([3]);
  });

  it('finds Turkish, Danish and French spellings typed without their special letters', () => {
    const index = indexWith([
      { id: 'tr', title: 'Işık in İzmir', updatedAt: 1, messages: [['t1', 'Ærøskøbing and œuvre']] },
    ]);
    const [tr] = search(index, 'isik izmir');
    expect(highlighted(tr!.matches[0]!.snippet, tr!.matches[0]!.ranges)).toEqual(['Işık', 'İzmir']);
    const [dk] = search(index, 'aeroskobing oeuvre');
    expect(highlighted(dk!.matches[0]!.snippet, dk!.matches[0]!.ranges)).toEqual(['Ærøskøbing', 'œuvre']);
  });

  it('lists conversations whose title matches first, then the most recently updated', () => {
    expect(search(library(), 'lyon').map((r) => r.conversationId)).toEqual(['lyon', 'code']);
    const lyon = search(library(), 'lyon')[0]!;
    expect(lyon.matches.map((m) => m.messageId)).toEqual([undefined, 'l1']);
    expect(highlighted(lyon.matches[0]!.snippet, lyon.matches[0]!.ranges)).toEqual(['Lyon']);
    expect(lyon.matchCount).toBe(2);
  });

  it('needs every word of the query in the same message or title', () => {
    expect(search(library(), 'lyon eat').map((r) => r.conversationId)).toEqual(['lyon']);
    expect(search(library(), 'bouchon csv')).toEqual([]);
  });

  it('matches each message on its own: never across two, and each word anywhere in it', () => {
    const index = indexWith([
      {
        id: 'greek',
        title: 'Letters',
        updatedAt: 1,
        messages: [
          ['g1', 'alpha then beta'],
          ['g2', 'gamma'],
          ['g3', 'beta before alpha, delta'],
          ['g4', 'foo'],
          ['g5', 'bar delta'],
        ],
      },
    ]);
    const ids = (query: string) =>
      search(index, query, { matchesPerConversation: 10 })[0]?.matches.map((m) => m.messageId);
    expect(ids('alpha beta')).toEqual(['g1', 'g3']);
    expect(ids('delta alpha')).toEqual(['g3']);
    expect(ids('alphagamma')).toBeUndefined();
    expect(ids('alpha gamma')).toBeUndefined();
    expect(ids('foobar')).toBeUndefined();
    expect(ids('delta')).toEqual(['g3', 'g5']);
    index.setMessage({ id: 'g2', conversationId: 'greek', content: 'gamma and alpha', createdAt: 1 });
    texts.set('g2', 'gamma and alpha');
    expect(ids('alpha gamma')).toEqual(['g2']);
  });

  it('limits the conversations returned and the matches listed, and counts them all', () => {
    const many = indexWith([
      {
        id: 'chatty',
        title: 'Chat',
        updatedAt: 1,
        messages: Array.from({ length: 10 }, (_, i): [string, string] => [`m${i}`, `hello number ${i}`]),
      },
      { id: 'other', title: 'Hello there', updatedAt: 2, messages: [] },
    ]);
    const results = search(many, 'hello', { limit: 1, matchesPerConversation: 2 });
    expect(results.map((r) => r.conversationId)).toEqual(['other']);
    const chatty = search(many, 'hello', { matchesPerConversation: 2 })[1]!;
    expect(chatty.matches.map((m) => m.messageId)).toEqual(['m0', 'm1']);
    expect(chatty.matchCount).toBe(10);
  });

  it('finds nothing for an empty query', () => {
    expect(search(library(), '   ')).toEqual([]);
  });

  it('follows edits, deletions and renames', () => {
    const index = library();
    index.setMessage({ id: 'c1', conversationId: 'code', content: 'How do I parse TOML?', createdAt: 0 });
    texts.set('c1', 'How do I parse TOML?');
    expect(search(index, 'toml').map((r) => r.conversationId)).toEqual(['code']);
    expect(search(index, 'csv file')).toEqual([]);

    index.deleteMessage('c2');
    expect(search(index, 'lyon').map((r) => r.conversationId)).toEqual(['lyon']);

    index.setConversation({ id: 'code', title: 'TOML parsing', updatedAt: 300 });
    const titleMatch = search(index, 'toml')[0]?.matches[0];
    expect(titleMatch?.snippet).toBe('TOML parsing');
    expect(titleMatch?.messageId).toBeUndefined();

    index.deleteConversation('lyon');
    expect(search(index, 'bouchon')).toEqual([]);
    expect(index.messageCount).toBe(1);
  });

  it('replaces what it knows of a conversation, or forgets it', () => {
    const index = library();
    index.replaceConversation('lyon', { id: 'lyon', title: 'Lyon', updatedAt: 100 }, []);
    expect(search(index, 'bouchon')).toEqual([]);
    index.replaceConversation('code', undefined, []);
    expect(search(index, 'python')).toEqual([]);
  });

  it('shows no conversation for messages whose conversation it does not know', () => {
    const index = new SearchIndex();
    index.setMessage({ id: 'stray', conversationId: 'gone', content: 'orphan words', createdAt: 1 });
    expect(index.find('orphan').hits).toEqual([]);
  });

  it('leaves out a matched message deleted before its snippet was cut', () => {
    const index = library();
    const { terms, hits } = index.find('quenelles');
    const results = toSearchResults(hits, terms, () => undefined);
    expect(results).toEqual([{ conversationId: 'lyon', title: 'Trip to Lyon', matches: [], matchCount: 1 }]);
  });
});
