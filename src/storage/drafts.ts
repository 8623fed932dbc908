/**
 * What the user typed in the message box and has not sent yet, per conversation, so that a reload, a closed tab or
 * a switch to another conversation loses none of it. In localStorage rather than IndexedDB: it is written when the
 * page is hidden or closed, and only a synchronous write is sure to land then. It never leaves this browser: no
 * export includes it, and deleting a conversation deletes its draft.
 */
export interface DraftStore {
  /** The draft of the conversation (null: a new chat not yet saved); empty when there is none. */
  load(conversationId: string | null): string;
  /** Keeps the text as the conversation's draft; empty text removes it. */
  save(conversationId: string | null, text: string): void;
}

const PREFIX = 'mc-draft:';
/** The key of a new chat's draft: no conversation id is empty. */
const NEW_CHAT = '';

export function localDraftStore(storage: Storage | undefined = globalThis.localStorage): DraftStore {
  const keyOf = (conversationId: string | null) => PREFIX + (conversationId ?? NEW_CHAT);
  return {
    load(conversationId) {
      try {
        return storage?.getItem(keyOf(conversationId)) ?? '';
      } catch {
        // Storage refused (blocked by the browser's settings): there is no draft to give back.
        return '';
      }
    },
    save(conversationId, text) {
      try {
        if (text === '') storage?.removeItem(keyOf(conversationId));
        else storage?.setItem(keyOf(conversationId), text);
      } catch {
        // Full or refused: the text is still in the box; only a closed tab would lose it.
      }
    },
  };
}
