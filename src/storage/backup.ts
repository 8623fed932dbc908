/**
 * Backups: every conversation in one versioned JSON file, one conversation as Markdown, and the validation of an
 * import. Pure apart from `exportAll` and `importBackupFile`, which go through the repository; the import itself is
 * the repository's `importBackup`, one transaction, planned by `import-plan.ts`. Loaded on the first export or
 * import, not with the first screen.
 *
 * The file (version 1):
 * ```
 * {
 *   "format": "private-mistral-chat",
 *   "version": 1,
 *   "exportedAt": "2025-05-01T12:00:00.000Z",
 *   "conversations": [{ "id", "title", "createdAt", "updatedAt", "activeLeafId"? }],
 *   "messages": [{ "id", "conversationId", "parentId", "role", "content", "createdAt", "updatedAt", "status",
 *                  "engine"?, "model"?, "error"?, "usage"?, "omittedTurns"? }]
 * }
 * ```
 * Times are milliseconds since 1970 (UTC); `parentId` is null for a conversation's first message(s). No settings are
 * exported: not the Hugging Face token or endpoint key, and not the rest either (see {@link createBackup}).
 *
 * Versions: the app writes `BACKUP_VERSION` and reads every version from 1 up to it. When the shape changes, bump
 * the version and append to `BACKUP_UPGRADES` a function that turns a file of the previous version into the next;
 * `parseBackup` runs them in order, then validates the current shape. A file from a newer app is refused with a
 * message that says so.
 */
import type { EngineKind } from '../domain/generation.js';
import type { ConversationRecord, MessageRecord, MessageStatus } from '../domain/records.js';
import { STORAGE_MESSAGES, StorageError } from './errors.js';
import type { ImportSummary } from './import-plan.js';
import { withActiveLeaf } from './records.js';
import type { StoredMessage } from './schema.js';
import type { ChatRepository } from './types.js';

export const BACKUP_FORMAT = 'private-mistral-chat';

/** Turns the untyped contents of a file of version N (at index N - 1) into version N + 1. */
export type BackupUpgrade = (file: Record<string, unknown>) => Record<string, unknown>;

/** Append-only, like the database migrations: version 1 is the first format, so there is nothing to upgrade yet. */
export const BACKUP_UPGRADES: readonly BackupUpgrade[] = [];

export const BACKUP_VERSION = BACKUP_UPGRADES.length + 1;

/** The largest file read (`File.size`); check it before reading the file into a string. */
export const MAX_BACKUP_BYTES = 400 * 1024 * 1024;
export const MAX_BACKUP_CONVERSATIONS = 200_000;
export const MAX_BACKUP_MESSAGES = 2_000_000;
export const MAX_MESSAGE_LENGTH = 1_000_000;
export const MAX_TITLE_LENGTH = 10_000;
const MAX_ID_LENGTH = 200;
const MAX_LABEL_LENGTH = 1_000;
const MAX_ERROR_LENGTH = 10_000;
/** The largest time a Date can hold. */
const MAX_TIME = 8.64e15;

/** The file as written. */
export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** ISO 8601. */
  exportedAt: string;
  conversations: ConversationRecord[];
  messages: StoredMessage[];
}

/** A backup that passed validation: safe to hand to `importBackup`. */
export interface BackupData {
  exportedAt: string;
  conversations: ConversationRecord[];
  messages: StoredMessage[];
}

export type ParsedBackup = { ok: true; data: BackupData } | { ok: false; message: string };

export const BACKUP_MESSAGES = {
  notJson:
    "This file is not a Private Mistral Chat backup: it is not JSON. Choose a .json file made with the app's Export button; nothing was imported.",
  foreign:
    "This file is not a Private Mistral Chat backup. Choose a file made with the app's Export button; nothing was imported.",
  truncated:
    'The backup is damaged: it is not complete JSON, as if it was cut short. Nothing was imported; export the backup again or choose another file.',
  tooLarge: `This file is too large to import (over ${MAX_BACKUP_BYTES / 1024 / 1024} MB), so nothing was imported. Choose a smaller backup.`,
} as const;

export function newerVersionMessage(version: number, supported: number): string {
  return `This backup is from a newer version of the app (backup version ${version}; this version reads up to ${supported}). Reload the app to update it, then import the file again.`;
}

export function damagedMessage(detail: string): string {
  return `The backup is damaged: ${detail}. Nothing was imported; export the backup again or choose another file.`;
}

/**
 * The backup file for these records. Settings are left out entirely: the token and endpoint key must never leave
 * the browser, an endpoint URL can carry credentials of its own, and the rest (local model, sampling) belongs to the
 * device rather than to the conversations. Leaving out the whole record keeps secrets out by construction, however
 * settings grow.
 *
 * The file must pass `parseBackup` whatever the database holds: a message whose conversation is gone (a reply whose
 * last save landed after another tab deleted its conversation) is left out, one whose parent is gone becomes a
 * first message, and a branch shown that is gone is left unset, as the app already shows them.
 */
export function createBackup(
  records: { conversations: readonly ConversationRecord[]; messages: readonly MessageRecord[] },
  exportedAt: Date = new Date(),
): BackupFile {
  const conversationIds = new Set(records.conversations.map(({ id }) => id));
  const kept = records.messages.filter((message) => conversationIds.has(message.conversationId));
  const conversationOf = new Map(kept.map((message) => [message.id, message.conversationId]));
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: exportedAt.toISOString(),
    conversations: records.conversations.map((conversation) =>
      conversation.activeLeafId === undefined || conversationOf.get(conversation.activeLeafId) === conversation.id
        ? { ...conversation }
        : withActiveLeaf(conversation, undefined),
    ),
    // Where a hosted reply was sent (its provider and Endpoint URL) is this browser's setting, not the conversation's:
    // it stays out of the file, as every setting does.
    messages: kept.map(({ provider: _provider, endpointUrl: _endpointUrl, ...message }) => ({
      ...message,
      parentId:
        message.parentId != null && conversationOf.get(message.parentId) === message.conversationId
          ? message.parentId
          : null,
    })),
  };
}

/** Every conversation, as the JSON text of a backup file. */
export async function exportAll(
  repository: Pick<ChatRepository, 'readAllConversations'>,
  exportedAt: Date = new Date(),
): Promise<string> {
  return JSON.stringify(createBackup(await repository.readAllConversations(), exportedAt), null, 1);
}

/** e.g. `private-mistral-chat-2025-05-01.json` */
export function backupFileName(date: Date = new Date()): string {
  return `private-mistral-chat-${date.toISOString().slice(0, 10)}.json`;
}

/** A file name from a conversation title: letters, digits and dashes, never empty. */
export function markdownFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'conversation'}.md`;
}

const STATUS_NOTES: Partial<Record<MessageStatus, string>> = {
  stopped: '_The reply was stopped here._',
  interrupted: '_The reply was cut off when the page closed._',
  streaming: '_The reply was still being written._',
};

/**
 * One conversation as Markdown: a title, then each message of `path` (the visible branch, root first) under a
 * "You" or "Assistant" heading. Message text is Markdown already and goes in as it is.
 */
export function exportConversationMarkdown(
  conversation: Pick<ConversationRecord, 'title'>,
  path: readonly MessageRecord[],
  exportedAt: Date = new Date(),
): string {
  const title = conversation.title.replace(/\s+/g, ' ').trim() || 'Conversation';
  const parts = [`# ${title}`, `_Exported from Private Mistral Chat on ${exportedAt.toISOString().slice(0, 10)}._`];
  for (const message of path) {
    const who = message.role === 'user' ? 'You' : message.model ? `Assistant (${message.model})` : 'Assistant';
    parts.push(`## ${who}`);
    if (message.content.trim() !== '') parts.push(message.content.trim());
    const note =
      message.status === 'error' ? `_Error: ${message.error ?? 'the reply failed.'}_` : STATUS_NOTES[message.status];
    if (note) parts.push(note);
  }
  return `${parts.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

class Damaged extends Error {}

type Fields = Record<string, unknown>;

/** Keys that, copied carelessly by some later code, would change prototypes: a backup never has them. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const ROLES: readonly MessageRecord['role'][] = ['user', 'assistant'];
const STATUSES: readonly MessageStatus[] = ['streaming', 'complete', 'stopped', 'error', 'interrupted'];
const ENGINES: readonly string[] = ['local', 'hosted'];
const USAGE_FIELDS = [
  'promptTokens',
  'completionTokens',
  'timeToFirstTokenMs',
  'prefillTokensPerSecond',
  'decodeTokensPerSecond',
] as const;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldsOf(value: unknown, what: string): Fields {
  if (!isFields(value)) throw new Damaged(`${what} is not a record`);
  for (const key of FORBIDDEN_KEYS) {
    if (Object.hasOwn(value, key)) throw new Damaged(`${what} has a field named "${key}", which no backup has`);
  }
  return value;
}

function idOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new Damaged(`${what} has no valid id`);
  }
  return value;
}

function textOf(value: unknown, what: string, name: string, maxLength: number): string {
  if (typeof value !== 'string') throw new Damaged(`${what} has no ${name}`);
  if (value.length > maxLength) {
    throw new Damaged(`the ${name} of ${what} is too long (over ${maxLength.toLocaleString('en')} characters)`);
  }
  return value;
}

function timeOf(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIME) {
    throw new Damaged(`${what} has no valid ${name} time`);
  }
  return value;
}

function countOf(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Damaged(`${what} has an invalid ${name}`);
  }
  return value;
}

function conversationFrom(value: unknown, what: string): ConversationRecord {
  const fields = fieldsOf(value, what);
  const conversation: ConversationRecord = {
    id: idOf(fields['id'], what),
    title: textOf(fields['title'], what, 'title', MAX_TITLE_LENGTH),
    createdAt: timeOf(fields['createdAt'], what, 'creation'),
    updatedAt: timeOf(fields['updatedAt'], what, 'update'),
  };
  if (fields['activeLeafId'] !== undefined)
    conversation.activeLeafId = idOf(fields['activeLeafId'], `${what}'s branch`);
  return conversation;
}

function messageFrom(value: unknown, what: string): StoredMessage {
  const fields = fieldsOf(value, what);
  const role = fields['role'];
  if (!ROLES.includes(role as MessageRecord['role'])) throw new Damaged(`${what} has no valid role`);
  const status = fields['status'];
  if (!STATUSES.includes(status as MessageStatus)) throw new Damaged(`${what} has no valid status`);
  const parentId = fields['parentId'];
  const message: StoredMessage = {
    id: idOf(fields['id'], what),
    conversationId: idOf(fields['conversationId'], `${what}'s conversation`),
    parentId: parentId === null ? null : idOf(parentId, `${what}'s parent`),
    role: role as MessageRecord['role'],
    content: textOf(fields['content'], what, 'text', MAX_MESSAGE_LENGTH),
    createdAt: timeOf(fields['createdAt'], what, 'creation'),
    updatedAt: timeOf(fields['updatedAt'], what, 'update'),
    status: status as MessageStatus,
  };
  if (fields['engine'] !== undefined) {
    if (!ENGINES.includes(fields['engine'] as string)) throw new Damaged(`${what} has an unknown engine`);
    message.engine = fields['engine'] as EngineKind;
  }
  if (fields['model'] !== undefined) message.model = textOf(fields['model'], what, 'model', MAX_LABEL_LENGTH);
  if (fields['error'] !== undefined) message.error = textOf(fields['error'], what, 'error', MAX_ERROR_LENGTH);
  if (fields['omittedTurns'] !== undefined) {
    const omitted = countOf(fields['omittedTurns'], what, 'count of omitted turns');
    if (!Number.isInteger(omitted)) throw new Damaged(`${what} has an invalid count of omitted turns`);
    message.omittedTurns = omitted;
  }
  if (fields['usage'] !== undefined) {
    const usage = fieldsOf(fields['usage'], `the usage of ${what}`);
    message.usage = {
      promptTokens: countOf(usage['promptTokens'], what, 'token count'),
      completionTokens: countOf(usage['completionTokens'], what, 'token count'),
    };
    for (const name of USAGE_FIELDS.slice(2)) {
      if (usage[name] !== undefined) message.usage[name] = countOf(usage[name], what, 'speed');
    }
  }
  return message;
}

function listOf(value: unknown, name: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Damaged(`it has no list of ${name}`);
  if (value.length > max) throw new Damaged(`it holds more ${name} than any backup could (${value.length})`);
  return value;
}

/** Throws at the first message that follows itself through its parents. */
function checkNoLoops(messages: readonly StoredMessage[], byId: ReadonlyMap<string, StoredMessage>): void {
  /** 1: being walked now; 2: known to reach a root. */
  const state = new Map<string, 1 | 2>();
  messages.forEach((start, index) => {
    const walked: string[] = [];
    for (let id: string | null = start.id; id !== null && state.get(id) !== 2; id = byId.get(id)?.parentId ?? null) {
      if (state.get(id) === 1)
        throw new Damaged(`message ${index + 1} is part of a loop of messages following each other`);
      state.set(id, 1);
      walked.push(id);
    }
    for (const id of walked) state.set(id, 2);
  });
}

function validate(file: Fields): BackupData {
  const exportedAt = file['exportedAt'];
  if (typeof exportedAt !== 'string' || exportedAt.length > 100) throw new Damaged('it has no export date');
  const conversations = listOf(file['conversations'], 'conversations', MAX_BACKUP_CONVERSATIONS).map((value, index) =>
    conversationFrom(value, `conversation ${index + 1}`),
  );
  const messages = listOf(file['messages'], 'messages', MAX_BACKUP_MESSAGES).map((value, index) =>
    messageFrom(value, `message ${index + 1}`),
  );

  const conversationIds = new Set<string>();
  conversations.forEach(({ id }, index) => {
    if (conversationIds.has(id)) throw new Damaged(`conversation ${index + 1} has the same id as an earlier one`);
    conversationIds.add(id);
  });
  const byId = new Map<string, StoredMessage>();
  messages.forEach((message, index) => {
    if (byId.has(message.id)) throw new Damaged(`message ${index + 1} has the same id as an earlier one`);
    byId.set(message.id, message);
  });
  messages.forEach((message, index) => {
    const what = `message ${index + 1}`;
    if (!conversationIds.has(message.conversationId)) {
      throw new Damaged(`${what} belongs to a conversation that is not in the file`);
    }
    if (message.parentId === null) return;
    const parent = byId.get(message.parentId);
    if (!parent) throw new Damaged(`${what} follows a message that is not in the file`);
    if (parent.conversationId !== message.conversationId) {
      throw new Damaged(`${what} follows a message of another conversation`);
    }
  });
  checkNoLoops(messages, byId);
  conversations.forEach((conversation, index) => {
    if (conversation.activeLeafId === undefined) return;
    if (byId.get(conversation.activeLeafId)?.conversationId !== conversation.id) {
      throw new Damaged(`conversation ${index + 1} shows a message that is not among its own`);
    }
  });
  return { exportedAt, conversations, messages };
}

/**
 * Reads and checks a backup file completely: nothing may be written before this says `ok`. A message for the user
 * otherwise: not a backup, from a newer app, or damaged (and where).
 */
export function parseBackup(text: string, upgrades: readonly BackupUpgrade[] = BACKUP_UPGRADES): ParsedBackup {
  if (text.length > MAX_BACKUP_BYTES) return { ok: false, message: BACKUP_MESSAGES.tooLarge };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const looksLikeOurs = text.trimStart().startsWith('{') && text.includes(`"${BACKUP_FORMAT}"`);
    return { ok: false, message: looksLikeOurs ? BACKUP_MESSAGES.truncated : BACKUP_MESSAGES.notJson };
  }
  if (!isFields(parsed) || parsed['format'] !== BACKUP_FORMAT) return { ok: false, message: BACKUP_MESSAGES.foreign };
  const supported = upgrades.length + 1;
  const version = parsed['version'];
  try {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      throw new Damaged('it has no valid version number');
    }
    if (version > supported) return { ok: false, message: newerVersionMessage(version, supported) };
    let file = fieldsOf(parsed, 'the file');
    for (const upgrade of upgrades.slice(version - 1)) file = upgrade(file);
    return { ok: true, data: validate(file) };
  } catch (error) {
    if (error instanceof Damaged) return { ok: false, message: damagedMessage(error.message) };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The whole import, as the Import button runs it

export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; message: string };

export const UNREADABLE_FILE_MESSAGE =
  'The file could not be read, so nothing was imported. Choose it again, or copy it to this device first.';

/**
 * Reads a chosen file, checks all of it, and only then imports it in one transaction. Never rejects: every failure
 * (too large, unreadable, not a backup, damaged, a full disk) is a message for the alert, and leaves the database as
 * it was.
 */
export async function importBackupFile(
  repository: Pick<ChatRepository, 'importBackup'>,
  file: Pick<Blob, 'size' | 'text'>,
): Promise<ImportOutcome> {
  if (file.size > MAX_BACKUP_BYTES) return { ok: false, message: BACKUP_MESSAGES.tooLarge };
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, message: UNREADABLE_FILE_MESSAGE };
  }
  const parsed = parseBackup(text);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, summary: await repository.importBackup(parsed.data) };
  } catch (error) {
    return { ok: false, message: error instanceof StorageError ? error.userMessage : STORAGE_MESSAGES.unknown };
  }
}

/** What the status line says after an import, e.g. "Imported 3 conversations (120 messages)." */
export function importSummaryMessage(summary: ImportSummary): string {
  const plural = (count: number, one: string, many: string) =>
    `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
  const added =
    summary.conversations === 0
      ? 'Nothing new to import.'
      : `Imported ${plural(summary.conversations, 'conversation', 'conversations')} (${plural(summary.messages, 'message', 'messages')}).`;
  const skipped =
    summary.skipped === 0
      ? ''
      : summary.skipped === 1
        ? ' 1 conversation was already here and was left as it is.'
        : ` ${summary.skipped.toLocaleString('en')} conversations were already here and were left as they are.`;
  return `${added}${skipped}`;
}
