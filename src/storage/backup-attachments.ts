/**
 * Attachments and presets in a backup file (version 2 on): how they are written, and the checks they pass before
 * an import. An attachment's original bytes, kept only when the user asked, travel as base64; a preset carries no
 * secret (it is a prompt and sampling), and built-ins are never written: they come with the app.
 */
import type { AttachmentRecord, PassageSpan, ReplySource } from '../domain/attachments.js';
import { isBuiltInPresetId, type Preset } from '../domain/presets.js';
import { countOf, Damaged, fieldsOf, idOf, listOf, MAX_LABEL_LENGTH, textOf, timeOf } from './backup-fields.js';
import { MAX_SYSTEM_PROMPT_LENGTH, PresetError, presetToStore } from './presets.js';
import type { StoredMessage } from './schema.js';

/** The largest file the app attaches (issue 14: 50 MB), and so the most a backup's file can hold. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
/** Extracted text: at most about a character a byte of the file. */
export const MAX_ATTACHMENT_TEXT_LENGTH = 50 * 1024 * 1024;
export const MAX_PASSAGES = 1_000_000;
export const MAX_ATTACHMENT_PAGES = 2_000;
const MAX_SOURCES = 1_000;
const MAX_TYPE_LENGTH = 200;

/** An attachment as the file holds it: the original bytes, when kept, as base64. */
export type BackupAttachment = Omit<AttachmentRecord, 'bytes' | 'passages'> & {
  passages: PassageSpan[];
  bytes?: string;
};

/** A preset as the file holds it: the user's own, so never `builtIn`. */
export type BackupPreset = Omit<Preset, 'builtIn'>;

const BASE64_CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + BASE64_CHUNK));
  }
  return btoa(binary);
}

/** The attachments as a backup writes them; reads the kept originals. */
export async function attachmentsForBackup(attachments: readonly AttachmentRecord[]): Promise<BackupAttachment[]> {
  return Promise.all(
    attachments.map(async ({ bytes, passages, ...attachment }) => {
      const written: BackupAttachment = { ...attachment, passages: passages.map(({ start, end }) => ({ start, end })) };
      if (bytes) written.bytes = bytesToBase64(new Uint8Array(await bytes.arrayBuffer()));
      return written;
    }),
  );
}

/** A user preset as a backup writes it: its own fields only. */
export function presetForBackup({ id, name, systemPrompt, sampling, model, updatedAt }: Preset): BackupPreset {
  const written: BackupPreset = { id, name, systemPrompt, sampling: { ...sampling }, updatedAt };
  if (model !== undefined) written.model = model;
  return written;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function blobFrom(value: unknown, what: string, type: string): Blob {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new Damaged(`the original file of ${what} is not valid base64`);
  }
  if ((value.length / 4) * 3 > MAX_ATTACHMENT_BYTES + 2) {
    throw new Damaged(`the original file of ${what} is larger than any file the app attaches`);
  }
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** Spans of a text of `length` (unknown: only their shape is checked), each non-empty, in order of start. */
function spansFrom(value: unknown, what: string, length: number | undefined): PassageSpan[] {
  let previousStart = 0;
  return listOf(value, `passages of ${what}`, MAX_PASSAGES).map((entry, index) => {
    const fields = fieldsOf(entry, `passage ${index + 1} of ${what}`);
    const start = countOf(fields['start'], what, 'passage start');
    const end = countOf(fields['end'], what, 'passage end');
    if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start || start < previousStart) {
      throw new Damaged(`passage ${index + 1} of ${what} is not a span after the one before it`);
    }
    if (length !== undefined && end > length) throw new Damaged(`passage ${index + 1} of ${what} ends after its text`);
    previousStart = start;
    return { start, end };
  });
}

export function attachmentFrom(value: unknown, what: string): AttachmentRecord {
  const fields = fieldsOf(value, what);
  const type = textOf(fields['type'], what, 'type', MAX_TYPE_LENGTH);
  const text = textOf(fields['text'], what, 'text', MAX_ATTACHMENT_TEXT_LENGTH);
  const size = countOf(fields['size'], what, 'size');
  if (!Number.isInteger(size) || size > MAX_ATTACHMENT_BYTES) throw new Damaged(`${what} has an invalid size`);
  const attachment: AttachmentRecord = {
    id: idOf(fields['id'], what),
    conversationId: idOf(fields['conversationId'], `${what}'s conversation`),
    messageId: idOf(fields['messageId'], `${what}'s message`),
    name: textOf(fields['name'], what, 'name', MAX_LABEL_LENGTH),
    type,
    size,
    text,
    passages: spansFrom(fields['passages'], what, text.length),
    createdAt: timeOf(fields['createdAt'], what, 'creation'),
  };
  if (fields['pages'] !== undefined) {
    const pages = countOf(fields['pages'], what, 'page count');
    if (!Number.isInteger(pages) || pages > MAX_ATTACHMENT_PAGES)
      throw new Damaged(`${what} has an invalid page count`);
    attachment.pages = pages;
  }
  if (fields['bytes'] !== undefined) attachment.bytes = blobFrom(fields['bytes'], what, type);
  return attachment;
}

/** A reply's sources. The file each names may be gone (deleted since), so only its shape is checked. */
export function sourcesFrom(value: unknown, what: string): ReplySource[] {
  return listOf(value, `sources of ${what}`, MAX_SOURCES).map((entry, index) => {
    const source = `source ${index + 1} of ${what}`;
    const fields = fieldsOf(entry, source);
    if (typeof fields['whole'] !== 'boolean') throw new Damaged(`${source} does not say whether the file was whole`);
    const passages = spansFrom(fields['passages'], source, undefined);
    if (fields['whole'] && passages.length > 0) throw new Damaged(`${source} is whole and yet lists passages`);
    return {
      attachmentId: idOf(fields['attachmentId'], `${source}'s file`),
      name: textOf(fields['name'], source, 'name', MAX_LABEL_LENGTH),
      whole: fields['whole'],
      passages,
    };
  });
}

/**
 * Every file belongs to a message of its own conversation in the file, no id is used twice, and a message names
 * only files sent with it.
 */
export function checkAttachmentLinks(
  attachments: readonly AttachmentRecord[],
  messages: ReadonlyMap<string, StoredMessage>,
): void {
  const byId = new Map<string, AttachmentRecord>();
  attachments.forEach((attachment, index) => {
    const what = `file ${index + 1}`;
    if (byId.has(attachment.id)) throw new Damaged(`${what} has the same id as an earlier one`);
    byId.set(attachment.id, attachment);
    const message = messages.get(attachment.messageId);
    if (!message) throw new Damaged(`${what} was sent with a message that is not in the file`);
    if (message.conversationId !== attachment.conversationId) {
      throw new Damaged(`${what} belongs to another conversation than its message`);
    }
  });
  let index = 0;
  for (const message of messages.values()) {
    index++;
    if (message.attachmentIds?.some((id) => byId.get(id)?.messageId !== message.id)) {
      throw new Damaged(`message ${index} names a file that was not sent with it`);
    }
  }
}

export function presetFrom(value: unknown, what: string): Preset {
  const fields = fieldsOf(value, what);
  const id = idOf(fields['id'], what);
  if (isBuiltInPresetId(id)) throw new Damaged(`${what} claims the id of a built-in preset`);
  const sampling = fieldsOf(fields['sampling'], `the sampling of ${what}`);
  const preset: Preset = {
    id,
    name: textOf(fields['name'], what, 'name', MAX_LABEL_LENGTH),
    systemPrompt: textOf(fields['systemPrompt'], what, 'system prompt', MAX_SYSTEM_PROMPT_LENGTH),
    sampling: {
      temperature: sampling['temperature'] as number,
      topP: sampling['topP'] as number,
      maxNewTokens: sampling['maxNewTokens'] as number,
      repetitionPenalty: sampling['repetitionPenalty'] as number,
      seed: sampling['seed'] as number | null,
    },
    builtIn: false,
    updatedAt: timeOf(fields['updatedAt'], what, 'update'),
  };
  if (fields['model'] !== undefined) preset.model = textOf(fields['model'], what, 'model', MAX_LABEL_LENGTH);
  try {
    // The same rules as saving one in the app: a name, a prompt of bounded length, sampling in range.
    return presetToStore(preset);
  } catch (error) {
    if (error instanceof PresetError) throw new Damaged(`${what} is not a preset the app could save`);
    throw error;
  }
}
