import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-conversation-list.js';
import { conversation, focusedElement, mount } from './fixtures.js';

const CONVERSATIONS = [
  conversation('c3', 'Résumé tips', 3),
  conversation('c2', 'Pasta recipes', 2),
  conversation('c1', 'RESUME draft', 1),
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

  it('filters titles ignoring case and accents, and tells the app what was searched', async () => {
    const { nav } = await list();
    const searched = vi.fn<(query: string) => void>();
    document.body.addEventListener('mc-search', (event) => searched(event.detail.query));
    await userEvent.fill(nav.getByRole('searchbox', { name: 'Search conversations' }), 'resume');
    expect(titlesShown()).toEqual(['Résumé tips', 'RESUME draft']);
    expect(searched).toHaveBeenLastCalledWith('resume');
    await userEvent.fill(nav.getByRole('searchbox', { name: 'Search conversations' }), 'zzz');
    expect(titlesShown()).toEqual([]);
    await expect.element(nav.getByText('No conversation title matches.')).toBeVisible();
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
    expect(titlesShown()).toEqual(['Résumé tips', 'RESUME draft']);
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
