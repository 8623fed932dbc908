import axe from 'axe-core';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-model-picker.js';
import { parseRouterModels } from '../../../src/engines/hf/catalogue.js';
import type { CatalogueModel } from '../../../src/domain/catalogue.js';
import routerPresent from '../../fixtures/hf-catalogue/router-mistral-present.json';
import { focusedElement, mount } from './fixtures.js';

const MISTRAL_7B = 'mistralai/Mistral-7B-Instruct-v0.3';
const MODELS = parseRouterModels(routerPresent);

async function picker(models: readonly CatalogueModel[] = MODELS, value = MISTRAL_7B) {
  const element = document.createElement('mc-model-picker');
  element.label = 'Hugging Face model';
  element.value = value;
  element.models = models;
  element.asOf = 'Models as of 1 Dec 2026, 21:00';
  const changes = vi.fn<(value: string) => void>();
  element.addEventListener('mc-model-change', (event) => changes(event.detail.value));
  await mount(element);
  const box = page.getByRole('combobox', { name: 'Hugging Face model' });
  return { element, changes, box };
}

function optionTexts(): string[] {
  return page
    .getByRole('option')
    .elements()
    .map((option) => option.querySelector('.id')?.textContent ?? '');
}

/** The option the arrow keys are on: the one the combobox names as its active descendant. */
function activeOption(box: Element): Element | null {
  const id = box.getAttribute('aria-activedescendant');
  return id === null ? null : (box.getRootNode() as ShadowRoot).getElementById(id);
}

describe('mc-model-picker', () => {
  it('is an editable combobox named by its label, showing the value and the list’s date', async () => {
    const { box } = await picker();
    await expect.element(box).toHaveValue(MISTRAL_7B);
    await expect.element(box).toHaveAttribute('aria-expanded', 'false');
    await expect.element(box).toHaveAttribute('aria-autocomplete', 'list');
    await expect.element(box).toHaveAccessibleDescription('Models as of 1 Dec 2026, 21:00');
  });

  it('filters the options as the user types, ignoring case', async () => {
    const { box } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, 'LLAMA');
    await expect.element(box).toHaveAttribute('aria-expanded', 'true');
    expect(optionTexts()).toEqual(['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct']);
    await userEvent.type(box, ' 70b');
    expect(optionTexts()).toEqual(['meta-llama/Llama-3.3-70B-Instruct']);
  });

  it('opened on the current value, lists every model in picker order, starting from the current one', async () => {
    const { box } = await picker();
    await userEvent.click(box);
    expect(optionTexts()).toEqual(MODELS.map((model) => model.id));
    expect(activeOption(box.element())?.textContent).toContain(MISTRAL_7B);
    await userEvent.keyboard('{ArrowDown}');
    expect(activeOption(box.element())?.textContent).toContain(MODELS[1]!.id);
  });

  it('takes an option with the arrow keys and Enter, and closes the list', async () => {
    const { box, changes } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, 'instruct');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    const active = activeOption(box.element());
    expect(active?.getAttribute('aria-selected')).toBe('true');
    expect(active?.textContent).toContain('mistralai/Mistral-Small-3.2-24B-Instruct-2506');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    // Up from the first option wraps to the last.
    expect(activeOption(box.element())?.textContent).toContain(optionTexts().at(-1)!);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(changes).toHaveBeenCalledExactlyOnceWith('mistralai/Mistral-Small-3.2-24B-Instruct-2506');
    await expect.element(box).toHaveValue('mistralai/Mistral-Small-3.2-24B-Instruct-2506');
    await expect.element(box).toHaveAttribute('aria-expanded', 'false');
    expect(focusedElement()).toBe(box.element());
  });

  it('takes an option clicked, and keeps focus in the box', async () => {
    const { box, changes } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, 'gemma');
    await userEvent.click(page.getByRole('option', { name: /google\/gemma-3-27b-it/ }));
    expect(changes).toHaveBeenCalledExactlyOnceWith('google/gemma-3-27b-it');
    expect(focusedElement()).toBe(box.element());
  });

  it('shows each option’s live providers, context length and lowest price per million tokens', async () => {
    const { box } = await picker();
    await userEvent.click(box);
    await userEvent.keyboard('{ArrowDown}');
    await expect
      .element(page.getByRole('option', { name: new RegExp(MISTRAL_7B) }))
      .toHaveTextContent('together, featherless-ai · 32K context · $0.10 in, $0.10 out per M tokens');
    await expect
      .element(page.getByRole('option', { name: /Llama-3\.1-8B/ }))
      .toHaveTextContent('novita, nscale, featherless-ai · 128K context · $0.02 in, $0.05 out per M tokens');
    await expect.element(page.getByRole('option', { name: /gpt-oss-20b/ })).toHaveTextContent('groq, together ·');
  });

  it('marks a model nobody serves now, and does not take it', async () => {
    const { box, changes } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, 'mixtral');
    const mixtral = page.getByRole('option', { name: /Mixtral-8x7B/ });
    await expect.element(mixtral).toHaveAttribute('aria-disabled', 'true');
    await expect.element(mixtral).toHaveTextContent('Not served now (error)');
    await userEvent.click(mixtral, { force: true });
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(changes).not.toHaveBeenCalled();
    await expect.element(box).toHaveValue('mixtral');
  });

  it('takes a typed id as it is, suffix and all, on Enter or on leaving the box', async () => {
    const { box, changes } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, ' meta-llama/Llama-3.1-8B-Instruct:groq ');
    await userEvent.keyboard('{Enter}');
    expect(changes).toHaveBeenLastCalledWith('meta-llama/Llama-3.1-8B-Instruct:groq');

    await userEvent.clear(box);
    await userEvent.type(box, 'openai/gpt-oss-20b:cheapest');
    await userEvent.tab();
    expect(changes).toHaveBeenLastCalledWith('openai/gpt-oss-20b:cheapest');
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('Escape closes only the list; a second Escape is left to the dialog around it', async () => {
    const { box } = await picker();
    const outside = vi.fn<(key: string) => void>();
    const listener = (event: KeyboardEvent): void => outside(event.key);
    document.addEventListener('keydown', listener);
    onTestFinished(() => document.removeEventListener('keydown', listener));
    await userEvent.click(box);
    await expect.element(box).toHaveAttribute('aria-expanded', 'true');
    await userEvent.keyboard('{Escape}');
    await expect.element(box).toHaveAttribute('aria-expanded', 'false');
    expect(outside).not.toHaveBeenCalledWith('Escape');
    await userEvent.keyboard('{Escape}');
    expect(outside).toHaveBeenCalledWith('Escape');
  });

  it('shows a value the parent sets, replacing text typed before', async () => {
    const { element, box } = await picker();
    await userEvent.clear(box);
    await userEvent.type(box, 'half typ');
    element.value = 'google/gemma-3-27b-it';
    await expect.element(box).toHaveValue('google/gemma-3-27b-it');
  });

  it('with 5,000 models, renders the first hundred and says how many more there are', async () => {
    const many = Array.from({ length: 5_000 }, (_, index) => ({
      id: `org/model-${String(index).padStart(4, '0')}`,
      providers: [{ provider: 'together', status: 'live' }],
      live: true,
    }));
    const { box } = await picker(many, '');
    await userEvent.click(box);
    await userEvent.keyboard('{ArrowDown}');
    expect(optionTexts()).toHaveLength(100);
    await expect.element(page.getByText('4,900 more: type to narrow the list.')).toBeVisible();
    await userEvent.type(box, 'model-4');
    expect(optionTexts()).toHaveLength(100);
    await expect.element(page.getByText('900 more: type to narrow the list.')).toBeVisible();
    await userEvent.type(box, '99');
    expect(optionTexts()).toEqual([
      'org/model-4990',
      'org/model-4991',
      'org/model-4992',
      'org/model-4993',
      'org/model-4994',
      'org/model-4995',
      'org/model-4996',
      'org/model-4997',
      'org/model-4998',
      'org/model-4999',
    ]);
    expect(page.getByText(/more: type to narrow/).elements()).toHaveLength(0);
  });

  it('without a list it is a plain text box that still takes any id', async () => {
    const { box, changes } = await picker([], '');
    await userEvent.type(box, 'someone/private-model{Enter}');
    await expect.element(box).toHaveAttribute('aria-expanded', 'false');
    expect(changes).toHaveBeenCalledExactlyOnceWith('someone/private-model');
    expect(page.getByRole('button', { name: 'Show models' }).elements()).toHaveLength(0);
  });

  it('has no axe violations, closed or open', async () => {
    const { element, box } = await picker();
    expect((await axe.run(element)).violations).toEqual([]);
    await userEvent.click(box);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect((await axe.run(element)).violations).toEqual([]);
  });
});
