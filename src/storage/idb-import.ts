/**
 * The IndexedDB side of an import and of reading everything: what `planImport` needs to know of the database, and
 * the plan added in the same transaction.
 */
import type { BackupData } from './backup.js';
import { requestAll, type ChatTransaction } from './idb-requests.js';
import type { ImportPlan } from './import-plan.js';
import { forEachConversation, messagesOf } from './search-reads.js';
import { byAttachmentCreation } from './records.js';
import type { ChatDatabase } from './schema.js';
import { approximateSize, attachmentsSize } from './size.js';
import type { ConversationsSize, StoredRecords } from './types.js';

/** The stores an import writes. */
export const IMPORT_STORES = ['conversations', 'messages', 'attachments', 'presets'] as const;

/** Plans the import against what `tx` holds and adds it; any collision left fails the whole transaction. */
/** Import planning, loaded on the first import (`import-plan-loader.ts`). */
export type ImportPlanner = Pick<typeof import('./import-plan.js'), 'conversationsToCompare' | 'planImport'>;

export async function importInto(
  tx: ChatTransaction,
  data: BackupData,
  { conversationsToCompare, planImport }: ImportPlanner,
): Promise<ImportPlan> {
  const conversations = tx.objectStore('conversations');
  const messages = tx.objectStore('messages');
  const attachments = tx.objectStore('attachments');
  const presets = tx.objectStore('presets');
  const [stored, messageKeys, attachmentKeys, storedPresets] = await Promise.all([
    conversations.getAll(),
    messages.getAllKeys(),
    attachments.getAllKeys(),
    presets.getAll(),
  ]);
  const byConversation = messages.index('by-conversation');
  const lookalikes = await Promise.all(
    conversationsToCompare(data, stored).map(async (conversation) => ({
      conversation,
      messages: await byConversation.getAll(messagesOf(conversation.id)),
    })),
  );
  const planned = planImport(
    data,
    {
      conversationIds: new Set(stored.map(({ id }) => id)),
      messageIds: new Set(messageKeys),
      attachmentIds: new Set(attachmentKeys),
      presets: storedPresets,
      lookalikes,
    },
    () => crypto.randomUUID(),
  );
  // `add`, not `put`: should an id still collide, the import fails whole instead of overwriting anything.
  await requestAll([
    ...planned.conversationRecords.map((conversation) => () => conversations.add(conversation)),
    ...planned.messageRecords.map((message) => () => messages.add(message)),
    ...planned.attachmentRecords.map((attachment) => () => attachments.add(attachment)),
    ...planned.presetRecords.map((preset) => () => presets.add(preset)),
  ]);
  return planned;
}

/** Everything but the settings, in one read transaction. */
export async function readAll(db: ChatDatabase): Promise<StoredRecords> {
  const tx = db.transaction(['conversations', 'messages', 'attachments', 'presets']);
  const [conversations, messages, attachments, presets] = await Promise.all([
    tx.objectStore('conversations').index('by-updatedAt').getAll(),
    tx.objectStore('messages').index('by-conversation').getAll(),
    tx.objectStore('attachments').getAll(),
    tx.objectStore('presets').getAll(),
  ]);
  return {
    conversations: conversations.reverse(),
    messages,
    attachments: attachments.sort(byAttachmentCreation),
    presets,
  };
}

/** Counts and sizes of every conversation, message and attachment. */
export async function measure(db: ChatDatabase): Promise<ConversationsSize> {
  const size = { conversations: 0, messages: 0, attachments: 0, approximateBytes: 0, attachmentBytes: 0 };
  await forEachConversation(db, (conversation, messages) => {
    size.conversations++;
    size.messages += messages.length;
    size.approximateBytes += approximateSize([conversation]) + approximateSize(messages);
  });
  const attachments = await db.getAll('attachments');
  size.attachments = attachments.length;
  size.attachmentBytes = attachmentsSize(attachments);
  size.approximateBytes += size.attachmentBytes;
  return size;
}
