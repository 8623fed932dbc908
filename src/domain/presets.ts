/**
 * Presets: a system prompt and sampling chosen per conversation. The built-ins live here, in code, and never in the
 * database, so an update of the app can improve them and no user can lose them.
 */
import type { SamplingParams } from './generation.js';
import type { ConversationRecord } from './records.js';

export interface Preset {
  /** Built-ins: 'builtin:demo' | 'builtin:precise' | 'builtin:creative'; the user's: a uuid. */
  id: string;
  name: string;
  systemPrompt: string;
  sampling: SamplingParams;
  /** Hosted only, optional: the model this preset asks for. */
  model?: string;
  builtIn: boolean;
  updatedAt: number;
}

/** Every built-in id starts with it; no user preset may. */
export const BUILT_IN_PRESET_PREFIX = 'builtin:';

export function isBuiltInPresetId(id: string): boolean {
  return id.startsWith(BUILT_IN_PRESET_PREFIX);
}

/**
 * "Demo defaults" are the settings of the Python demos this app replaces, word for word; "Precise" and "Creative"
 * sit either side of them. `updatedAt` 0: they change only with the app.
 */
export const BUILT_IN_PRESETS: readonly Preset[] = [
  {
    id: 'builtin:demo',
    name: 'Demo defaults',
    systemPrompt: 'You are a friendly and helpful assistant. Provide concise, accurate, and engaging responses.',
    sampling: { temperature: 0.9, topP: 0.95, maxNewTokens: 256, repetitionPenalty: 1.2, seed: null },
    builtIn: true,
    updatedAt: 0,
  },
  {
    id: 'builtin:precise',
    name: 'Precise',
    systemPrompt:
      'You are a careful, precise assistant. Answer accurately and to the point, and say so when you are not sure.',
    sampling: { temperature: 0.2, topP: 0.9, maxNewTokens: 512, repetitionPenalty: 1.1, seed: null },
    builtIn: true,
    updatedAt: 0,
  },
  {
    id: 'builtin:creative',
    name: 'Creative',
    systemPrompt: 'You are an imaginative assistant. Offer original ideas, vivid wording and unexpected angles.',
    sampling: { temperature: 1.1, topP: 0.98, maxNewTokens: 1024, repetitionPenalty: 1.05, seed: null },
    builtIn: true,
    updatedAt: 0,
  },
];

/** The conversation with `presetId` as its preset ('' for none: Settings apply). */
export function withPreset(conversation: ConversationRecord, presetId: string): ConversationRecord {
  const next = { ...conversation };
  delete next.presetId;
  if (presetId !== '') next.presetId = presetId;
  return next;
}
