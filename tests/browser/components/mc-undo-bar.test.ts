import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-undo-bar.js';
import { mount } from './fixtures.js';

const OFFER = {
  kind: 'delete-conversation',
  conversationId: 'c1',
  title: 'Trip to Lisbon',
  expiresAt: Date.now() + 6_000,
} as const;

async function bar() {
  const element = document.createElement('mc-undo-bar');
  await mount(element);
  const undone = vi.fn();
  const dismissed = vi.fn();
  element.addEventListener('mc-undo', undone);
  element.addEventListener('mc-dismiss-undo', dismissed);
  return { element, undone, dismissed };
}

describe('mc-undo-bar', () => {
  it('shows nothing until there is something to undo, then says what was deleted in a polite region', async () => {
    const { element } = await bar();
    const region = element.shadowRoot!.querySelector('[aria-live="polite"]')!;
    expect(region.textContent?.trim()).toBe('');
    await expect.element(page.getByRole('button', { name: 'Undo' })).not.toBeInTheDocument();

    element.offer = OFFER;
    await element.updateComplete;
    // The same region, now holding the words: a region created with its text is often not read.
    expect(element.shadowRoot!.querySelector('[aria-live="polite"]')).toBe(region);
    await expect.element(page.getByText('Conversation deleted: “Trip to Lisbon”.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Undo' })).toBeVisible();
    expect((await axe.run(element)).violations).toEqual([]);
  });

  it('says what a message deletion took: the last exchange, one message, or several', async () => {
    const { element } = await bar();
    const expiresAt = Date.now() + 6_000;
    element.offer = { kind: 'undo-exchange', conversationId: 'c1', count: 2, expiresAt };
    await expect.element(page.getByText('Last exchange taken back (2 messages).')).toBeVisible();
    element.offer = { kind: 'delete-messages', conversationId: 'c1', count: 1, expiresAt };
    await expect.element(page.getByText('Message deleted.')).toBeVisible();
    element.offer = { kind: 'delete-messages', conversationId: 'c1', count: 5, expiresAt };
    await expect.element(page.getByText('5 messages deleted.')).toBeVisible();
    await expect
      .element(page.getByRole('button', { name: 'Undo', exact: true }))
      .toHaveAccessibleDescription('5 messages deleted.');
    expect((await axe.run(element)).violations).toEqual([]);
  });

  it('asks to undo, and to close the offer with Close or Escape', async () => {
    const { element, undone, dismissed } = await bar();
    element.offer = OFFER;
    await element.updateComplete;
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    expect(undone).toHaveBeenCalledOnce();

    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    expect(dismissed).toHaveBeenCalledOnce();

    const outside = vi.fn();
    document.body.addEventListener('keydown', outside);
    expect(element.focusUndo()).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(dismissed).toHaveBeenCalledTimes(2);
    // Escape belongs to the bar here, not to a drawer or dialog around it.
    expect(outside).not.toHaveBeenCalled();
  });
});
