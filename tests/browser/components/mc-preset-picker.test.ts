import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-preset-picker.js';
import { BUILT_IN_PRESETS, type Preset } from '../../../src/domain/presets.js';
import { focusedElement, mount } from './fixtures.js';

const TUTOR: Preset = { ...BUILT_IN_PRESETS[1]!, id: 'p1', name: 'Tutor', builtIn: false, model: 'mistralai/Big' };

async function picker(value = '', presets: readonly Preset[] = [...BUILT_IN_PRESETS, TUTOR]) {
  const element = document.createElement('mc-preset-picker');
  element.presets = presets;
  element.value = value;
  await mount(element);
  const events = {
    chosen: vi.fn<(detail: { presetId: string }) => void>(),
    created: vi.fn<(detail: { name: string; includeModel: boolean }) => void>(),
    renamed: vi.fn<(detail: { id: string; name: string }) => void>(),
    deleted: vi.fn<(detail: { id: string }) => void>(),
  };
  element.addEventListener('mc-choose-preset', (event) => events.chosen(event.detail));
  element.addEventListener('mc-create-preset', (event) => events.created(event.detail));
  element.addEventListener('mc-rename-preset', (event) => events.renamed(event.detail));
  element.addEventListener('mc-delete-preset', (event) => events.deleted(event.detail));
  return { element, events, combobox: page.getByRole('combobox', { name: 'Preset' }) };
}

describe('mc-preset-picker', () => {
  it('is a combobox named Preset, showing the preset in use and saying which settings replies use', async () => {
    const { element, combobox } = await picker('builtin:demo');
    await expect.element(combobox).toHaveValue('builtin:demo');
    await expect.element(combobox).toHaveAccessibleDescription(/this preset’s system prompt and sampling/);
    const options = [...(combobox.element() as HTMLSelectElement).options].map((option) => option.text);
    expect(options).toEqual(['None (use Settings)', 'Demo defaults', 'Precise', 'Creative', 'Tutor']);
    // A built-in can be neither renamed nor deleted.
    await expect.element(page.getByRole('button', { name: 'Delete preset' })).not.toBeInTheDocument();
    expect((await axe.run(element)).violations).toEqual([]);

    element.value = '';
    await element.updateComplete;
    await expect.element(combobox).toHaveValue('');
    await expect
      .element(combobox)
      .toHaveAccessibleDescription('No preset: replies use the system prompt and sampling in Settings.');
    element.missing = true;
    await element.updateComplete;
    await expect.element(combobox).toHaveAccessibleDescription(/preset was deleted: replies use .* in Settings/);
  });

  it('is chosen with the keyboard, and shows only what its owner took', async () => {
    const { element, events, combobox } = await picker('');
    (combobox.element() as HTMLSelectElement).focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(events.chosen).toHaveBeenLastCalledWith({ presetId: 'builtin:demo' });
    // The owner did not take it (yet): the combobox goes back to what is in use.
    element.requestUpdate();
    await element.updateComplete;
    await expect.element(combobox).toHaveValue('');
    element.value = 'builtin:demo';
    await element.updateComplete;
    await expect.element(combobox).toHaveValue('builtin:demo');
  });

  it('names a new preset, including the hosted model only when asked; Escape cancels and focus comes back', async () => {
    const { element, events, combobox } = await picker('');
    element.hostedModel = 'mistralai/Mistral-7B-Instruct-v0.3';
    await userEvent.click(page.getByRole('button', { name: 'New preset' }));
    const name = page.getByRole('textbox', { name: 'Preset name' });
    expect(focusedElement()).toBe(name.element());
    await expect
      .element(page.getByRole('checkbox', { name: 'Include model' }))
      .toHaveAccessibleDescription('mistralai/Mistral-7B-Instruct-v0.3');
    expect((await axe.run(element)).violations).toEqual([]);
    await userEvent.keyboard('Tutor{Enter}');
    expect(events.created).toHaveBeenLastCalledWith({ name: 'Tutor', includeModel: false });

    // Refused (the owner shows an alert): the name stays, with focus, to be corrected.
    element.finishEditing(false);
    expect(focusedElement()).toBe(name.element());
    await userEvent.click(page.getByRole('checkbox', { name: 'Include model' }));
    await userEvent.click(page.getByRole('button', { name: 'Save preset' }));
    expect(events.created).toHaveBeenLastCalledWith({ name: 'Tutor', includeModel: true });
    element.finishEditing(true);
    await expect.element(name).not.toBeInTheDocument();
    expect(focusedElement()).toBe(combobox.element());

    await userEvent.click(page.getByRole('button', { name: 'New preset' }));
    await userEvent.keyboard('Never mind{Escape}');
    await expect.element(name).not.toBeInTheDocument();
    expect(focusedElement()).toBe(combobox.element());
    expect(events.created).toHaveBeenCalledTimes(2);
  });

  it('renames and deletes the user’s own preset', async () => {
    const { events } = await picker('p1');
    await expect
      .element(page.getByRole('combobox', { name: 'Preset' }))
      .toHaveAccessibleDescription(/asks for mistralai\/Big \(not used on this device\)/);
    await userEvent.click(page.getByRole('button', { name: 'Rename preset' }));
    await expect.element(page.getByRole('textbox', { name: 'Preset name' })).toHaveValue('Tutor');
    await userEvent.keyboard('Patient tutor{Enter}');
    expect(events.renamed).toHaveBeenCalledExactlyOnceWith({ id: 'p1', name: 'Patient tutor' });
    await userEvent.click(page.getByRole('button', { name: 'Delete preset' }));
    expect(events.deleted).toHaveBeenCalledExactlyOnceWith({ id: 'p1' });
  });
});
