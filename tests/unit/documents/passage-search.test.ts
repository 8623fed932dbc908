import { describe, expect, it } from 'vitest';
import type { PassageSpan } from '../../../src/domain/attachments.js';
import { PassageSearch } from '../../../src/documents/passage-search.js';

/** Text made of the given passages, one per paragraph, with their spans. */
function document(passages: readonly string[]): { text: string; spans: PassageSpan[] } {
  const spans: PassageSpan[] = [];
  let text = '';
  for (const passage of passages) {
    if (text) text += '\n\n';
    spans.push({ start: text.length, end: text.length + passage.length });
    text += passage;
  }
  return { text, spans };
}

const manual = document([
  'The pump must be primed before the first start.',
  'Replace the filter cartridge every six months.',
  'The warranty covers the motor for five years.',
]);
const recipes = document(['A pâtisserie sells cakes and tarts.', 'Knead the dough for ten minutes.']);

describe('PassageSearch', () => {
  it('ranks the passage that answers the question first', () => {
    const search = new PassageSearch();
    search.add('manual', manual.text, manual.spans);
    const [best] = search.retrieve('How often should I replace the filter?', 3);
    expect(best).toMatchObject({ attachmentId: 'manual', passageIndex: 1 });
    expect(best!.score).toBeGreaterThan(0);
  });

  it('searches across files and within chosen ones, folding accents', () => {
    const search = new PassageSearch();
    search.add('manual', manual.text, manual.spans);
    search.add('recipes', recipes.text, recipes.spans);
    expect(search.retrieve('patisserie', 5)).toEqual([
      expect.objectContaining({ attachmentId: 'recipes', passageIndex: 0 }),
    ]);
    expect(search.retrieve('patisserie', 5, ['manual'])).toEqual([]);
    expect(search.retrieve('warranty motor', 5, ['manual'])[0]).toMatchObject({ passageIndex: 2 });
  });

  it('finds nothing for stop words alone, and at most k passages', () => {
    const search = new PassageSearch();
    search.add('manual', manual.text, manual.spans);
    expect(search.retrieve('what is the', 5)).toEqual([]);
    expect(search.retrieve('the pump filter warranty', 2)).toHaveLength(2);
  });

  it('forgets a removed file and re-indexes one added again', () => {
    const search = new PassageSearch();
    search.add('manual', manual.text, manual.spans);
    search.add('manual', recipes.text, recipes.spans);
    expect(search.retrieve('warranty', 5)).toEqual([]);
    expect(search.retrieve('dough', 5)).toHaveLength(1);
    search.remove('manual');
    expect(search.has('manual')).toBe(false);
    expect(search.retrieve('dough', 5)).toEqual([]);
  });
});
