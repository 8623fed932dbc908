/**
 * Checking a backup file of the current version completely, record by record and reference by reference, before
 * anything is written. Attachments and presets are checked in `backup-attachments.ts`.
 */
import type { EngineKind } from '../domain/generation.js';
import type { MessageRecord, MessageStatus } from '../domain/records.js';
import { attachmentFrom, checkAttachmentLinks, presetFrom, sourcesFrom } from './backup-attachments.js';
import {
  countOf,
  Damaged,
  fieldsOf,
  idOf,
  listOf,
  MAX_LABEL_LENGTH,
  textOf,
  timeOf,
  type Fields,
} from './backup-fields.js';
import type { BackupData } from './backup.js';
import type { StoredConversation, StoredMessage } from './schema.js';

export const MAX_BACKUP_CONVERSATIONS = 200_000;
export const MAX_BACKUP_MESSAGES = 2_000_000;
export const MAX_BACKUP_ATTACHMENTS = 200_000;
export const MAX_BACKUP_PRESETS = 10_000;
export const MAX_MESSAGE_LENGTH = 1_000_000;
export const MAX_TITLE_LENGTH = 10_000;
const MAX_ERROR_LENGTH = 10_000;
/** Files a message can carry. */
const MAX_ATTACHMENTS_PER_MESSAGE = 1_000;

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

function conversationFrom(value: unknown, what: string): StoredConversation {
  const fields = fieldsOf(value, what);
  const conversation: StoredConversation = {
    id: idOf(fields['id'], what),
    title: textOf(fields['title'], what, 'title', MAX_TITLE_LENGTH),
    createdAt: timeOf(fields['createdAt'], what, 'creation'),
    updatedAt: timeOf(fields['updatedAt'], what, 'update'),
  };
  if (fields['activeLeafId'] !== undefined)
    conversation.activeLeafId = idOf(fields['activeLeafId'], `${what}'s branch`);
  if (fields['presetId'] !== undefined) conversation.presetId = idOf(fields['presetId'], `${what}'s preset`);
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
  if (fields['attachmentIds'] !== undefined) {
    const ids = listOf(fields['attachmentIds'], `files of ${what}`, MAX_ATTACHMENTS_PER_MESSAGE);
    message.attachmentIds = ids.map((id) => idOf(id, `a file of ${what}`));
  }
  if (fields['sources'] !== undefined) message.sources = sourcesFrom(fields['sources'], what);
  return message;
}

/** A list the file may leave out (written before version 2): absent means none. */
function optionalListOf(value: unknown, name: string, max: number): unknown[] {
  return value === undefined ? [] : listOf(value, name, max);
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

export function validateBackup(file: Fields): BackupData {
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
  const attachments = optionalListOf(file['attachments'], 'files', MAX_BACKUP_ATTACHMENTS).map((value, index) =>
    attachmentFrom(value, `file ${index + 1}`),
  );
  checkAttachmentLinks(attachments, byId);
  const presetIds = new Set<string>();
  const presets = optionalListOf(file['presets'], 'presets', MAX_BACKUP_PRESETS).map((value, index) => {
    const preset = presetFrom(value, `preset ${index + 1}`);
    if (presetIds.has(preset.id)) throw new Damaged(`preset ${index + 1} has the same id as an earlier one`);
    presetIds.add(preset.id);
    return preset;
  });
  return { exportedAt, conversations, messages, attachments, presets };
}
