/**
 * Import planning: which records of a checked backup to add, and under which ids, so that nothing stored is
 * overwritten and importing the same backup twice adds nothing. Pure; the repositories run it inside the import's
 * transaction (so it is part of the first screen's code, unlike the rest of the backup code in `backup.ts`).
 */
import type { AttachmentRecord } from '../domain/attachments.js';
import type { Preset } from '../domain/presets.js';
import type { ConversationRecord, MessageRecord } from '../domain/records.js';
import type { BackupData } from './backup.js';
import { withActiveLeaf } from './records.js';
import type { StoredConversation, StoredMessage } from './schema.js';

export interface ImportSummary {
  /** Conversations added, and their messages. */
  conversations: number;
  messages: number;
  /** Files added with those conversations, and presets added. */
  attachments: number;
  presets: number;
  /** Conversations left out because the database already holds all they hold (the same backup imported twice). */
  skipped: number;
  /** Records given a fresh id because the database already used theirs for something else. */
  renamed: number;
  /** The ids the added conversations have in the database, in the file's order. */
  conversationIds: string[];
}

export interface ImportPlan extends ImportSummary {
  conversationRecords: ConversationRecord[];
  messageRecords: StoredMessage[];
  attachmentRecords: AttachmentRecord[];
  presetRecords: Preset[];
}

/** The plan without its records: what the import tells the user. */
export function summaryOf(plan: ImportPlan): ImportSummary {
  const { conversations, messages, attachments, presets, skipped, renamed, conversationIds } = plan;
  return { conversations, messages, attachments, presets, skipped, renamed, conversationIds };
}

/** What the database holds, as much as an import needs to know. */
export interface StoredState {
  conversationIds: ReadonlySet<string>;
  messageIds: ReadonlySet<string>;
  attachmentIds: ReadonlySet<string>;
  /** The user's presets (a few: all of them). */
  presets: readonly Preset[];
  /**
   * The stored conversations that may already hold one of the file's, with their messages: those that share an id
   * or a creation time with a conversation in the file (see {@link conversationsToCompare}).
   */
  lookalikes: readonly { conversation: ConversationRecord; messages: readonly MessageRecord[] }[];
}

/** The stored conversations `planImport` compares the file's with: same id, or created at the same moment. */
export function conversationsToCompare(data: BackupData, stored: readonly ConversationRecord[]): ConversationRecord[] {
  const ids = new Set(data.conversations.map(({ id }) => id));
  const times = new Set(data.conversations.map(({ createdAt }) => createdAt));
  return stored.filter(({ id, createdAt }) => ids.has(id) || times.has(createdAt));
}

/** A preset as the user knows it, whatever id it has. */
function presetKey(preset: Preset): string {
  const { temperature, topP, maxNewTokens, repetitionPenalty, seed } = preset.sampling;
  return JSON.stringify([
    preset.name,
    preset.systemPrompt,
    preset.model ?? '',
    temperature,
    topP,
    maxNewTokens,
    repetitionPenalty,
    seed,
  ]);
}

/** A message as the user knows it, whatever ids it was given on the way. */
function messageKey(message: MessageRecord): string {
  return JSON.stringify([message.role, message.createdAt, message.content]);
}

/**
 * The records to add so that nothing stored is overwritten. A conversation already stored with every message of
 * the file's (same creation time, same messages, whatever their ids: an earlier import of the same backup may have
 * renamed them) is skipped, so importing a backup twice adds nothing. Any other id the database already uses is
 * replaced by a fresh one, and references follow. A reply still marked as streaming is added as interrupted:
 * nothing is writing it any more.
 */
export function planImport(data: BackupData, stored: StoredState, newId: () => string): ImportPlan {
  const taken = new Set<string>();
  const fresh = (id: string, inUse: ReadonlySet<string>): string => {
    let next = id;
    while (inUse.has(next) || taken.has(next)) next = newId();
    taken.add(next);
    return next;
  };

  const messagesByConversation = new Map<string, StoredMessage[]>();
  for (const message of data.messages) {
    const list = messagesByConversation.get(message.conversationId);
    if (list) list.push(message);
    else messagesByConversation.set(message.conversationId, [message]);
  }
  const lookalikes = stored.lookalikes.map(({ conversation, messages }) => ({
    conversation,
    keys: new Set(messages.map(messageKey)),
  }));
  const alreadyStored = (conversation: ConversationRecord, messages: readonly MessageRecord[]): boolean =>
    lookalikes.some(
      (candidate) =>
        (candidate.conversation.id === conversation.id ||
          candidate.conversation.createdAt === conversation.createdAt) &&
        messages.every((message) => candidate.keys.has(messageKey(message))),
    );

  const conversationIds = new Map<string, string>();
  const messageIds = new Map<string, string>();
  let skipped = 0;
  let renamed = 0;
  for (const conversation of data.conversations) {
    const messages = messagesByConversation.get(conversation.id) ?? [];
    if (alreadyStored(conversation, messages)) {
      skipped++;
      continue;
    }
    const id = fresh(conversation.id, stored.conversationIds);
    if (id !== conversation.id) renamed++;
    conversationIds.set(conversation.id, id);
    for (const message of messages) {
      const messageId = fresh(message.id, stored.messageIds);
      if (messageId !== message.id) renamed++;
      messageIds.set(message.id, messageId);
    }
  }

  // A preset already stored with the same settings is not added twice; conversations then use the stored one.
  const storedPresets = new Map(stored.presets.map((preset) => [presetKey(preset), preset.id]));
  const storedPresetIds = new Set(stored.presets.map(({ id }) => id));
  const presetIds = new Map<string, string>();
  const presetRecords: Preset[] = [];
  for (const preset of data.presets) {
    const same = storedPresets.get(presetKey(preset));
    if (same !== undefined) {
      presetIds.set(preset.id, same);
      continue;
    }
    const id = fresh(preset.id, storedPresetIds);
    if (id !== preset.id) renamed++;
    presetIds.set(preset.id, id);
    storedPresets.set(presetKey(preset), id);
    presetRecords.push({ ...preset, id });
  }

  const attachmentIds = new Map<string, string>();
  const attachmentRecords = data.attachments.flatMap((attachment): AttachmentRecord[] => {
    const messageId = messageIds.get(attachment.messageId);
    const conversationId = conversationIds.get(attachment.conversationId);
    if (messageId === undefined || conversationId === undefined) return [];
    const id = fresh(attachment.id, stored.attachmentIds);
    if (id !== attachment.id) renamed++;
    attachmentIds.set(attachment.id, id);
    return [{ ...attachment, id, messageId, conversationId }];
  });

  const conversationRecords = data.conversations.flatMap((conversation: StoredConversation): ConversationRecord[] => {
    const id = conversationIds.get(conversation.id);
    if (id === undefined) return [];
    const leafId = conversation.activeLeafId === undefined ? undefined : messageIds.get(conversation.activeLeafId);
    const record: StoredConversation = withActiveLeaf({ ...conversation, id }, leafId);
    if (conversation.presetId !== undefined)
      record.presetId = presetIds.get(conversation.presetId) ?? conversation.presetId;
    return [record];
  });
  const messageRecords = data.messages.flatMap((message): StoredMessage[] => {
    const id = messageIds.get(message.id);
    const conversationId = conversationIds.get(message.conversationId);
    if (id === undefined || conversationId === undefined) return [];
    const record: StoredMessage = {
      ...message,
      id,
      conversationId,
      parentId: message.parentId === null ? null : (messageIds.get(message.parentId) ?? null),
      status: message.status === 'streaming' ? 'interrupted' : message.status,
    };
    if (message.attachmentIds) record.attachmentIds = message.attachmentIds.map((old) => attachmentIds.get(old) ?? old);
    if (message.sources) {
      record.sources = message.sources.map((source) => ({
        ...source,
        attachmentId: attachmentIds.get(source.attachmentId) ?? source.attachmentId,
      }));
    }
    return [record];
  });
  return {
    conversationRecords,
    messageRecords,
    attachmentRecords,
    presetRecords,
    conversations: conversationRecords.length,
    messages: messageRecords.length,
    attachments: attachmentRecords.length,
    presets: presetRecords.length,
    skipped,
    renamed,
    conversationIds: conversationRecords.map(({ id }) => id),
  };
}
