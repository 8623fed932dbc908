import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-hosted-settings.js';
import type { CatalogueModel, CatalogueView } from '../../../src/state/app-state.js';
import { type Settings, type SettingsChanges, applySettingsChanges } from '../../../src/domain/settings.js';
import { HOSTED_SETTINGS, mount } from './fixtures.js';

const LLAMA: CatalogueModel = {
  id: 'meta-llama/Llama-3.1-8B-Instruct',
  providers: [{ provider: 'novita', status: 'live' }],
  live: true,
};

async function hostedSettings(settings: Settings = HOSTED_SETTINGS, catalogue?: CatalogueView) {
  const element = document.createElement('mc-hosted-settings');
  element.settings = settings;
  element.catalogue = catalogue;
  element.pageOrigin = 'https://chat.example';
  const patches: SettingsChanges[] = [];
  element.addEventListener('mc-settings-change', (event) => {
    patches.push(event.detail);
    // As the app does: the change comes back as the settings shown.
    element.settings = applySettingsChanges(element.settings, event.detail);
  });
  await mount(element);
  return { element, patches };
}

describe('mc-hosted-settings', () => {
  it('a preset fills in its URL, asks for its key, and says how to allow this site (CORS)', async () => {
    const { patches } = await hostedSettings();
    const provider = page.getByRole('combobox', { name: 'Provider' });
    await expect.element(provider).toHaveValue('huggingface');
    await expect.element(page.getByRole('textbox', { name: 'API key' })).not.toBeInTheDocument();

    await userEvent.selectOptions(provider, 'Ollama');
    expect(patches).toEqual([{ provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' }]);
    await expect.element(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('http://localhost:11434/v1');
    await expect.element(page.getByText(/OLLAMA_ORIGINS=https:\/\/chat\.example/).first()).toBeVisible();
    await expect.element(page.getByRole('textbox', { name: 'Hugging Face token' })).not.toBeInTheDocument();

    await userEvent.selectOptions(provider, 'Mistral AI');
    await expect.element(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('https://api.mistral.ai/v1');
    await expect
      .element(page.getByRole('textbox', { name: 'API key' }))
      .toHaveAccessibleDescription(/Kept for https:\/\/api\.mistral\.ai only/);
  });

  it('a key is stored under the origin it was typed for; an edited URL shows its own key, not that one', async () => {
    const { patches } = await hostedSettings({
      ...HOSTED_SETTINGS,
      provider: 'vllm',
      endpointUrl: 'http://localhost:8000/v1',
    });
    const key = page.getByRole('textbox', { name: 'API key' });
    await userEvent.fill(key, 'sk-vllm');
    await userEvent.fill(page.getByRole('textbox', { name: 'Endpoint URL' }), 'https://elsewhere.example/v1');
    await expect.element(key).toHaveValue('');
    await userEvent.tab();
    expect(patches).toEqual([
      { endpointKeys: { 'http://localhost:8000': 'sk-vllm' } },
      { endpointUrl: 'https://elsewhere.example/v1', provider: 'vllm' },
    ]);
  });

  it('says when an edited URL is invalid, and applies nothing', async () => {
    const { patches } = await hostedSettings({
      ...HOSTED_SETTINGS,
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
    });
    const url = page.getByRole('textbox', { name: 'Endpoint URL' });
    await userEvent.fill(url, 'localhost:11434/v1');
    await expect.element(url).toHaveAttribute('aria-invalid', 'true');
    await expect.element(url).toHaveAccessibleDescription(/Enter a full URL starting with https:\/\//);
    await userEvent.tab();
    expect(patches).toEqual([]);
    // Until the typed address is valid, the key shown is the stored address's own.
    await expect.element(page.getByRole('textbox', { name: 'API key' })).not.toBeDisabled();
  });

  it('says when nobody serves the model chosen, and switches only when Use is pressed', async () => {
    const { patches } = await hostedSettings(HOSTED_SETTINGS, {
      models: [LLAMA],
      loading: false,
      resolution: { kind: 'not-served', id: 'mistralai/Mistral-7B-Instruct-v0.3', suggestion: LLAMA },
    });
    await expect
      .element(page.getByText(/No provider serves mistralai\/Mistral-7B-Instruct-v0\.3 right now/))
      .toBeVisible();
    expect(patches).toEqual([]);
    await userEvent.click(page.getByRole('button', { name: 'Use meta-llama/Llama-3.1-8B-Instruct' }));
    expect(patches).toEqual([{ hfModel: 'meta-llama/Llama-3.1-8B-Instruct' }]);
  });

  it('lists the live catalogue in the model combobox; an option chosen becomes the model', async () => {
    const { patches } = await hostedSettings(HOSTED_SETTINGS, {
      models: [LLAMA],
      loading: false,
      resolution: { kind: 'not-served', id: 'mistralai/Mistral-7B-Instruct-v0.3', suggestion: LLAMA },
    });
    const model = page.getByRole('combobox', { name: 'Hugging Face model' });
    await userEvent.click(model);
    await userEvent.keyboard('{ArrowDown}');
    await userEvent.click(page.getByRole('option', { name: /meta-llama\/Llama-3\.1-8B-Instruct/ }));
    expect(patches).toEqual([{ hfModel: 'meta-llama/Llama-3.1-8B-Instruct' }]);
  });

  it('on an endpoint, says the server does not list the model, and offers one it does', async () => {
    const served: CatalogueModel = { id: 'mistral:7b-instruct-v0.3-q4_K_M', providers: [], live: true };
    const { patches } = await hostedSettings(
      { ...HOSTED_SETTINGS, provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' },
      {
        models: [served],
        loading: false,
        resolution: { kind: 'not-served', id: 'mistralai/Mistral-7B-Instruct-v0.3', suggestion: served },
      },
    );
    await expect
      .element(page.getByText('The server at http://localhost:11434 does not list mistralai/Mistral-7B-Instruct-v0.3.'))
      .toBeVisible();
    await userEvent.click(page.getByRole('button', { name: `Use ${served.id}` }));
    expect(patches).toEqual([{ endpointModels: { 'http://localhost:11434': served.id } }]);
  });

  it('remembers the model chosen for an endpoint under its origin', async () => {
    const { patches } = await hostedSettings({
      ...HOSTED_SETTINGS,
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
    });
    const model = page.getByRole('combobox', { name: 'Hugging Face model' });
    await userEvent.fill(model, 'mistral:7b-instruct-v0.3-q4_K_M');
    await userEvent.tab();
    expect(patches).toEqual([{ endpointModels: { 'http://localhost:11434': 'mistral:7b-instruct-v0.3-q4_K_M' } }]);
  });

  it('shows a failed look-up as an alert and the cached list’s date, and keeps the field usable', async () => {
    await hostedSettings(HOSTED_SETTINGS, {
      models: [LLAMA],
      loading: false,
      asOf: 'Models as of 1 Dec 2026, 20:00',
      error: 'Hugging Face’s model list could not be reached.',
      resolution: { kind: 'served', model: LLAMA },
    });
    await expect.element(page.getByRole('alert')).toHaveTextContent('Hugging Face’s model list could not be reached.');
    await expect.element(page.getByText('Models as of 1 Dec 2026, 20:00')).toBeVisible();
  });
});
