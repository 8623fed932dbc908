import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-local-model-panel.js';
import '../../../src/components/mc-settings-dialog.js';
import { DEFAULT_SETTINGS, type Settings, type SettingsChanges } from '../../../src/domain/settings.js';
import { HOSTED_SETTINGS, MISTRAL_OPTION, focusedElement, localState, mount } from './fixtures.js';

async function openDialog(settings: Settings = HOSTED_SETTINGS, local = { available: true, reason: '' }) {
  const opener = document.createElement('button');
  opener.textContent = 'Open settings';
  document.body.append(opener);
  const element = document.createElement('mc-settings-dialog');
  element.settings = settings;
  element.localAvailable = local.available;
  element.localUnavailableReason = local.reason;
  element.local = localState({ catalogue: 'ready', options: [MISTRAL_OPTION], selectedId: MISTRAL_OPTION.id });
  const patches: SettingsChanges[] = [];
  element.addEventListener('mc-settings-change', (event) => patches.push(event.detail));
  await mount(element);
  opener.focus();
  await element.show();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect.element(dialog).toBeVisible();
  return { element, dialog, patches, opener };
}

describe('mc-settings-dialog', () => {
  it('opens as a dialog named Settings; Escape closes it and focus returns to the opener', async () => {
    const { dialog, opener } = await openDialog();
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(focusedElement()).toBe(opener);
  });

  it('closes with its Close button', async () => {
    const { dialog } = await openDialog();
    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await expect.element(dialog).not.toBeInTheDocument();
  });

  it('chooses the engine in a radiogroup, and shows the local model section for This device', async () => {
    const { dialog, patches } = await openDialog();
    const engine = dialog.getByRole('radiogroup', { name: 'Engine' });
    expect(engine.getByRole('radio').elements()).toHaveLength(2);
    await expect.element(engine.getByRole('radio', { name: 'Hugging Face API' })).toBeChecked();
    await expect.element(dialog.getByRole('button', { name: 'Download model' })).not.toBeInTheDocument();

    await userEvent.click(engine.getByRole('radio', { name: 'This device' }));
    expect(patches).toEqual([{ engine: 'local' }]);
    await expect.element(dialog.getByRole('button', { name: 'Download model' })).toBeVisible();
    await expect.element(dialog.getByRole('textbox', { name: 'Hugging Face token' })).not.toBeInTheDocument();
  });

  it('keeps This device choosable when the device cannot run it, and says why', async () => {
    const reason = 'This browser has no WebGPU. Try Chrome or Edge 113+.';
    const { dialog, patches } = await openDialog(HOSTED_SETTINGS, { available: false, reason });
    const local = dialog.getByRole('radio', { name: 'This device' });
    await expect.element(local).toHaveAccessibleDescription(reason);
    await userEvent.click(local);
    expect(patches).toEqual([{ engine: 'local' }]);
    await expect.element(dialog.getByText(reason).last()).toBeVisible();
  });

  it('hides the token until Show token is pressed', async () => {
    const { dialog } = await openDialog({ ...HOSTED_SETTINGS, hfToken: 'hf_secret' });
    const token = dialog.getByRole('textbox', { name: 'Hugging Face token' });
    await expect.element(token).toHaveAttribute('type', 'password');
    await expect.element(token).toHaveValue('hf_secret');
    const show = dialog.getByRole('button', { name: 'Show token' });
    await userEvent.click(show);
    await expect.element(token).toHaveAttribute('type', 'text');
    await expect.element(show).toHaveAttribute('aria-pressed', 'true');
  });

  it('applies text typed just before the dialog closes', async () => {
    const { dialog, patches } = await openDialog();
    await userEvent.fill(dialog.getByRole('textbox', { name: 'Hugging Face token' }), ' hf_typed ');
    await userEvent.keyboard('{Escape}');
    expect(patches).toEqual([{ hfToken: 'hf_typed' }]);
  });

  it('applies a model id typed in the combobox when the dialog closes', async () => {
    const { dialog, patches } = await openDialog();
    await userEvent.fill(dialog.getByRole('combobox', { name: 'Hugging Face model' }), ' my/model:together ');
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(patches).toEqual([{ hfModel: 'my/model:together' }]);
  });

  it('applies text on its own after typing pauses', async () => {
    const { dialog, patches } = await openDialog();
    await userEvent.fill(dialog.getByRole('textbox', { name: 'System prompt' }), 'Be brief.');
    await expect.poll(() => patches).toEqual([{ systemPrompt: 'Be brief.' }]);
  });

  it('asks for an API key only for a provider other than the router, and checks the URL', async () => {
    const { dialog, patches } = await openDialog();
    const url = dialog.getByRole('textbox', { name: 'Endpoint URL' });
    await expect.element(url).toHaveAttribute('placeholder', 'Empty = Hugging Face router');
    await expect.element(dialog.getByRole('textbox', { name: 'API key' })).not.toBeInTheDocument();
    await userEvent.fill(url, 'localhost:8080');
    await expect.element(url).toHaveAttribute('aria-invalid', 'true');
    await userEvent.fill(url, 'http://localhost:8080/v1');
    await expect.element(url).toHaveAttribute('aria-invalid', 'false');
    await expect.element(dialog.getByRole('combobox', { name: 'Provider' })).toHaveValue('llamacpp');
    await expect.element(dialog.getByRole('textbox', { name: 'API key' })).toHaveAttribute('type', 'password');
    await userEvent.keyboard('{Escape}');
    expect(patches).toEqual([{ endpointUrl: 'http://localhost:8080/v1', provider: 'llamacpp' }]);
  });

  it('refuses an out-of-range temperature with a message, and applies a valid one', async () => {
    const { dialog, patches } = await openDialog();
    const temperature = dialog.getByRole('spinbutton', { name: 'Temperature' });
    await expect.element(temperature).toHaveValue(0.7);
    await userEvent.fill(temperature, '3');
    await expect.element(dialog.getByText('Temperature must be a number from 0 to 2.')).toBeVisible();
    await expect.element(temperature).toHaveAttribute('aria-invalid', 'true');
    await userEvent.keyboard('{Escape}');
    expect(patches).toEqual([]);

    const { dialog: again, patches: applied } = await openDialog();
    await userEvent.fill(again.getByRole('spinbutton', { name: 'Temperature' }), '1.2');
    await userEvent.keyboard('{Escape}');
    expect(applied).toEqual([{ sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 1.2 } }]);
  });

  it('keeps an earlier sampling change in later patches, before the first has come back as settings', async () => {
    const { dialog, patches } = await openDialog();
    await userEvent.fill(dialog.getByRole('spinbutton', { name: 'Temperature' }), '1.2');
    await userEvent.fill(dialog.getByRole('spinbutton', { name: 'Top-p' }), '0.5');
    await userEvent.keyboard('{Escape}');
    expect(patches).toEqual([
      { sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 1.2 } },
      { sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 1.2, topP: 0.5 } },
    ]);
  });

  it('names every sampling field and takes an empty seed as random', async () => {
    const { dialog, patches } = await openDialog({
      ...HOSTED_SETTINGS,
      sampling: { ...DEFAULT_SETTINGS.sampling, seed: 42 },
    });
    for (const name of ['Temperature', 'Top-p', 'Max new tokens', 'Repetition penalty', 'Seed']) {
      await expect.element(dialog.getByRole('spinbutton', { name, exact: true })).toBeVisible();
    }
    await userEvent.fill(dialog.getByRole('spinbutton', { name: 'Max new tokens' }), '12.5');
    await userEvent.clear(dialog.getByRole('spinbutton', { name: 'Seed' }));
    await userEvent.keyboard('{Escape}');
    expect(patches).toEqual([{ sampling: { ...DEFAULT_SETTINGS.sampling, seed: null } }]);
  });

  it('does not hold back settings edited while it was open when it is removed', async () => {
    const { element, dialog } = await openDialog();
    const changed = vi.fn();
    element.addEventListener('mc-settings-change', changed);
    await userEvent.fill(dialog.getByRole('textbox', { name: 'Hugging Face token' }), 'hf_other');
    element.remove();
    expect(changed).toHaveBeenCalledOnce();
  });

  it('offers the theme as a radiogroup of System, Light and Dark, changed at once with the arrow keys', async () => {
    const { element, dialog, patches } = await openDialog();
    element.theme = 'light';
    const themes: string[] = [];
    element.addEventListener('mc-theme-change', (event) => themes.push(event.detail.theme));
    const group = dialog.getByRole('radiogroup', { name: 'Theme' });
    expect(
      group
        .getByRole('radio')
        .elements()
        .map((radio) => radio.getAttribute('value')),
    ).toEqual(['system', 'light', 'dark']);
    await expect.element(group.getByRole('radio', { name: 'Light' })).toBeChecked();
    group.getByRole('radio', { name: 'Light' }).element().focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(themes).toEqual(['dark']);
    await userEvent.click(group.getByRole('radio', { name: 'System' }));
    expect(themes).toEqual(['dark', 'system']);
    // Not a chat setting: nothing goes to the settings store.
    expect(patches).toEqual([]);
  });

  it('can open with focus on the Hugging Face token, and give focus to another element when it closes', async () => {
    const elsewhere = document.createElement('textarea');
    elsewhere.setAttribute('aria-label', 'Message');
    document.body.append(elsewhere);
    const element = await mount(document.createElement('mc-settings-dialog'));
    element.settings = HOSTED_SETTINGS;
    await element.show({ focus: 'hfToken', returnFocusTo: elsewhere });
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    expect(focusedElement()).toBe(dialog.getByRole('textbox', { name: 'Hugging Face token' }).element());
    expect(element.open).toBe(true);
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(element.open).toBe(false);
    expect(focusedElement()).toBe(elsewhere);
  });

  it('applies typed text as Escape cancels it, not a task later when it has closed', async () => {
    const { dialog, patches } = await openDialog();
    await userEvent.fill(dialog.getByRole('textbox', { name: 'Endpoint URL' }), 'http://localhost:8080');
    // What Escape does first; the close event, where edits used to be applied, follows in a later task.
    dialog.element().dispatchEvent(new Event('cancel'));
    expect(patches).toEqual([{ endpointUrl: 'http://localhost:8080', provider: 'llamacpp' }]);
  });

  it('shows the backup panel under "Conversations and storage", inside the dialog, and its requests leave it', async () => {
    const { element, dialog } = await openDialog();
    element.conversationId = 'c1';
    element.backupReport = { kind: 'done', message: 'Imported 3 conversations (120 messages).' };
    const requests = vi.fn();
    document.body.addEventListener('mc-export-conversation', (event) => requests(event.detail));
    await expect.element(dialog.getByRole('heading', { name: 'Conversations and storage' })).toBeVisible();
    await expect.element(dialog.getByText('Imported 3 conversations (120 messages).')).toBeVisible();
    await userEvent.click(dialog.getByRole('button', { name: 'Download this conversation as Markdown' }));
    expect(requests).toHaveBeenCalledExactlyOnceWith({ id: 'c1' });
  });
});
