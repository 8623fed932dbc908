import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { expectNoAxeViolations, mountApp, WITH_CONVERSATION } from './app-harness.js';
import { focusedElement } from './fixtures.js';

describe('mc-chat-app presets', () => {
  it('shows the open conversation’s preset in its header, and passes a new choice on', async () => {
    const conversations = WITH_CONVERSATION.conversations.map((conversation) =>
      conversation.id === 'c2' ? { ...conversation, presetId: 'builtin:creative' } : conversation,
    );
    const { element, source, actions } = await mountApp({ ...WITH_CONVERSATION, conversations });
    const combobox = page.getByRole('combobox', { name: 'Preset' });
    await expect.element(combobox).toHaveValue('builtin:creative');
    await userEvent.selectOptions(combobox, 'Precise');
    expect(actions.choosePreset).toHaveBeenCalledExactlyOnceWith('builtin:precise');
    await expectNoAxeViolations(element);

    // A new chat shows the preset it will start with; a conversation whose preset is gone says Settings apply.
    source.set({
      activeConversationId: null,
      messages: [],
      settings: { ...source.state.settings, lastPresetId: 'builtin:demo' },
    });
    await expect.element(combobox).toHaveValue('builtin:demo');
    source.set({ activeConversationId: 'c2', conversations: conversations.map((c) => ({ ...c, presetId: 'gone' })) });
    await expect.element(combobox).toHaveValue('');
    await expect.element(combobox).toHaveAccessibleDescription(/preset was deleted/);
  });

  it('keeps "Preset name" open while a name is refused, and closes it once one is saved', async () => {
    const { actions } = await mountApp();
    actions.createPreset.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    await userEvent.click(page.getByRole('button', { name: 'New preset' }));
    await userEvent.keyboard('{Enter}');
    expect(actions.createPreset).toHaveBeenLastCalledWith('', { includeModel: false });
    const name = page.getByRole('textbox', { name: 'Preset name' });
    await expect.poll(focusedElement).toBe(name.element());
    await userEvent.keyboard('Tutor{Enter}');
    expect(actions.createPreset).toHaveBeenLastCalledWith('Tutor', { includeModel: false });
    await expect.element(name).not.toBeInTheDocument();
  });

  it('says in Settings when the chat’s preset applies instead of the system prompt and sampling there', async () => {
    const conversations = WITH_CONVERSATION.conversations.map((conversation) => ({
      ...conversation,
      presetId: 'builtin:precise',
    }));
    await mountApp({ ...WITH_CONVERSATION, conversations });
    await userEvent.click(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect
      .element(
        dialog.getByText('This chat uses the preset “Precise”: its system prompt and sampling apply instead of these.'),
      )
      .toBeVisible();
  });
});
