import type { ReactiveControllerHost } from 'lit';
import type { BackupReport } from '../components/mc-backup-panel.js';
import type { ActionOutcome, ChatActions } from '../state/app-state.js';

type BackupActions = Pick<ChatActions, 'exportAll' | 'exportConversation' | 'importBackup'>;

/**
 * Runs the backup panel's Export and Import and keeps what the last one came to (`report`), for the panel to show
 * where the button was pressed: the app's own alerts sit behind the modal Settings dialog. The report is what the
 * action returned, so an alert that arrives meanwhile from elsewhere (a streaming reply's failed save) is neither
 * taken for its failure nor dismissed.
 */
export class BackupReporter {
  report: BackupReport | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #actions: () => BackupActions | undefined;

  constructor(host: ReactiveControllerHost, actions: () => BackupActions | undefined) {
    this.#host = host;
    this.#actions = actions;
  }

  /** Listeners for the panel's `mc-export-all`, `mc-import-backup` and `mc-export-conversation`. */
  readonly onExportAll = (): void => {
    void this.#run('Preparing the backup…', (actions) => actions.exportAll());
  };

  readonly onImport = (event: HTMLElementEventMap['mc-import-backup']): void => {
    const { file } = event.detail;
    void this.#run(`Importing ${file.name}…`, (actions) => actions.importBackup(file));
  };

  readonly onExportConversation = (event: HTMLElementEventMap['mc-export-conversation']): void => {
    const { id } = event.detail;
    void this.#run('Preparing the file…', (actions) => actions.exportConversation(id));
  };

  /** Forgets the last outcome (Settings opened afresh). */
  clear(): void {
    this.#set(null);
  }

  /** Shows `working` until the action ends, then what it came to. */
  async #run(working: string, action: (actions: BackupActions) => Promise<ActionOutcome>): Promise<void> {
    const actions = this.#actions();
    if (!actions) return;
    this.#set({ kind: 'working', message: working });
    const { ok, message } = await action(actions);
    this.#set({ kind: ok ? 'done' : 'failed', message });
  }

  #set(report: BackupReport | null): void {
    this.report = report;
    this.#host.requestUpdate();
  }
}
