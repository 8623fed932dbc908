/** The sampling settings Settings offers as number fields, their ranges, and how typed text is read. */
import type { SamplingParams } from '../domain/generation.js';

export type NumberKey = keyof SamplingParams;

export interface NumberSpec {
  label: string;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** Empty is allowed and means `null`. */
  optional?: boolean;
  hint?: string;
}

export const NUMBER_FIELDS: Record<NumberKey, NumberSpec> = {
  temperature: { label: 'Temperature', min: 0, max: 2, step: 0.05, integer: false, hint: 'Higher is more varied.' },
  topP: { label: 'Top-p', min: 0, max: 1, step: 0.01, integer: false },
  maxNewTokens: { label: 'Max new tokens', min: 1, max: 4096, step: 1, integer: true },
  repetitionPenalty: {
    label: 'Repetition penalty',
    min: 1,
    max: 2,
    step: 0.05,
    integer: false,
    hint: 'Applied on this device and by custom endpoints that accept it.',
  },
  seed: {
    label: 'Seed',
    min: 0,
    max: 2 ** 32 - 1,
    step: 1,
    integer: true,
    optional: true,
    hint: 'Empty = random.',
  },
};

export const NUMBER_KEYS = Object.keys(NUMBER_FIELDS) as NumberKey[];

/** `null` for an empty optional field; `undefined` when the text is not a usable number. */
export function parseNumber(spec: NumberSpec, raw: string): number | null | undefined {
  if (raw.trim() === '') return spec.optional ? null : undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < spec.min || value > spec.max) return undefined;
  if (spec.integer && !Number.isInteger(value)) return undefined;
  return value;
}

export function numberError(spec: NumberSpec, raw: string): string | null {
  if (parseNumber(spec, raw) !== undefined) return null;
  const kind = spec.integer ? 'a whole number' : 'a number';
  return `${spec.label} must be ${kind} from ${spec.min} to ${spec.max}.`;
}
