/**
 * Backups: every conversation in one versioned JSON file, one conversation as Markdown, and the validation of an
 * import. Pure apart from `exportAll` and `importBackupFile`, which go through the repository; the import itself is
 * the repository's `importBackup`, one transaction, planned by `import-plan.ts`. Loaded on the first export or
 * import, not with the first screen.
 *
 * The file (version 2):
 * ```
 * {
 *   "format": "private-mistral-chat",
 *   "version": 2,
 *   "exportedAt": "2025-05-01T12:00:00.000Z",
 *   "conversations": [{ "id", "title", "createdAt", "updatedAt", "activeLeafId"?, "presetId"? }],
 *   "messages": [{ "id", "conversationId", "parentId", "role", "content", "createdAt", "updatedAt", "status",
 *                  "engine"?, "model"?, "error"?, "usage"?, "omittedTurns"?, "attachmentIds"?, "sources"? }],
 *   "attachments": [{ "id", "conversationId", "messageId", "name", "type", "size", "text",
 *                     "passages": [{ "start", "end" }], "pages"?, "bytes"? (base64), "createdAt" }],
 *   "presets": [{ "id", "name", "systemPrompt", "sampling", "model"?, "updatedAt" }]
 * }
 * ```
 * Times are milliseconds since 1970 (UTC); `parentId` is null for a conversation's first message(s). Version 1 had
 * no attachments and no presets. Only the user's own presets are written (the built-ins come with the app). No
 * settings are exported: not the Hugging Face token or endpoint key, and not the rest either (see
 * {@link createBackup}).
 *
 * Versions: the app writes `BACKUP_VERSION` and reads every version from 1 up to it. When the shape changes, bump
 * the version and append to `BACKUP_UPGRADES` a function that turns a file of the previous version into the next;
 * `parseBackup` runs them in order, then validates the current shape. A file from a newer app is refused with a
 * message that says so.
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import { isBuiltInPresetId, type Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord, MessageStatus } from '../domain/records.js';
import {
  attachmentsForBackup,
  presetForBackup,
  type BackupAttachment,
  type BackupPreset,
} from './backup-attachments.js';
import { Damaged, fieldsOf, isFields } from './backup-fields.js';
import { validateBackup } from './backup-validate.js';
import { STORAGE_MESSAGES, StorageError } from './errors.js';
import type { ImportSummary } from './import-plan.js';
import { withActiveLeaf } from './records.js';
import type { StoredMessage } from './schema.js';
import type { ChatRepository } from './types.js';

export {
  MAX_BACKUP_CONVERSATIONS,
  MAX_BACKUP_MESSAGES,
  MAX_MESSAGE_LENGTH,
  MAX_TITLE_LENGTH,
} from './backup-validate.js';
export { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_TEXT_LENGTH } from './backup-attachments.js';

export const BACKUP_FORMAT = 'private-mistral-chat';

/** Turns the untyped contents of a file of version N (at index N - 1) into version N + 1. */
export type BackupUpgrade = (file: Record<string, unknown>) => Record<string, unknown>;

/** Append-only, like the database migrations. */
export const BACKUP_UPGRADES: readonly BackupUpgrade[] = [
  // 1 → 2: attachments and presets. A version 1 file has neither.
  (file) => ({ ...file, attachments: [], presets: [] }),
];

export const BACKUP_VERSION = BACKUP_UPGRADES.length + 1;

/** The largest file read (`File.size`); check it before reading the file into a string. */
export const MAX_BACKUP_BYTES = 400 * 1024 * 1024;

/** The file as written. */
export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** ISO 8601. */
  exportedAt: string;
  conversations: ConversationRecord[];
  messages: StoredMessage[];
  attachments: BackupAttachment[];
  presets: BackupPreset[];
}

/** A backup that passed validation: safe to hand to `importBackup`. */
export interface BackupData {
  exportedAt: string;
  conversations: ConversationRecord[];
  messages: StoredMessage[];
  /** The original bytes, where the file has them, decoded back into a Blob. */
  attachments: AttachmentRecord[];
  /** The user's presets, `builtIn: false`. */
  presets: Preset[];
}

/** What `createBackup` writes: attachments with their originals already as base64 (`attachmentsForBackup`). */
export interface BackupRecords {
  conversations: readonly ConversationRecord[];
  messages: readonly MessageRecord[];
  attachments?: readonly BackupAttachment[];
  presets?: readonly Preset[];
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
 * first message, and a branch shown that is gone is left unset, as the app already shows them. Likewise a file
 * whose message is gone is left out, and a message names only the files kept.
 */
export function createBackup(records: BackupRecords, exportedAt: Date = new Date()): BackupFile {
  const conversationIds = new Set(records.conversations.map(({ id }) => id));
  const kept = records.messages.filter((message) => conversationIds.has(message.conversationId));
  const conversationOf = new Map(kept.map((message) => [message.id, message.conversationId]));
  const attachments = (records.attachments ?? []).filter(
    (attachment) => conversationOf.get(attachment.messageId) === attachment.conversationId,
  );
  const attachmentOf = new Map(attachments.map((attachment) => [attachment.id, attachment.messageId]));
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
    messages: kept.map((record) => {
      const message = { ...record } as MessageRecord & Pick<StoredMessage, 'attachmentIds' | 'sources'>;
      delete message.provider;
      delete message.endpointUrl;
      const written: StoredMessage = {
        ...message,
        parentId:
          message.parentId != null && conversationOf.get(message.parentId) === message.conversationId
            ? message.parentId
            : null,
      };
      if (message.attachmentIds) {
        written.attachmentIds = message.attachmentIds.filter((id) => attachmentOf.get(id) === message.id);
      }
      return written;
    }),
    attachments: attachments.map((attachment) => ({ ...attachment })),
    presets: (records.presets ?? []).filter(({ id }) => !isBuiltInPresetId(id)).map(presetForBackup),
  };
}

/** Every conversation, as the JSON text of a backup file. */
export async function exportAll(
  repository: Pick<ChatRepository, 'readAllConversations'>,
  exportedAt: Date = new Date(),
): Promise<string> {
  const records = await repository.readAllConversations();
  const attachments = await attachmentsForBackup(records.attachments);
  return JSON.stringify(createBackup({ ...records, attachments }, exportedAt), null, 1);
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
    return { ok: true, data: validateBackup(file) };
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

/** What the status line says after an import, e.g. "Imported 3 conversations (120 messages, 2 files)." */
export function importSummaryMessage(summary: ImportSummary): string {
  const plural = (count: number, one: string, many: string) =>
    `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
  const files = summary.attachments > 0 ? `, ${plural(summary.attachments, 'file', 'files')}` : '';
  const presets = summary.presets > 0 ? ` Added ${plural(summary.presets, 'preset', 'presets')}.` : '';
  const conversations =
    summary.conversations === 0
      ? ''
      : `Imported ${plural(summary.conversations, 'conversation', 'conversations')} (${plural(summary.messages, 'message', 'messages')}${files}).`;
  const added = conversations === '' && presets === '' ? 'Nothing new to import.' : `${conversations}${presets}`.trim();
  const skipped =
    summary.skipped === 0
      ? ''
      : summary.skipped === 1
        ? ' 1 conversation was already here and was left as it is.'
        : ` ${summary.skipped.toLocaleString('en')} conversations were already here and were left as they are.`;
  return `${added}${skipped}`;
}
