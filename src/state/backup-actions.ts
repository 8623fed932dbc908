/**
 * Export and import. Each returns what it came to (`ActionOutcome`) for the Backup panel to say, instead of raising
 * an alert: an alert raised meanwhile by something else (a streaming reply's failed save) is that thing's own, and
 * stays on the list. The export and import code loads on first use.
 */
import { visiblePath } from '../domain/branches.js';
import type { ChatRepository } from '../storage/types.js';
import { errorMessage, type AlertBoard } from './alert-board.js';
import type { ActionOutcome } from './app-state.js';
import type { ConversationOpener } from './conversation-opener.js';
import { mergeConversation } from './open-conversation.js';
import { markInterrupted } from './reducers.js';
import type { ReplyRunner } from './reply-runner.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

export const BACKUP_CODE_UNAVAILABLE =
  'Export and import could not be loaded, so nothing was exported or imported. Check your connection, then reload the page.';

export const CONVERSATION_GONE = 'This conversation no longer exists, so nothing was exported.';

type BackupCode = typeof import('../storage/backup.js');

export interface BackupActionsDeps {
  store: Store;
  repository: ChatRepository;
  queue: WriteQueue;
  alerts: AlertBoard;
  opener: ConversationOpener;
  replies: ReplyRunner;
  /** Hands an exported file to the user. */
  saveFile: (name: string, blob: Blob) => void;
  /** Runs the search shown again: an import may add to what it finds. */
  refreshSearch: () => void;
  now: () => number;
}

function describeCount(count: number): string {
  return count === 1 ? '1 conversation' : `${count.toLocaleString('en')} conversations`;
}

function failed(message: string): ActionOutcome {
  return { ok: false, message };
}

export class BackupActions {
  readonly #deps: BackupActionsDeps;

  constructor(deps: BackupActionsDeps) {
    this.#deps = deps;
  }

  async exportAll(): Promise<ActionOutcome> {
    return this.#withCode(async (backup) => {
      // The streaming reply as far as it got; if that save fails, the export still holds everything saved before.
      await this.#deps.replies.flush().catch(() => undefined);
      const date = new Date(this.#deps.now());
      const text = await backup.exportAll(this.#deps.repository, date);
      this.#deps.saveFile(backup.backupFileName(date), new Blob([text], { type: 'application/json' }));
      const count = this.#deps.store.getState().conversations.length;
      return { ok: true, message: `Exported ${describeCount(count)}. The file is in your downloads.` };
    });
  }

  async exportConversation(id: string): Promise<ActionOutcome> {
    const { store, repository, opener } = this.#deps;
    return this.#withCode(async (backup) => {
      await opener.untilWhole();
      const conversation =
        store.getState().conversations.find((existing) => existing.id === id) ?? (await repository.getConversation(id));
      if (!conversation) return failed(CONVERSATION_GONE);
      const path =
        opener.current?.id === id
          ? store.getState().messages
          : visiblePath(
              markInterrupted(await repository.listMessages(id), this.#deps.now()),
              conversation.activeLeafId,
            ).map((entry) => entry.message);
      const markdown = backup.exportConversationMarkdown(conversation, path, new Date(this.#deps.now()));
      this.#deps.saveFile(backup.markdownFileName(conversation.title), new Blob([markdown], { type: 'text/markdown' }));
      return { ok: true, message: `Saved “${conversation.title}” as Markdown. The file is in your downloads.` };
    });
  }

  /**
   * All of the file is checked before anything is written; a broken or foreign file changes nothing. On success the
   * notice says what was added too, and the list shows it.
   */
  async importBackup(file: Blob): Promise<ActionOutcome> {
    const { store, repository, queue, alerts } = this.#deps;
    return this.#withCode(async (backup) => {
      const outcome = await backup.importBackupFile(repository, file);
      if (!outcome.ok) return failed(outcome.message);
      const message = backup.importSummaryMessage(outcome.summary);
      alerts.notify(message);
      // The import itself is done: a failure to list what it added is storage's own alert, not the import's.
      await alerts.guard(() =>
        queue.exclusive(async () => {
          const stored = await repository.listConversations();
          store.update((state) => {
            const held = new Map(state.conversations.map((conversation) => [conversation.id, conversation]));
            const conversations = stored
              .map((conversation) => mergeConversation(held.get(conversation.id), conversation))
              .sort((a, b) => b.updatedAt - a.updatedAt);
            return { ...state, conversations };
          });
        }),
      );
      this.#deps.refreshSearch();
      return { ok: true, message };
    });
  }

  /** Runs `action` with the backup code loaded; what fails (loading it, or the action) is the outcome's message. */
  async #withCode(action: (backup: BackupCode) => Promise<ActionOutcome>): Promise<ActionOutcome> {
    let backup: BackupCode;
    try {
      backup = await import('../storage/backup.js');
    } catch {
      return failed(BACKUP_CODE_UNAVAILABLE);
    }
    try {
      return await action(backup);
    } catch (error) {
      return failed(errorMessage(error));
    }
  }
}
