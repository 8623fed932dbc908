/**
 * The checks every record of a backup goes through: a plain record, valid ids, bounded texts, real times and
 * counts. A failure throws `Damaged`, whose message `parseBackup` puts into "The backup is damaged: …".
 */

export const MAX_ID_LENGTH = 200;
export const MAX_LABEL_LENGTH = 1_000;
/** The largest time a Date can hold. */
export const MAX_TIME = 8.64e15;

/** The file is not a backup the app could have written; the message says where. */
export class Damaged extends Error {}

export type Fields = Record<string, unknown>;

/** Keys that, copied carelessly by some later code, would change prototypes: a backup never has them. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fieldsOf(value: unknown, what: string): Fields {
  if (!isFields(value)) throw new Damaged(`${what} is not a record`);
  for (const key of FORBIDDEN_KEYS) {
    if (Object.hasOwn(value, key)) throw new Damaged(`${what} has a field named "${key}", which no backup has`);
  }
  return value;
}

export function idOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new Damaged(`${what} has no valid id`);
  }
  return value;
}

export function textOf(value: unknown, what: string, name: string, maxLength: number): string {
  if (typeof value !== 'string') throw new Damaged(`${what} has no ${name}`);
  if (value.length > maxLength) {
    throw new Damaged(`the ${name} of ${what} is too long (over ${maxLength.toLocaleString('en')} characters)`);
  }
  return value;
}

export function timeOf(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIME) {
    throw new Damaged(`${what} has no valid ${name} time`);
  }
  return value;
}

export function countOf(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Damaged(`${what} has an invalid ${name}`);
  }
  return value;
}

export function listOf(value: unknown, name: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Damaged(`it has no list of ${name}`);
  if (value.length > max) throw new Damaged(`it holds more ${name} than any backup could (${value.length})`);
  return value;
}
