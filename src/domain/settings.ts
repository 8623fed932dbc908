import type { EngineKind, SamplingParams } from './generation.js';
import { endpointOrigin, isProviderId, providerForUrl, type ProviderId } from './providers.js';

export interface Settings {
  engine: EngineKind;
  /** Kept only in this browser's IndexedDB; never logged, never exported. */
  hfToken: string;
  /** The model asked of the Hugging Face router, and of an endpoint with no model chosen for it. */
  hfModel: string;
  /** The preset chosen in "Provider"; `endpointUrl` says where requests go. */
  provider: ProviderId;
  /** Empty: the Hugging Face router. Otherwise any OpenAI-compatible base URL. */
  endpointUrl: string;
  /**
   * Keys typed in "API key", by the endpoint origin they were typed for (scheme, host, port). A key is sent only to
   * its origin, so editing the URL never takes it along; the Hugging Face token goes only to Hugging Face hosts.
   * Never logged, never exported.
   */
  endpointKeys: Record<string, string>;
  /** The model chosen for each endpoint, by origin, so switching back to an endpoint brings its model back. */
  endpointModels: Record<string, string>;
  localModel: string;
  systemPrompt: string;
  sampling: SamplingParams;
  /**
   * The preset chosen last (in any conversation, or for the next new chat): a new chat starts with it. Empty: none,
   * so a new chat uses the system prompt and sampling above.
   */
  lastPresetId: string;
  /** Keep each attached file's original bytes beside its text (more space); off: text and passages only. */
  keepAttachmentOriginals: boolean;
}

/**
 * Some settings, some fields of `sampling`, and some origins of `endpointKeys` / `endpointModels` (an empty string
 * removes that origin's entry): what one change in Settings (or one toggle) sets.
 */
export type SettingsChanges = Partial<Omit<Settings, 'sampling'>> & { sampling?: Partial<SamplingParams> };

export const DEFAULT_HF_MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
export const DEFAULT_LOCAL_MODEL = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC';

export const DEFAULT_SAMPLING: SamplingParams = {
  temperature: 0.7,
  topP: 0.95,
  maxNewTokens: 512,
  repetitionPenalty: 1.0,
  seed: null,
};

/** Private by default: the app starts on this device's GPU, and moves to the hosted API only where it cannot run. */
export const DEFAULT_SETTINGS: Settings = {
  engine: 'local',
  hfToken: '',
  hfModel: DEFAULT_HF_MODEL,
  provider: 'huggingface',
  endpointUrl: '',
  endpointKeys: {},
  endpointModels: {},
  localModel: DEFAULT_LOCAL_MODEL,
  systemPrompt: '',
  sampling: DEFAULT_SAMPLING,
  lastPresetId: '',
  keepAttachmentOriginals: false,
};

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

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function engineOr(value: unknown, fallback: EngineKind): EngineKind {
  return value === 'local' || value === 'hosted' ? value : fallback;
}

/** A stored `origin → string` map, keeping only string values under origins (a corrupt entry is dropped). */
function originMap(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(fieldsOf(value))) {
    if (typeof entry === 'string' && entry !== '' && endpointOrigin(key) === key) map[key] = entry;
  }
  return map;
}

/**
 * The endpoint keys, by origin. Versions before the key was bound to its origin stored one `endpointApiKey`: it
 * belongs to the origin of the endpoint URL stored with it, and to no other.
 */
function mergeEndpointKeys(fields: Fields, endpointUrl: string): Record<string, string> {
  if ('endpointKeys' in fields) return originMap(fields['endpointKeys']);
  const legacy = stringOr(fields['endpointApiKey'], '').trim();
  const origin = endpointOrigin(endpointUrl);
  return legacy !== '' && origin !== undefined ? { [origin]: legacy } : {};
}

/** The stored provider; for settings older than presets, the one their endpoint URL belongs to. */
function providerOr(value: unknown, endpointUrl: string): ProviderId {
  return isProviderId(value) ? value : providerForUrl(endpointUrl, 'custom');
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
  const endpointUrl = stringOr(fields['endpointUrl'], defaults.endpointUrl);
  return {
    engine: engineOr(fields['engine'], defaults.engine),
    hfToken: stringOr(fields['hfToken'], defaults.hfToken),
    hfModel: stringOr(fields['hfModel'], defaults.hfModel),
    provider: providerOr(fields['provider'], endpointUrl),
    endpointUrl,
    endpointKeys: mergeEndpointKeys(fields, endpointUrl),
    endpointModels: originMap(fields['endpointModels']),
    localModel: stringOr(fields['localModel'], defaults.localModel),
    systemPrompt: stringOr(fields['systemPrompt'], defaults.systemPrompt),
    sampling: mergeSampling(fields['sampling']),
    lastPresetId: stringOr(fields['lastPresetId'], defaults.lastPresetId),
    keepAttachmentOriginals: booleanOr(fields['keepAttachmentOriginals'], defaults.keepAttachmentOriginals),
  };
}

type OriginMapKey = 'endpointKeys' | 'endpointModels';
const ORIGIN_MAP_KEYS: readonly OriginMapKey[] = ['endpointKeys', 'endpointModels'];

/** `map` with `changes` applied origin by origin; an empty value removes its origin. */
function applyOriginChanges(map: Record<string, string>, changes: Record<string, string> | undefined) {
  if (changes === undefined) return map;
  const next = new Map(Object.entries(map));
  for (const [origin, value] of Object.entries(changes)) {
    if (value === '') next.delete(origin);
    else next.set(origin, value);
  }
  return Object.fromEntries(next);
}

/** `settings` with `changes` applied, into `sampling` and origin by origin into the endpoint maps too. */
export function applySettingsChanges(settings: Settings, changes: SettingsChanges): Settings {
  return {
    ...settings,
    ...changes,
    sampling: { ...settings.sampling, ...changes.sampling },
    endpointKeys: applyOriginChanges(settings.endpointKeys, changes.endpointKeys),
    endpointModels: applyOriginChanges(settings.endpointModels, changes.endpointModels),
  };
}

/**
 * The fields of `requested` that differ from `current`, into `sampling`; null when none does. Saving only these is
 * what lets two tabs change different settings at the same moment without one undoing the other.
 */
export function settingsChanges(current: Settings, requested: SettingsChanges): SettingsChanges | null {
  const changes: SettingsChanges = {};
  const changed = changes as Record<string, unknown>;
  const { sampling, endpointKeys, endpointModels, ...fields } = requested;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== current[key as keyof typeof fields]) changed[key] = value;
  }
  const originChanges = { endpointKeys, endpointModels };
  for (const key of ORIGIN_MAP_KEYS) {
    const differing = Object.entries(originChanges[key] ?? {}).filter(
      ([origin, value]) => value !== (current[key][origin] ?? ''),
    );
    if (differing.length > 0) changes[key] = Object.fromEntries(differing);
  }
  const samplingChanges: Partial<SamplingParams> = {};
  for (const [key, value] of Object.entries(sampling ?? {})) {
    if (value !== undefined && value !== current.sampling[key as keyof SamplingParams])
      (samplingChanges as Record<string, unknown>)[key] = value;
  }
  if (Object.keys(samplingChanges).length > 0) changes.sampling = samplingChanges;
  return Object.keys(changes).length > 0 ? changes : null;
}
