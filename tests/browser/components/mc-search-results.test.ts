import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-search-results.js';
import type { SearchResult } from '../../../src/state/app-state.js';
import { mount } from './fixtures.js';

const RESULTS: SearchResult[] = [
  {
    conversationId: 'c1',
    title: 'Café in Lisbon',
    matches: [
      { snippet: 'Café in Lisbon', ranges: [[0, 4]] },
      { messageId: 'm7', snippet: '…the best cafe near Alfama is…', ranges: [[10, 14]] },
    ],
    matchCount: 2,
  },
  {
    conversationId: 'c2',
    title: 'Coffee chemistry',
    matches: [
      { messageId: 'm3', snippet: 'A CAFÉ crème has more milk', ranges: [[2, 6]] },
      { messageId: 'm9', snippet: 'and the café au lait', ranges: [[8, 12]] },
    ],
    matchCount: 6,
  },
];

async function results(props: Partial<{ results: SearchResult[]; query: string; pending: boolean }> = {}) {
  const element = document.createElement('mc-search-results');
  element.results = props.results ?? RESULTS;
  element.query = props.query ?? 'cafe';
  element.pending = props.pending ?? false;
  element.activeId = 'c2';
  await mount(element);
  const opened = vi.fn<(detail: { id: string; messageId?: string }) => void>();
  element.addEventListener('mc-open-result', (event) => opened(event.detail));
  return { element, opened, list: page.getByRole('list', { name: 'Search results' }) };
}

function marked(): string[] {
  const root = document.querySelector('mc-search-results')!.shadowRoot!;
  return [...root.querySelectorAll('mark')].map((mark) => mark.textContent ?? '');
}

describe('mc-search-results', () => {
  it('names each result by its conversation title and marks every matched word', async () => {
    const { list } = await results();
    await expect.element(list.getByRole('button', { name: 'Café in Lisbon', exact: true })).toBeVisible();
    await expect.element(list.getByRole('button', { name: 'Coffee chemistry', exact: true })).toBeVisible();
    await expect
      .element(list.getByRole('button', { name: 'Coffee chemistry', exact: true }))
      .toHaveAttribute('aria-current', 'page');
    expect(marked()).toEqual(['Café', 'cafe', 'CAFÉ', 'café']);
    await expect.element(list.getByText('and 4 more matches')).toBeVisible();
  });

  it('opens at the first matching message from the title, and at each message from its line', async () => {
    const { list, opened } = await results();
    await userEvent.click(list.getByRole('button', { name: 'Coffee chemistry', exact: true }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c2', messageId: 'm3' });
    await userEvent.click(list.getByRole('button', { name: 'and the café au lait' }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c2', messageId: 'm9' });
  });

  it('opens a conversation whose title matched at its start, not at a message', async () => {
    const { list, opened } = await results();
    await userEvent.click(list.getByRole('button', { name: 'Café in Lisbon', exact: true }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c1' });
    await userEvent.click(list.getByRole('button', { name: '…the best cafe near Alfama is…' }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c1', messageId: 'm7' });
  });

  it('shows hostile titles and messages as text', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await results({
      results: [
        {
          conversationId: 'c9',
          title: hostile,
          matches: [{ messageId: 'm1', snippet: `It said ${hostile}`, ranges: [[13, 16]] }],
          matchCount: 1,
        },
      ],
      query: 'src',
    });
    const root = document.querySelector('mc-search-results')!.shadowRoot!;
    expect(root.querySelector('img, script')).toBeNull();
    expect(marked()).toEqual(['src']);
    await expect.element(page.getByRole('button', { name: hostile, exact: true })).toBeVisible();
  });

  it('says how many conversations were found, that it is searching, or that nothing matched', async () => {
    const { element } = await results();
    const summary = page.getByText('2 conversations found');
    await expect.element(summary).toBeVisible();

    element.results = [];
    element.pending = true;
    await element.updateComplete;
    await expect.element(page.getByText('Searching…')).toBeVisible();

    element.pending = false;
    element.query = 'quokka ';
    await element.updateComplete;
    await expect.element(page.getByText('No conversation matches “quokka”.')).toBeVisible();
    await expect.element(page.getByRole('list', { name: 'Search results' })).not.toBeInTheDocument();
  });

  it('keeps the previous results on screen while a newer query runs', async () => {
    const { element, list } = await results();
    element.pending = true;
    await element.updateComplete;
    await expect.element(list.getByRole('button', { name: 'Coffee chemistry', exact: true })).toBeVisible();
  });

  it('can put focus on the first result', async () => {
    const { element } = await results();
    expect(element.focusFirst()).toBe(true);
    expect(element.shadowRoot!.activeElement?.textContent?.trim()).toBe('Café in Lisbon');
  });
});
