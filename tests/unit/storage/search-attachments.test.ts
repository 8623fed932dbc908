import { describe, expect, it } from 'vitest';
import {
  SearchIndex,
  toSearchResults,
  type AttachmentText,
  type IndexableAttachment,
  type SearchResult,
} from '../../../src/storage/search-index.js';
import { findRanges, makeSnippet, parseQuery, snippetAround, type Range } from '../../../src/storage/search-text.js';

function highlighted(snippet: string, ranges: readonly Range[]): string[] {
  return ranges.map(([start, end]) => snippet.slice(start, end));
}

const report: IndexableAttachment = {
  id: 'a1',
  conversationId: 'trip',
  messageId: 'm1',
  name: 'Itinéraire.pdf',
  text: 'Day one: the Musée d’Orsay.\n\nDay two: a crêpe in Montmartre.',
  createdAt: 11,
};

function library(): { index: SearchIndex; texts: Map<string, string>; files: Map<string, AttachmentText> } {
  const index = new SearchIndex();
  const texts = new Map([
    ['m1', 'Here is the plan, what do you think?'],
    ['m2', 'Montmartre is lovely in spring.'],
  ]);
  index.setConversation({ id: 'trip', title: 'Paris trip', updatedAt: 100 });
  index.setMessage({ id: 'm1', conversationId: 'trip', content: texts.get('m1')!, createdAt: 10 });
  index.setMessage({ id: 'm2', conversationId: 'trip', content: texts.get('m2')!, createdAt: 20 });
  index.setAttachment(report);
  return { index, texts, files: new Map([[report.id, report]]) };
}

function search({ index, texts, files }: ReturnType<typeof library>, query: string): SearchResult[] {
  const { terms, hits } = index.find(query);
  return toSearchResults(
    hits,
    terms,
    (id) => texts.get(id),
    (id) => files.get(id),
  );
}

describe('SearchIndex with attached files', () => {
  it("finds words in a file's text, pointing at the message it was sent with, in order with the messages", () => {
    const [trip, ...rest] = search(library(), 'montmartre');
    expect(rest).toEqual([]);
    expect(trip?.matchCount).toBe(2);
    expect(trip?.matches.map((match) => [match.messageId, match.attachment])).toEqual([
      ['m1', { id: 'a1', name: 'Itinéraire.pdf' }],
      ['m2', undefined],
    ]);
    const inFile = trip!.matches[0]!;
    expect(highlighted(inFile.snippet, inFile.ranges)).toEqual(['Montmartre']);
    expect(inFile.snippet).not.toContain('\n');
  });

  it('finds a file by its name, typed without accents, and shows the name', () => {
    const [match] = search(library(), 'itineraire')[0]!.matches;
    expect(match?.attachment?.id).toBe('a1');
    expect(match?.snippet).toBe('Itinéraire.pdf');
    expect(highlighted(match!.snippet, match!.ranges)).toEqual(['Itinéraire']);
  });

  it('needs every word in the file, its name and text together', () => {
    expect(search(library(), 'itineraire crepe')[0]?.matches.map((match) => match.attachment?.id)).toEqual(['a1']);
    expect(search(library(), 'crepe spring')).toEqual([]);
  });

  it('forgets a file when it, its message or its conversation is deleted, and when the conversation is replaced', () => {
    const deleted = library();
    deleted.index.deleteAttachment('a1');
    expect(search(deleted, 'orsay')).toEqual([]);

    const withoutMessage = library();
    withoutMessage.index.deleteMessage('m1');
    expect(search(withoutMessage, 'orsay')).toEqual([]);

    const replaced = library();
    replaced.index.replaceConversation('trip', { id: 'trip', title: 'Paris trip', updatedAt: 100 }, []);
    expect(search(replaced, 'orsay')).toEqual([]);
    replaced.index.replaceConversation(
      'trip',
      { id: 'trip', title: 'Paris trip', updatedAt: 100 },
      [{ id: 'm1', conversationId: 'trip', content: 'Plan', createdAt: 10 }],
      [report],
    );
    expect(search(replaced, 'orsay')[0]?.matches.map((match) => match.attachment?.id)).toEqual(['a1']);

    const gone = library();
    gone.index.deleteConversation('trip');
    expect(search(gone, 'orsay')).toEqual([]);
  });

  it('shows a file only once its message is known, and leaves out a file deleted before its snippet was cut', () => {
    const early = new SearchIndex();
    early.setConversation({ id: 'trip', title: 'Paris trip', updatedAt: 100 });
    early.setAttachment(report);
    expect(early.find('orsay').hits).toEqual([]);

    const { index, texts } = library();
    const { terms, hits } = index.find('orsay');
    expect(toSearchResults(hits, terms, (id) => texts.get(id))).toEqual([
      { conversationId: 'trip', title: 'Paris trip', matches: [], matchCount: 1 },
    ]);
  });
});

describe('snippetAround', () => {
  it('cuts the same snippet as makeSnippet over the whole text, for a short text', () => {
    const text = 'We drank a CAFÉ crème at the Café de Flore.';
    const terms = parseQuery('cafe');
    expect(snippetAround(text, terms)).toEqual(makeSnippet(text, findRanges(text, terms)));
  });

  it('finds the first match deep in a long text, highlighted as in a short one, across a window boundary', () => {
    const terms = parseQuery('ANGSTROM naïve');
    for (const at of [8_190, 100_000, 1_999_990]) {
      const text = `${'x'.repeat(at)} naive Ångström ${'y '.repeat(10)}Ångström ${'z'.repeat(1_000)}`;
      const { snippet, ranges } = snippetAround(text, terms);
      expect(highlighted(snippet, ranges)).toEqual(['naive', 'Ångström', 'Ångström']);
      expect(snippet.length).toBeLessThan(170);
    }
    expect(snippetAround('q'.repeat(50_000), terms).ranges).toEqual([]);
  });
});
