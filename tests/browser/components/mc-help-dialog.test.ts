import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-help-dialog.js';
import { describeShortcuts } from '../../../src/app/shortcut-descriptions.js';
import { focusedElement, mount } from './fixtures.js';

async function openHelp(apple = false) {
  const opener = document.createElement('button');
  opener.textContent = 'Keyboard shortcuts';
  document.body.append(opener);
  const element = document.createElement('mc-help-dialog');
  element.shortcuts = describeShortcuts(apple);
  await mount(element);
  opener.focus();
  element.show();
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect.element(dialog).toBeVisible();
  return { element, dialog, opener };
}

/** "New chat" → "Ctrl Shift O", as a screen reader reads the keys. */
function keysOf(label: string): string {
  const term = [...document.querySelector('mc-help-dialog')!.shadowRoot!.querySelectorAll('dt')].find(
    (dt) => dt.textContent?.trim() === label,
  );
  const keys = [...(term?.nextElementSibling?.querySelectorAll('kbd') ?? [])];
  return keys.map((kbd) => kbd.querySelector('.visually-hidden')?.textContent ?? kbd.textContent?.trim()).join(' ');
}

describe('mc-help-dialog', () => {
  it('lists the shortcuts with their keys; Escape closes it and focus returns to the opener', async () => {
    const { dialog, opener } = await openHelp();
    await expect.element(dialog.getByText('New chat')).toBeVisible();
    expect(keysOf('New chat')).toBe('Ctrl Shift O');
    expect(keysOf('Search conversations')).toBe('Ctrl K');
    expect(keysOf('Stop the reply')).toBe('Esc');
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(focusedElement()).toBe(opener);
  });

  it('shows ⌘ on Apple platforms, read out as "Command"', async () => {
    const { dialog } = await openHelp(true);
    await expect.element(dialog.getByText('⌘').first()).toBeVisible();
    expect(keysOf('Search conversations')).toBe('Command K');
  });

  it('closes with its Close button', async () => {
    const { element, dialog, opener } = await openHelp();
    expect(element.open).toBe(true);
    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await expect.element(dialog).not.toBeInTheDocument();
    expect(element.open).toBe(false);
    expect(focusedElement()).toBe(opener);
  });

  it('has no axe violations', async () => {
    const { element, dialog } = await openHelp(true);
    await Promise.all(
      dialog
        .element()
        .getAnimations({ subtree: true })
        .map((animation) => animation.finished),
    );
    const results = await axe.run(element);
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});
