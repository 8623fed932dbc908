import type { EngineKind, SamplingParams } from '../engines/types.js';
import { DEFAULT_SETTINGS, type Settings, type SettingsChanges } from '../state/types.js';

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown): Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function engineOr(value: unknown, fallback: EngineKind): EngineKind {
  return value === 'local' || value === 'hosted' ? value : fallback;
}

function mergeSampling(stored: unknown): SamplingParams {
  const fields = fieldsOf(stored);
  const defaults = DEFAULT_SETTINGS.sampling;
  return {
    temperature: numberOr(fields['temperature'], defaults.temperature),
    topP: numberOr(fields['topP'], defaults.topP),
    maxNewTokens: numberOr(fields['maxNewTokens'], defaults.maxNewTokens),
    repetitionPenalty: numberOr(fields['repetitionPenalty'], defaults.repetitionPenalty),
    seed: fields['seed'] === null ? null : numberOr(fields['seed'], defaults.seed),
  };
}

/**
 * Stored settings over the defaults, field by field and into `sampling`: a field an older version never wrote, or
 * one whose stored value has the wrong type, gets its default. Listing every field (rather than spreading) makes
 * the compiler insist that a new setting is handled here.
 */
export function mergeSettings(stored: unknown): Settings {
  const fields = fieldsOf(stored);
  const defaults = DEFAULT_SETTINGS;
  return {
    engine: engineOr(fields['engine'], defaults.engine),
    hfToken: stringOr(fields['hfToken'], defaults.hfToken),
    hfModel: stringOr(fields['hfModel'], defaults.hfModel),
    endpointUrl: stringOr(fields['endpointUrl'], defaults.endpointUrl),
    endpointApiKey: stringOr(fields['endpointApiKey'], defaults.endpointApiKey),
    localModel: stringOr(fields['localModel'], defaults.localModel),
    systemPrompt: stringOr(fields['systemPrompt'], defaults.systemPrompt),
    sampling: mergeSampling(fields['sampling']),
  };
}

/** `settings` with `changes` applied, into `sampling` too. */
export function applySettingsChanges(settings: Settings, changes: SettingsChanges): Settings {
  return { ...settings, ...changes, sampling: { ...settings.sampling, ...changes.sampling } };
}

/**
 * The fields of `requested` that differ from `current`, into `sampling`; null when none does. Saving only these is
 * what lets two tabs change different settings at the same moment without one undoing the other.
 */
export function settingsChanges(current: Settings, requested: SettingsChanges): SettingsChanges | null {
  const changes: SettingsChanges = {};
  const changed = changes as Record<string, unknown>;
  const { sampling, ...fields } = requested;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== current[key as keyof typeof fields]) changed[key] = value;
  }
  const samplingChanges: Partial<SamplingParams> = {};
  for (const [key, value] of Object.entries(sampling ?? {})) {
    if (value !== undefined && value !== current.sampling[key as keyof SamplingParams])
      (samplingChanges as Record<string, unknown>)[key] = value;
  }
  if (Object.keys(samplingChanges).length > 0) changes.sampling = samplingChanges;
  return Object.keys(changes).length > 0 ? changes : null;
}
