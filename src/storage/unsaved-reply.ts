import type { MessageRecord } from '../domain/records.js';

/**
 * A last copy of the streaming reply, written synchronously when the page is hidden or closed. IndexedDB writes are
 * asynchronous, and a transaction started while a tab closes may never commit; localStorage is written before the
 * handler returns. The next start compares it with what IndexedDB holds and keeps the newer text.
 */
export interface UnsavedReplyStore {
  save(message: MessageRecord): void;
  /** Reads the copy and removes it. */
  take(): MessageRecord | undefined;
  discard(messageId: string): void;
}

const KEY = 'mc-unsaved-reply';

export function localUnsavedReplyStore(storage: Storage | undefined = globalThis.localStorage): UnsavedReplyStore {
  return {
    save(message) {
      try {
        storage?.setItem(KEY, JSON.stringify(message));
      } catch {
        // Full or refused: the IndexedDB writes made every 500 ms still stand.
      }
    },
    take() {
      try {
        const text = storage?.getItem(KEY);
        storage?.removeItem(KEY);
        return text ? asReply(JSON.parse(text)) : undefined;
      } catch {
        return undefined;
      }
    },
    discard(messageId) {
      try {
        const text = storage?.getItem(KEY);
        if (text && asReply(JSON.parse(text))?.id === messageId) storage?.removeItem(KEY);
      } catch {
        storage?.removeItem(KEY);
      }
    },
  };
}

/** Only the fields the restore uses, checked: anything else in localStorage is ignored. */
function asReply(value: unknown): MessageRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Partial<MessageRecord>;
  const valid =
    typeof record.id === 'string' &&
    typeof record.conversationId === 'string' &&
    record.role === 'assistant' &&
    typeof record.content === 'string' &&
    typeof record.updatedAt === 'number';
  return valid ? (record as MessageRecord) : undefined;
}
