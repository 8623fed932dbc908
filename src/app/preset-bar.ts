/**
 * The conversation header's preset picker, fed from the state and wired to the session's preset actions: kept out of
 * `<mc-chat-app>` so that the root element stays a layout.
 */
import { html } from 'lit';
import '../components/mc-preset-picker.js';
import type { McPresetPicker } from '../components/mc-preset-picker.js';
import { chosenModel } from '../domain/providers.js';
import type { AppState, ChatActions } from '../state/app-state.js';

/** The preset the open conversation uses, or the one a new chat starts with; '' for none. */
function presetIdShown(state: AppState): { presetId: string; missing: boolean } {
  const open = state.conversations.find((conversation) => conversation.id === state.activeConversationId);
  const presetId = open ? (open.presetId ?? '') : state.settings.lastPresetId;
  const found = presetId !== '' && state.presets.some((preset) => preset.id === presetId);
  // Only a conversation's own preset is worth saying was deleted; a new chat simply starts with none.
  return { presetId: found ? presetId : '', missing: open !== undefined && presetId !== '' && !found };
}

export function renderPresetPicker(state: AppState, actions: ChatActions | undefined) {
  const { presetId, missing } = presetIdShown(state);
  const hostedModel = state.settings.engine === 'hosted' ? chosenModel(state.settings) : '';
  const finish = async (event: Event, saving: Promise<boolean> | undefined) => {
    const picker = event.currentTarget as McPresetPicker;
    picker.finishEditing((await saving) ?? false);
  };
  return html`<mc-preset-picker
    class="preset-bar"
    .presets=${state.presets}
    .value=${presetId}
    ?missing=${missing}
    .hostedModel=${hostedModel}
    @mc-choose-preset=${(event: HTMLElementEventMap['mc-choose-preset']) =>
      void actions?.choosePreset(event.detail.presetId)}
    @mc-create-preset=${(event: HTMLElementEventMap['mc-create-preset']) =>
      void finish(event, actions?.createPreset(event.detail.name, { includeModel: event.detail.includeModel }))}
    @mc-rename-preset=${(event: HTMLElementEventMap['mc-rename-preset']) =>
      void finish(event, actions?.renamePreset(event.detail.id, event.detail.name))}
    @mc-delete-preset=${(event: HTMLElementEventMap['mc-delete-preset']) => void actions?.deletePreset(event.detail.id)}
  ></mc-preset-picker>`;
}
