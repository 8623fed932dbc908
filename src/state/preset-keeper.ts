/**
 * Presets: the list the "Preset" combobox offers, which one each conversation uses, and what a reply is asked with
 * because of it. A conversation's preset replaces the system prompt and sampling in Settings for its replies (and,
 * on the hosted engine, the model, when the preset names one); a conversation with no preset, or whose preset was
 * deleted, uses Settings as they are. The choice made last is remembered in Settings (`lastPresetId`): a new chat
 * starts with it.
 */
import { withPreset, type Preset } from '../domain/presets.js';
import { chosenModel, modelChange } from '../domain/providers.js';
import { applySettingsChanges, type Settings, type SettingsChanges } from '../domain/settings.js';
import type { ChatRepository } from '../storage/types.js';
import type { AlertBoard } from './alert-board.js';
import type { ConversationOpener } from './conversation-opener.js';
import { upsertConversation } from './reducers.js';
import type { SettingsKeeper } from './settings-keeper.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';
import { presetFor } from './preset-lookup.js';

export { presetFor };

/** What a new preset is made of besides the system prompt and sampling in Settings. */
export interface NewPresetOptions {
  /** Whether the preset also asks for the hosted model chosen in Settings now (hosted engine only). */
  includeModel: boolean;
}

/**
 * The settings a reply is asked with under `preset`: its system prompt and sampling, and on the hosted engine its
 * model when it names one. Without a preset, Settings as they are. Where the reply goes and with which key never
 * comes from a preset: a preset holds no secret and no address.
 */
export function replySettings(settings: Settings, preset: Preset | undefined): Settings {
  if (!preset) return settings;
  const presetSettings: Settings = { ...settings, systemPrompt: preset.systemPrompt, sampling: { ...preset.sampling } };
  if (settings.engine !== 'hosted' || !preset.model) return presetSettings;
  return applySettingsChanges(presetSettings, modelChange(settings.endpointUrl, preset.model));
}

/**
 * `changes` (opening a conversation sends its next reply where its last went) without the model, when the
 * conversation's preset names one: that model came from the preset and must not become the one in Settings.
 */
export function withoutPresetModel(changes: SettingsChanges, preset: Preset | undefined): SettingsChanges | null {
  if (!preset?.model) return changes;
  const rest = { ...changes };
  delete rest.hfModel;
  delete rest.endpointModels;
  return Object.keys(rest).length > 0 ? rest : null;
}

export interface PresetKeeperDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  opener: ConversationOpener;
  settings: SettingsKeeper;
  now: () => number;
  newId: () => string;
}

export class PresetKeeper {
  readonly #deps: PresetKeeperDeps;

  constructor(deps: PresetKeeperDeps) {
    this.#deps = deps;
  }

  /** Reads the presets (at start, and when another tab changed them) and shows them. */
  async load(): Promise<void> {
    const presets = await this.#deps.repository.listPresets();
    this.#deps.store.update((state) => ({ ...state, presets }));
  }

  /** The preset a new conversation starts with: the last one chosen, if it still exists. */
  forNewChat(): string | undefined {
    return presetFor(this.#deps.store.getState(), null)?.id;
  }

  /** The settings a reply in conversation `conversationId` is asked with. */
  settingsFor(conversationId: string): Settings {
    const state = this.#deps.store.getState();
    return replySettings(state.settings, presetFor(state, conversationId));
  }

  /**
   * Makes `presetId` ('' for none) the open conversation's preset, from its next reply on, and the one new chats
   * start with. With no conversation open, only the next new chat's.
   */
  async choose(presetId: string): Promise<void> {
    const { store, alerts, queue, repository } = this.#deps;
    const openId = this.#deps.opener.current?.id;
    const shown = store.getState().conversations.find((conversation) => conversation.id === openId);
    const settingsSaved = this.#deps.settings.update({ lastPresetId: presetId });
    if (shown && (shown.presetId ?? '') !== presetId) {
      store.update((state) => ({
        ...state,
        conversations: upsertConversation(state.conversations, withPreset(shown, presetId)),
      }));
      await alerts.guard(() =>
        // Read and written in one transaction: a title another tab changed meanwhile stays, and a page closed
        // right after the choice cannot stop between the read and the write.
        queue.write(() => repository.setConversationPreset(shown.id, presetId)),
      );
    }
    await settingsSaved;
  }

  /**
   * Saves the system prompt and sampling in Settings (and the hosted model, if asked) as a new preset named `name`,
   * and chooses it. Resolves to whether it was saved; a name or setting storage refuses becomes an alert.
   */
  async create(name: string, options: NewPresetOptions): Promise<boolean> {
    const { settings } = this.#deps.store.getState();
    const model = options.includeModel && settings.engine === 'hosted' ? chosenModel(settings) : '';
    const preset: Preset = {
      id: this.#deps.newId(),
      name,
      systemPrompt: settings.systemPrompt,
      sampling: { ...settings.sampling },
      ...(model ? { model } : {}),
      builtIn: false,
      updatedAt: this.#deps.now(),
    };
    const saved = await this.#save(preset);
    if (saved) await this.choose(saved.id);
    return saved !== undefined;
  }

  /** Renames one of the user's presets; resolves to whether it was saved (a refused name becomes an alert). */
  async rename(id: string, name: string): Promise<boolean> {
    const preset = this.#deps.store.getState().presets.find((candidate) => candidate.id === id);
    if (!preset) return false;
    if (preset.name === name.trim()) return true;
    return (await this.#save({ ...preset, name, updatedAt: this.#deps.now() })) !== undefined;
  }

  /**
   * Deletes one of the user's presets (a built-in gets an alert saying it cannot be). Conversations that used it keep
   * its id and fall back to Settings, as for any preset not found.
   */
  async delete(id: string): Promise<void> {
    const { alerts, queue, repository } = this.#deps;
    await alerts.guard(async () => {
      const deleted = await queue.write(() => repository.deletePreset(id));
      await this.load();
      if (deleted) alerts.notify(`Deleted the preset “${deleted.name}”.`);
    });
  }

  async #save(preset: Preset): Promise<Preset | undefined> {
    const { alerts, queue, repository } = this.#deps;
    let saved: Preset | undefined;
    await alerts.guard(async () => {
      saved = await queue.write(() => repository.savePreset(preset));
      await this.load();
    });
    return saved;
  }
}
