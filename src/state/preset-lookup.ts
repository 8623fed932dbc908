// Which preset a conversation uses: a lookup the first screen needs (Settings names the open conversation's preset)
// without the code that edits presets.
import type { Preset } from '../domain/presets.js';
import type { AppState } from './app-state.js';

/** The preset conversation `conversationId` uses (the next new chat's, for null); undefined for none or deleted. */
export function presetFor(state: AppState, conversationId: string | null): Preset | undefined {
  const id =
    conversationId === null
      ? state.settings.lastPresetId
      : state.conversations.find((conversation) => conversation.id === conversationId)?.presetId;
  return id ? state.presets.find((preset) => preset.id === id) : undefined;
}
