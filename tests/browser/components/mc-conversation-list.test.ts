import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { LIST_STEP, SEARCH_INTERVAL_MS } from '../../../src/components/mc-conversation-list.js';
import type { SearchResult } from '../../../src/state/app-state.js';
import { conversation, focusedElement, mount } from './fixtures.js';

const CONVERSATIONS = [
  conversation('c3', 'Résumé tips', 3),
  conversation('c2', 'Pasta recipes', 2),
  conversation('c1', 'RESUME draft', 1),
];

const RESULTS: SearchResult[] = [
  {
    conversationId: 'c3',
    title: 'Résumé tips',
    matches: [{ snippet: 'Résumé tips', ranges: [[0, 6]] }],
    matchCount: 1,
  },
  {
    conversationId: 'c2',
    title: 'Pasta recipes',
    matches: [{ messageId: 'm5', snippet: 'send me your resume', ranges: [[13, 19]] }],
    matchCount: 3,
  },
];

async function list() {
  const element = document.createElement('mc-conversation-list');
  element.conversations = CONVERSATIONS;
  element.activeId = 'c2';
  await mount(element);
  const nav = page.getByRole('navigation', { name: 'Conversations' });
  const itemOf = (title: string) =>
    nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: title, exact: true }) });
  return { element, nav, itemOf };
}

function titlesShown(): string[] {
  return page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('listitem')
    .elements()
    .map((item) => item.querySelector('button')?.textContent?.trim() ?? '');
}

describe('mc-conversation-list', () => {
  it('lists each conversation as a button named by its title, in the order given, the open one current', async () => {
    const { nav } = await list();
    expect(titlesShown()).toEqual(['Résumé tips', 'Pasta recipes', 'RESUME draft']);
    await expect
      .element(nav.getByRole('button', { name: 'Pasta recipes', exact: true }))
      .toHaveAttribute('aria-current', 'page');
    await expect
      .element(nav.getByRole('button', { name: 'Résumé tips', exact: true }))
      .not.toHaveAttribute('aria-current');
  });

  it('shows a long list a hundred at a time: more as the reader scrolls near its end, or on request', async () => {
    const element = document.createElement('mc-conversation-list');
    element.style.height = '600px';
    element.conversations = Array.from({ length: 1_001 }, (_, i) => conversation(`c${i}`, `Conversation ${i + 1}`, -i));
    await mount(element);
    expect(titlesShown()).toHaveLength(LIST_STEP);
    expect(titlesShown()[0]).toBe('Conversation 1');
    const more = page.getByRole('button', { name: /^Show more conversations/ });
    await expect.element(more).toHaveAccessibleName('Show more conversations (901 more)');

    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.entries')!;
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => titlesShown().length).toBe(2 * LIST_STEP);

    // From the keyboard: the button brings the next ones and puts focus on the first of them. (Focused where it is: a
    // focus that scrolls it into view brings more by itself.)
    (more.element() as HTMLButtonElement).focus({ preventScroll: true });
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => titlesShown().length).toBe(3 * LIST_STEP);
    expect((focusedElement() as HTMLButtonElement).textContent?.trim()).toBe('Conversation 201');

    // One far down (brought back by Undo, say) is shown and focused.
    expect(await element.focusConversation('c1000')).toBe(true);
    expect(titlesShown().at(-1)).toBe('Conversation 1001');
    await expect.element(more).not.toBeInTheDocument();
  });

  it('asks for a new chat and for the conversation chosen', async () => {
    const { element, nav } = await list();
    const created = vi.fn();
    const opened = vi.fn<(id: string) => void>();
    element.addEventListener('mc-new-conversation', created);
    element.addEventListener('mc-open-conversation', (event) => opened(event.detail.id));
    await userEvent.click(nav.getByRole('button', { name: 'New chat' }));
    await userEvent.click(nav.getByRole('button', { name: 'RESUME draft', exact: true }));
    expect(created).toHaveBeenCalledOnce();
    expect(opened).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('asks for a search as the text changes: at once, then at most once per interval, the last text always', async () => {
    const { element, nav } = await list();
    const searched = vi.fn<(query: string) => void>();
    element.addEventListener('mc-search', (event) => searched(event.detail.query));
    const box = nav.getByRole('searchbox', { name: 'Search conversations' });
    vi.useFakeTimers();
    try {
      await userEvent.fill(box, 'r');
      expect(searched.mock.calls).toEqual([['r']]);
      await userEvent.type(box, 'esu');
      await userEvent.type(box, 'me');
      expect(searched.mock.calls).toEqual([['r']]);
      vi.advanceTimersByTime(SEARCH_INTERVAL_MS);
      expect(searched.mock.calls).toEqual([['r'], ['resume']]);
      vi.advanceTimersByTime(SEARCH_INTERVAL_MS);
      expect(searched).toHaveBeenCalledTimes(2);

      // Emptied: at once, and the whole list is back.
      await userEvent.fill(box, 'pasta');
      await userEvent.clear(box);
      expect(searched).toHaveBeenLastCalledWith('');
      vi.advanceTimersByTime(SEARCH_INTERVAL_MS);
      expect(searched).toHaveBeenLastCalledWith('');
      expect(titlesShown()).toEqual(['Résumé tips', 'Pasta recipes', 'RESUME draft']);
    } finally {
      vi.useRealTimers();
    }
  });

  async function searched(query: string, results: SearchResult[] = RESULTS) {
    const listed = await list();
    await userEvent.fill(listed.nav.getByRole('searchbox', { name: 'Search conversations' }), query);
    listed.element.search = { query, results, pending: false };
    await listed.element.updateComplete;
    const opened = vi.fn<(detail: { id: string; messageId?: string }) => void>();
    listed.element.addEventListener('mc-open-conversation', (event) => opened(event.detail));
    return { ...listed, opened, results: listed.nav.getByRole('list', { name: 'Search results' }) };
  }

  function marked(): string[] {
    const root = document.querySelector('mc-conversation-list')!.shadowRoot!;
    return [...root.querySelectorAll('mark')].map((mark) => mark.textContent ?? '');
  }

  it('lists the conversations found, best first, each still named by its title, with Rename and Delete', async () => {
    const { results } = await searched('resume');
    expect(titlesShown()).toEqual(['Résumé tips', 'Pasta recipes']);
    await expect.element(results.getByRole('button', { name: 'Résumé tips', exact: true })).toBeVisible();
    expect(results.getByRole('button', { name: 'Rename' }).elements()).toHaveLength(2);
    await expect.element(page.getByText('2 conversations found')).toBeVisible();
  });

  it('marks every match, in the title and in a line of each matching message, which describes the title', async () => {
    const { results } = await searched('resume');
    expect(marked()).toEqual(['Résumé', 'resume']);
    await expect
      .element(results.getByRole('button', { name: 'Pasta recipes', exact: true }))
      .toHaveAccessibleDescription('send me your resume and 2 more matches');
    expect((await axe.run(document.querySelector('mc-conversation-list')!)).violations).toEqual([]);
  });

  it('opens a conversation found at its first matching message, or at its start when the title matched', async () => {
    const { results, opened } = await searched('resume');
    await userEvent.click(results.getByRole('button', { name: 'Pasta recipes', exact: true }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c2', messageId: 'm5' });
    // The line under the title takes a click too (the title button covers the entry, hence `force`).
    await userEvent.click(results.getByText('send me your'), { force: true });
    expect(opened).toHaveBeenCalledTimes(2);
    await userEvent.click(results.getByRole('button', { name: 'Résumé tips', exact: true }));
    expect(opened).toHaveBeenLastCalledWith({ id: 'c3' });
  });

  it('shows hostile titles and message text as text', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const { results } = await searched('src', [
      {
        conversationId: 'c2',
        title: 'Pasta recipes',
        matches: [{ messageId: 'm1', snippet: `It said ${hostile}`, ranges: [[13, 16]] }],
        matchCount: 1,
      },
    ]);
    const root = document.querySelector('mc-conversation-list')!.shadowRoot!;
    expect(root.querySelector('img, script')).toBeNull();
    expect(marked()).toEqual(['src']);
    await expect
      .element(results.getByRole('button', { name: 'Pasta recipes', exact: true }))
      .toHaveAccessibleDescription(`It said ${hostile}`);
  });

  it('leaves out a conversation found that is gone, and says when nothing matched', async () => {
    const { element, nav } = await searched('resume');
    element.conversations = CONVERSATIONS.filter(({ id }) => id !== 'c2');
    await element.updateComplete;
    expect(titlesShown()).toEqual(['Résumé tips']);
    element.search = { query: 'resume', results: [], pending: false };
    await element.updateComplete;
    await expect.element(nav.getByText('No conversation matches “resume”.')).toBeVisible();
    await expect.element(nav.getByRole('list')).not.toBeInTheDocument();
  });

  it('gives Rename and Delete the conversation title as their description', async () => {
    const { itemOf } = await list();
    await expect
      .element(itemOf('Pasta recipes').getByRole('button', { name: 'Rename' }))
      .toHaveAccessibleDescription('Pasta recipes');
    await expect
      .element(itemOf('Pasta recipes').getByRole('button', { name: 'Delete' }))
      .toHaveAccessibleDescription('Pasta recipes');
  });

  it('renames in a Title textbox: Enter saves, and focus returns to Rename', async () => {
    const { element, nav, itemOf } = await list();
    const renamed = vi.fn<(id: string, title: string) => void>();
    element.addEventListener('mc-rename-conversation', (event) => renamed(event.detail.id, event.detail.title));
    await userEvent.click(itemOf('Pasta recipes').getByRole('button', { name: 'Rename' }));
    const title = nav.getByRole('textbox', { name: 'Title' });
    await expect.element(title).toHaveValue('Pasta recipes');
    expect(focusedElement()).toBe(title.element());
    await userEvent.keyboard('{Control>}a{/Control}Weeknight pasta{Enter}');
    expect(renamed).toHaveBeenCalledExactlyOnceWith('c2', 'Weeknight pasta');
    await expect.element(title).not.toBeInTheDocument();
    expect(focusedElement()).toBe(itemOf('Pasta recipes').getByRole('button', { name: 'Rename' }).element());
  });

  it('cancels a rename on Escape and saves it on blur', async () => {
    const { element, nav, itemOf } = await list();
    const renamed = vi.fn<(id: string, title: string) => void>();
    element.addEventListener('mc-rename-conversation', (event) => renamed(event.detail.id, event.detail.title));
    const title = nav.getByRole('textbox', { name: 'Title' });

    await userEvent.click(itemOf('Pasta recipes').getByRole('button', { name: 'Rename' }));
    await userEvent.fill(title, 'Not this');
    await userEvent.keyboard('{Escape}');
    await expect.element(title).not.toBeInTheDocument();
    expect(renamed).not.toHaveBeenCalled();

    await userEvent.click(itemOf('Résumé tips').getByRole('button', { name: 'Rename' }));
    await userEvent.fill(title, 'CV tips');
    await userEvent.click(nav.getByRole('button', { name: 'New chat' }));
    expect(renamed).toHaveBeenCalledExactlyOnceWith('c3', 'CV tips');
  });

  it('asks to delete the conversation whose Delete was pressed', async () => {
    const { element, itemOf } = await list();
    const deleted = vi.fn<(id: string) => void>();
    element.addEventListener('mc-delete-conversation', (event) => deleted(event.detail.id));
    await userEvent.click(itemOf('RESUME draft').getByRole('button', { name: 'Delete' }));
    expect(deleted).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('puts the cursor in the search box on request, its old text selected', async () => {
    const { element, nav } = await list();
    const search = nav.getByRole('searchbox', { name: 'Search conversations' });
    await userEvent.fill(search, 'pasta');
    nav.getByRole('button', { name: 'New chat' }).element().focus();
    element.focusSearch();
    expect(focusedElement()).toBe(search.element());
    await userEvent.keyboard('resume');
    await expect.element(search).toHaveValue('resume');
  });

  it('can put focus on a conversation, e.g. one brought back by Undo', async () => {
    const { element, nav } = await list();
    expect(await element.focusConversation('c1')).toBe(true);
    expect(focusedElement()).toBe(nav.getByRole('button', { name: 'RESUME draft', exact: true }).element());
    expect(await element.focusConversation('gone')).toBe(false);
  });

  it('after a delete, moves focus to the conversation that took its place, or to New chat', async () => {
    const { element, nav, itemOf } = await list();
    await userEvent.click(itemOf('Pasta recipes').getByRole('button', { name: 'Delete' }));
    element.conversations = CONVERSATIONS.filter(({ id }) => id !== 'c2');
    await element.updateComplete;
    expect(focusedElement()).toBe(nav.getByRole('button', { name: 'RESUME draft', exact: true }).element());

    await userEvent.click(itemOf('RESUME draft').getByRole('button', { name: 'Delete' }));
    element.conversations = [CONVERSATIONS[0]!];
    await element.updateComplete;
    expect(focusedElement()).toBe(nav.getByRole('button', { name: 'Résumé tips', exact: true }).element());

    await userEvent.click(itemOf('Résumé tips').getByRole('button', { name: 'Delete' }));
    element.conversations = [];
    await element.updateComplete;
    expect(focusedElement()).toBe(nav.getByRole('button', { name: 'New chat' }).element());
  });
});
