/**
 * The rules for storing the user's presets, shared by both repositories. Built-ins come from code
 * (`BUILT_IN_PRESETS`) and are never written: the database holds only the user's own.
 */
import { BUILT_IN_PRESETS, isBuiltInPresetId, type Preset } from '../domain/presets.js';

export const MAX_PRESET_NAME_LENGTH = 200;
export const MAX_SYSTEM_PROMPT_LENGTH = 100_000;

export const PRESET_MESSAGES = {
  builtInDelete: 'Built-in presets cannot be deleted. Choose one of your own presets to delete.',
  builtInSave: 'Built-in presets cannot be changed. Save your changes as a new preset instead.',
  noName: 'A preset needs a name. Type one, then save again.',
  longName: `A preset name can have up to ${MAX_PRESET_NAME_LENGTH} characters. Shorten it, then save again.`,
  longPrompt: `A system prompt can have up to ${MAX_SYSTEM_PROMPT_LENGTH.toLocaleString('en')} characters. Shorten it, then save again.`,
  badSampling:
    'The preset’s sampling is out of range: temperature 0 to 2, top-p above 0 up to 1, at least 1 new token, repetition penalty above 0, and a whole-number seed or none.',
} as const;

/** A preset the repository refuses to save or delete; `userMessage` is for the alert. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
  readonly userMessage: string;

  constructor(userMessage: string) {
    super(userMessage);
    this.userMessage = userMessage;
  }
}

function samplingInRange({ temperature, topP, maxNewTokens, repetitionPenalty, seed }: Preset['sampling']): boolean {
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  return (
    finite(temperature) &&
    temperature >= 0 &&
    temperature <= 2 &&
    finite(topP) &&
    topP > 0 &&
    topP <= 1 &&
    Number.isInteger(maxNewTokens) &&
    maxNewTokens >= 1 &&
    finite(repetitionPenalty) &&
    repetitionPenalty > 0 &&
    (seed === null || Number.isInteger(seed))
  );
}

/**
 * What `savePreset` stores: only a preset's own fields (a caller's extra fields stay out), with `builtIn: false` and
 * the name trimmed. Throws a PresetError for a built-in id, a missing or long name, a long prompt, or sampling out of
 * range.
 */
export function presetToStore(preset: Preset): Preset {
  if (isBuiltInPresetId(preset.id) || preset.builtIn) throw new PresetError(PRESET_MESSAGES.builtInSave);
  const name = typeof preset.name === 'string' ? preset.name.trim() : '';
  if (name === '') throw new PresetError(PRESET_MESSAGES.noName);
  if (name.length > MAX_PRESET_NAME_LENGTH) throw new PresetError(PRESET_MESSAGES.longName);
  if (typeof preset.systemPrompt !== 'string' || preset.systemPrompt.length > MAX_SYSTEM_PROMPT_LENGTH) {
    throw new PresetError(PRESET_MESSAGES.longPrompt);
  }
  if (typeof preset.sampling !== 'object' || preset.sampling === null || !samplingInRange(preset.sampling)) {
    throw new PresetError(PRESET_MESSAGES.badSampling);
  }
  const { temperature, topP, maxNewTokens, repetitionPenalty, seed } = preset.sampling;
  const stored: Preset = {
    id: preset.id,
    name,
    systemPrompt: preset.systemPrompt,
    sampling: { temperature, topP, maxNewTokens, repetitionPenalty, seed },
    builtIn: false,
    updatedAt: preset.updatedAt,
  };
  if (preset.model !== undefined && preset.model !== '') stored.model = preset.model;
  return stored;
}

/** Throws the PresetError for deleting a built-in. */
export function checkDeletable(id: string): void {
  if (isBuiltInPresetId(id)) throw new PresetError(PRESET_MESSAGES.builtInDelete);
}

/** The built-ins in their order, then the user's by name (ignoring case), as the Preset combobox lists them. */
export function withBuiltIns(stored: readonly Preset[]): Preset[] {
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const own = [...stored].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...structuredClone(BUILT_IN_PRESETS), ...own];
}
