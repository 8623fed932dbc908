import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import '../components/mc-alert-list.js';
import '../components/mc-composer.js';
import '../components/mc-conversation-list.js';
import '../components/mc-help-dialog.js';
import '../components/mc-transcript.js';
import '../components/mc-undo-bar.js';
import '../components/mc-welcome.js';
import { eraserIcon, keyboardIcon, menuIcon, settingsIcon, sparkIcon } from '../components/icons.js';
import { emit } from '../components/events.js';
import { deepActiveElement, focusIsLost } from '../components/focus.js';
import type { BackupReport, McBackupPanel } from '../components/mc-backup-panel.js';
import type { McComposer } from '../components/mc-composer.js';
import type { McConversationList } from '../components/mc-conversation-list.js';
import type { McHelpDialog } from '../components/mc-help-dialog.js';
import type { McSettingsDialog } from '../components/mc-settings-dialog.js';
import type { AppNotice, AppState, CatalogueView, ChatActions, StateSource } from '../state/app-state.js';
import { whenIdle } from '../state/idle.js';
import type { RetryNotice } from '../engines/types.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { applyTheme, type ThemePreference } from '../styles/theme.js';
import type { EngineRecommendation } from '../components/mc-welcome.js';
import { describeShortcuts, isApplePlatform, isTextEntry, matchShortcut } from './shortcuts.js';
import { loadTheme, loadWelcomeDismissed, saveTheme, saveWelcomeDismissed } from './ui-preferences.js';

/** Below this width the conversation list becomes a drawer. Keep in step with the media queries in `styles`. */
const NARROW_QUERY = '(max-width: 720px)';
/** rAF never fires in a background tab; this timer still does (throttled), so streamed text keeps arriving. */
const BACKGROUND_RENDER_MS = 250;
const TOAST_MS = 2500;
/** A notice (an import's summary) says more than "Copied": it stays longer. */
const NOTICE_MS = 6000;

const SETTINGS_UNAVAILABLE = 'Settings could not be loaded. Check your connection, then reload the page.';

/**
 * Settings (and the backup panel inside it) is not part of the first screen: its code loads when the page is idle,
 * or at the latest when Settings is first opened.
 */
function loadSettingsCode(): Promise<unknown> {
  return Promise.all([import('../components/mc-settings-dialog.js'), import('../components/mc-backup-panel.js')]);
}

function describeCount(count: number): string {
  return count === 1 ? '1 conversation' : `${count.toLocaleString('en')} conversations`;
}

function describeRetry(notice: RetryNotice): string {
  // A retry at once (the local engine restarting its worker) has no wait to count down.
  return notice.delayMs > 0 ? `${notice.reason} — retrying in ${Math.ceil(notice.delayMs / 1000)} s` : notice.reason;
}

/**
 * The application: the conversation list (a drawer on narrow screens), the open conversation with its header,
 * alerts, retry notice and message box, and the Settings and Keyboard shortcuts dialogs. It renders what `source`
 * says and turns the components' events into calls on `actions`; it holds no chat state of its own.
 *
 * Keyboard shortcuts (listed in the help dialog, ⌘ on Apple platforms, Ctrl elsewhere): Ctrl+Shift+O new chat,
 * Ctrl+K search, "/" the message box, "?" the help, Escape stops a reply. None acts while a dialog is open: there
 * Escape closes the dialog.
 *
 * Until it is dismissed or a first message is sent, a welcome takes the empty conversation's place. It and the theme
 * are remembered in localStorage and read in the constructor, so the first render is already right.
 *
 * While a reply streams, renders are coalesced to one per animation frame; any other change renders at once.
 *
 * The engine line is the app's only `role="status"` (the UI contract's engine status); the retry notice, the update
 * prompt and the copy toast sit in plain polite live regions, none nested in another, so a `getByRole('status')`
 * query finds exactly one. The controller's notices
 * (an import's summary) show in that toast; an Undo after a deletion shows at the foot of the sidebar.
 *
 * Settings holds the backup panel (Export, Import, storage use): it is this element's, kept as a node, and it shows
 * the outcome of what was started from it, since the app's own alerts sit behind the modal dialog.
 *
 */
@customElement('mc-chat-app')
export class McChatApp extends LitElement {
  static override styles = [
    buttons,
    focusRing,
    visuallyHidden,
    css`
      /*
       * clip, not hidden: a hidden overflow is still scrolled by scrollIntoView() and focus(), which could push the
       * top bar off screen with no scrollbar to bring it back.
       */
      :host {
        display: block;
        height: 100dvh;
        overflow: clip;
        background: var(--mc-color-bg);
        color: var(--mc-color-text);
        font-family: var(--mc-font-sans);
        font-size: var(--mc-font-size-md);
      }
      .layout {
        display: grid;
        grid-template-columns: var(--mc-sidebar-width) minmax(0, 1fr);
        height: 100%;
      }
      .sidebar {
        display: flex;
        flex-direction: column;
        min-height: 0;
        border-right: 1px solid var(--mc-color-border);
        background: var(--mc-color-surface);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        margin: 0;
        padding: var(--mc-space-4) var(--mc-space-4) 0;
        font-weight: var(--mc-font-weight-bold);
      }
      .brand svg {
        width: 1.25rem;
        height: 1.25rem;
        color: var(--mc-color-accent);
      }
      mc-conversation-list {
        flex: 1;
        min-height: 0;
      }
      mc-undo-bar::part(bar) {
        margin: 0 var(--mc-space-3) var(--mc-space-3);
      }
      main {
        display: flex;
        flex-direction: column;
        min-width: 0;
        min-height: 0;
      }
      .topbar {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        min-height: 3.5rem;
        padding: var(--mc-space-2) var(--mc-space-3) var(--mc-space-2) var(--mc-space-5);
        border-bottom: 1px solid var(--mc-color-border);
      }
      .heading {
        flex: 1;
        min-width: 0;
      }
      h1 {
        margin: 0;
        overflow: hidden;
        font-size: var(--mc-font-size-md);
        font-weight: var(--mc-font-weight-bold);
        line-height: var(--mc-line-height-tight);
        white-space: nowrap;
        text-overflow: ellipsis;
      }
      .engine-status {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        overflow: hidden;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
        white-space: nowrap;
        text-overflow: ellipsis;
      }
      .dot {
        flex: none;
        width: 0.5rem;
        height: 0.5rem;
        border-radius: 50%;
        background: var(--mc-color-success);
      }
      .dot.unavailable {
        background: var(--mc-color-warning);
      }
      .offline {
        flex: none;
        padding: 0 var(--mc-space-2);
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-warning-soft);
        color: var(--mc-color-text);
        font-weight: var(--mc-font-weight-bold);
      }
      .update {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--mc-space-3);
        margin: var(--mc-space-2) var(--mc-space-4) 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        border: 1px solid var(--mc-color-border);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-surface);
        font-size: var(--mc-font-size-sm);
      }
      .engine-status span:last-child {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .menu-button {
        display: none;
      }
      mc-alert-list,
      .notices:has(.retry) {
        box-sizing: border-box;
        width: 100%;
        max-width: var(--mc-content-width);
        margin: var(--mc-space-3) auto 0;
        padding: 0 var(--mc-space-4);
      }
      mc-transcript,
      mc-welcome {
        flex: 1;
        min-height: 0;
      }
      mc-transcript[hidden] {
        display: none;
      }
      .retry {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-3);
        padding: var(--mc-space-2) var(--mc-space-2) var(--mc-space-2) var(--mc-space-4);
        border-radius: var(--mc-radius-md);
        background: var(--mc-color-warning-soft);
        color: var(--mc-color-text);
        font-size: var(--mc-font-size-sm);
      }
      .retry .attempt {
        flex: 1;
        color: var(--mc-color-text-muted);
        font-size: var(--mc-font-size-xs);
      }
      .composer-area {
        box-sizing: border-box;
        width: 100%;
        max-width: var(--mc-content-width);
        margin: 0 auto;
        padding: var(--mc-space-3) var(--mc-space-4) var(--mc-space-4);
      }
      .toast {
        position: fixed;
        bottom: var(--mc-space-6);
        left: 50%;
        z-index: 30;
        transform: translateX(-50%);
        padding: var(--mc-space-2) var(--mc-space-4);
        border-radius: var(--mc-radius-pill);
        background: var(--mc-color-text);
        color: var(--mc-color-bg);
        box-shadow: var(--mc-shadow-lg);
        font-size: var(--mc-font-size-sm);
      }
      .toast:not(.shown) {
        display: none;
      }
      .scrim {
        display: none;
      }
      @media (max-width: 720px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
        .sidebar {
          position: fixed;
          inset: 0 auto 0 0;
          z-index: 20;
          width: min(85vw, 20rem);
          visibility: hidden;
          transform: translateX(-100%);
          box-shadow: var(--mc-shadow-lg);
          transition:
            transform var(--mc-duration-normal) var(--mc-easing),
            visibility 0s linear var(--mc-duration-normal);
        }
        .sidebar.open {
          visibility: visible;
          transform: none;
          transition: transform var(--mc-duration-normal) var(--mc-easing);
        }
        .scrim.open {
          position: fixed;
          inset: 0;
          z-index: 10;
          display: block;
          background: var(--mc-color-scrim);
        }
        .menu-button {
          display: inline-flex;
        }
        .topbar {
          padding-left: var(--mc-space-2);
        }
      }
      /* Phones and tablets without a keyboard have no use for the shortcut list. */
      @media (hover: none) and (pointer: coarse) {
        .help-button {
          display: none;
        }
      }
    `,
  ];

  #subscribedTo: StateSource | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The newest state not yet rendered while a reply streams. */
  #latest: AppState | null = null;
  #frame: { raf: number; timer: ReturnType<typeof setTimeout> } | null = null;
  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #narrow = window.matchMedia(NARROW_QUERY);
  readonly #apple = isApplePlatform();
  readonly #shortcuts = describeShortcuts(this.#apple);
  /** What had focus when the drawer opened, to give it back when the drawer closes. */
  #drawerOpener: HTMLElement | null = null;
  /** Export, Import and storage use, shown in Settings. */
  readonly #backupPanel: McBackupPanel = document.createElement('mc-backup-panel');
  /** The last notice shown, so each one is shown once. */
  #shownNoticeId: number | null = null;
  /** The newest notice received: it is dismissed as soon as shown, but an import still reports it as its outcome. */
  #latestNotice: AppNotice | null = null;

  @query('mc-settings-dialog') private settingsDialog!: McSettingsDialog;
  @query('mc-help-dialog') private helpDialog!: McHelpDialog;
  @query('mc-composer') private composer!: McComposer;
  @query('mc-conversation-list') private conversationList!: McConversationList;
  @query('.menu-button') private menuButton!: HTMLButtonElement;

  @state() private appState: AppState | null = null;
  @state() private drawerOpen = false;
  @state() private toast = '';
  @state() private theme: ThemePreference = loadTheme();
  @state() private welcomeDismissed = loadWelcomeDismissed();
  /** The outcome of the last Export or Import, shown in the backup panel. */
  @state() private backupReport: BackupReport | null = null;

  /** Where the state comes from: subscribed while this element is connected. */
  @property({ attribute: false }) source: StateSource | undefined;
  /** What the UI's requests are sent to. */
  @property({ attribute: false }) actions: ChatActions | undefined;
  /** The hosted models for the provider chosen, shown in Settings; undefined until looked up (never in local mode). */
  @property({ attribute: false }) catalogue: CatalogueView | undefined;
  /** Whether this device can run the local model; shown on the "This device" choice in Settings. */
  @property({ attribute: false }) localAvailable = true;
  /** Why it cannot, in one sentence. */
  @property({ attribute: false }) localUnavailableReason = '';
  /** The local model chooser and download, shown in Settings while "This device" is the engine. */
  @property({ attribute: false }) localPanel: Node | null = null;
  /** Whether the browser has a network; the app says "Offline" when not (the local engine still works). */
  @property({ attribute: false }) online = true;
  /** Set when a new version of the app is installed and waiting: calling it switches to it and reloads. */
  @property({ attribute: false }) updateReady: (() => Promise<void>) | null = null;
  /** Which engine the welcome recommends for this device, from the GPU check; `null` until it is known. */
  @property({ attribute: false }) recommendation: EngineRecommendation | null = null;

  constructor() {
    super();
    // Before the first render: a saved Light or Dark must not flash the system's scheme first.
    applyTheme(this.theme);
    this.#backupPanel.addEventListener('mc-export-all', () => void this.#onExportAll());
    this.#backupPanel.addEventListener('mc-import-backup', (event) => void this.#onImport(event.detail.file));
    this.#backupPanel.addEventListener(
      'mc-export-conversation',
      (event) => void this.#onExportConversation(event.detail.id),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    whenIdle(() => void loadSettingsCode().catch(() => undefined));
    this.#subscribe();
    this.#narrow.addEventListener('change', this.#onNarrowChange);
    window.addEventListener('keydown', this.#onShortcut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#subscribe();
    this.#cancelFrame();
    clearTimeout(this.#toastTimer);
    this.#narrow.removeEventListener('change', this.#onNarrowChange);
    window.removeEventListener('keydown', this.#onShortcut);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source')) this.#subscribe();
    const state = this.appState;
    if (state) {
      this.#backupPanel.storage = state.storage;
      this.#backupPanel.conversationId = state.activeConversationId;
    }
    this.#backupPanel.report = this.backupReport;
  }

  protected override updated(): void {
    const notice = this.appState?.notice;
    if (notice && notice.id !== this.#shownNoticeId) {
      this.#shownNoticeId = notice.id;
      this.showToast(notice.message, NOTICE_MS);
      this.actions?.dismissNotice(notice.id);
    }
  }

  /** Subscribes to `source` while connected, and to nothing otherwise; a no-op when already so. */
  #subscribe(): void {
    const source = this.isConnected ? (this.source ?? null) : null;
    if (source === this.#subscribedTo) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribedTo = source;
    if (source === null) return;
    this.#unsubscribe = source.subscribe((next) => this.#receive(next));
    this.#latest = source.getState();
    this.#applyLatest();
  }

  #receive(next: AppState): void {
    this.#latest = next;
    if (next.notice) this.#latestNotice = next.notice;
    if (next.streamingMessageId === null) {
      this.#applyLatest();
    } else if (this.#frame === null) {
      const apply = () => this.#applyLatest();
      this.#frame = { raf: requestAnimationFrame(apply), timer: setTimeout(apply, BACKGROUND_RENDER_MS) };
    }
  }

  #applyLatest(): void {
    this.#cancelFrame();
    this.appState = this.#latest;
  }

  #cancelFrame(): void {
    if (this.#frame === null) return;
    cancelAnimationFrame(this.#frame.raf);
    clearTimeout(this.#frame.timer);
    this.#frame = null;
  }

  readonly #onNarrowChange = (): void => {
    if (!this.#narrow.matches) this.drawerOpen = false;
  };

  /** Opens the drawer (on a narrow screen) and puts focus in it: on "New chat", or in the search box. */
  async #openDrawer(focus: 'list' | 'search'): Promise<void> {
    if (this.#narrow.matches && !this.drawerOpen) {
      this.#drawerOpener = deepActiveElement();
      this.drawerOpen = true;
      await this.updateComplete;
    }
    if (focus === 'search') this.conversationList.focusSearch();
    else this.conversationList.focus();
  }

  /** Closes the drawer and gives focus back to what opened it, unless the caller moves focus itself. */
  async #closeDrawer(restoreFocus = true): Promise<void> {
    if (!this.drawerOpen) return;
    this.drawerOpen = false;
    const opener = this.#drawerOpener?.isConnected ? this.#drawerOpener : this.menuButton;
    this.#drawerOpener = null;
    // The main column is inert until this render lifts it.
    await this.updateComplete;
    if (restoreFocus) opener.focus();
  }

  async #openSettings(options: Parameters<McSettingsDialog['show']>[0] = {}): Promise<void> {
    try {
      await loadSettingsCode();
    } catch {
      this.actions?.showAlert(SETTINGS_UNAVAILABLE);
      return;
    }
    this.backupReport = null;
    // Defined just now, the dialog renders its <dialog> in its first update.
    await this.settingsDialog.updateComplete;
    if (!this.isConnected) return;
    void this.settingsDialog.show(options);
    emit(this, 'mc-settings-open', undefined);
    void this.actions?.refreshStorageUsage();
  }

  async #focusComposer(): Promise<void> {
    await this.#closeDrawer(false);
    this.composer.focus();
  }

  get #welcomeShown(): boolean {
    return !this.welcomeDismissed && this.appState?.ready === true && this.appState.messages.length === 0;
  }

  #dismissWelcome(): void {
    this.welcomeDismissed = true;
    saveWelcomeDismissed();
  }

  async #onDismissWelcome(): Promise<void> {
    this.#dismissWelcome();
    await this.updateComplete;
    // "Got it" went away with the welcome: the next thing to do is to write.
    if (focusIsLost()) this.composer.focus();
  }

  readonly #onShortcut = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing || this.appState === null) return;
    const action = matchShortcut(event, this.#apple);
    // A modal dialog owns the keyboard: Escape closes it, and nothing behind it may take focus.
    if (action === null || this.settingsDialog.open || this.helpDialog.open) return;
    const typing = isTextEntry(event.composedPath()[0]);
    if (action === 'stop' && this.appState.streamingMessageId === null) return;
    if ((action === 'focus-message' || action === 'help') && typing) return;
    event.preventDefault();
    switch (action) {
      case 'new-chat':
        void this.#onNewConversation();
        break;
      case 'search':
        void this.#openDrawer('search');
        break;
      case 'stop':
        this.actions?.stop();
        break;
      case 'focus-message':
        void this.#focusComposer();
        break;
      case 'help':
        this.helpDialog.show();
        break;
    }
  };

  async #onSend(text: string): Promise<void> {
    if (this.#welcomeShown) {
      this.#dismissWelcome();
      // The transcript (and its live region) comes back before the first message goes into it, so the reply's
      // "Assistant is replying…" lands in a region screen readers already know about.
      await this.updateComplete;
    }
    void this.actions?.send(text);
  }

  async #onChooseEngine(event: HTMLElementEventMap['mc-choose-engine']): Promise<void> {
    const { engine } = event.detail;
    this.#dismissWelcome();
    void this.actions?.updateSettings({ engine });
    // Settings shows the next step: the model download for this device, the token for the Hugging Face API.
    await this.updateComplete;
    await this.#openSettings({ focus: engine === 'hosted' ? 'hfToken' : undefined, returnFocusTo: this.composer });
  }

  #onThemeChange(event: HTMLElementEventMap['mc-theme-change']): void {
    this.theme = event.detail.theme;
    saveTheme(this.theme);
    applyTheme(this.theme);
  }

  #onSidebarKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.drawerOpen) {
      event.preventDefault();
      void this.#closeDrawer();
    }
  }

  async #onNewConversation(): Promise<void> {
    void this.actions?.newConversation();
    await this.#focusComposer();
  }

  #onOpenConversation(event: HTMLElementEventMap['mc-open-conversation']): void {
    const { id, messageId } = event.detail;
    void this.#closeDrawer();
    if (messageId === undefined) void this.actions?.openConversation(id);
    else void this.actions?.openConversation(id, messageId);
  }

  async #onUndo(): Promise<void> {
    const id = this.appState?.undo?.conversationId;
    await this.actions?.undoDelete();
    await this.updateComplete;
    await this.conversationList.updateComplete;
    // "Undo" went away with the offer: focus goes to what it brought back.
    if (id !== undefined && focusIsLost()) await this.conversationList.focusConversation(id);
  }

  #onRegenerate(event: HTMLElementEventMap['mc-regenerate']): void {
    const { messageId } = event.detail;
    const message = this.appState?.messages.find((candidate) => candidate.id === messageId);
    // On the user's last message (its reply was never saved), Regenerate asks for that missing reply.
    if (message?.role === 'user') void this.actions?.retry();
    else void this.actions?.regenerate(messageId);
  }

  #onEditMessage(event: HTMLElementEventMap['mc-edit-message']): void {
    void this.actions?.editMessage(event.detail.messageId, event.detail.text);
    // The edit becomes a new message, so the one whose Save had focus goes: the message box takes it (where Stop is).
    requestAnimationFrame(() => {
      if (focusIsLost()) this.composer.focus();
    });
  }

  /**
   * Runs a backup action and tells the backup panel how it went: an alert raised meanwhile is its failure (shown in
   * the panel, and taken off the app's list while Settings is open: behind the modal dialog no one could see it).
   */
  async #reportBackup(
    working: string,
    run: (actions: ChatActions) => Promise<void>,
    success: (after: AppState, notice: AppNotice | null) => string,
  ): Promise<void> {
    const before = this.source?.getState();
    const actions = this.actions;
    if (!before || !actions) return;
    const noticeBefore = this.#latestNotice;
    this.backupReport = { kind: 'working', message: working };
    await run(actions);
    const after = this.source?.getState() ?? before;
    const failure = after.alerts.find((alert) => !before.alerts.some(({ id }) => id === alert.id));
    if (failure) {
      this.backupReport = { kind: 'failed', message: failure.message };
      if (this.settingsDialog.open) actions.dismissAlert(failure.id);
    } else {
      const notice = this.#latestNotice === noticeBefore ? null : this.#latestNotice;
      this.backupReport = { kind: 'done', message: success(after, notice) };
    }
  }

  async #onExportAll(): Promise<void> {
    await this.#reportBackup(
      'Preparing the backup…',
      (actions) => actions.exportAll(),
      (after) => `Exported ${describeCount(after.conversations.length)}. The file is in your downloads.`,
    );
  }

  async #onImport(file: File): Promise<void> {
    await this.#reportBackup(
      `Importing ${file.name}…`,
      (actions) => actions.importBackup(file),
      (_after, notice) => notice?.message ?? `Imported ${file.name}.`,
    );
  }

  async #onExportConversation(id: string): Promise<void> {
    const title = this.appState?.conversations.find((conversation) => conversation.id === id)?.title ?? 'Untitled';
    await this.#reportBackup(
      'Preparing the file…',
      (actions) => actions.exportConversation(id),
      () => `Saved “${title}” as Markdown. The file is in your downloads.`,
    );
  }

  #onCopy(event: HTMLElementEventMap['mc-copy']): void {
    this.showToast(event.detail.copied ? 'Copied to clipboard' : 'Could not copy: the browser blocked the clipboard.');
  }

  #renderRetry(notice: RetryNotice | null) {
    return html`<div class="notices" aria-live="polite">
      ${
        notice
          ? html`<div class="retry">
              <span>${describeRetry(notice)}</span>
              <span class="attempt">Attempt ${notice.attempt} of ${notice.maxAttempts}</span>
              <button class="button ghost" @click=${() => this.actions?.stop()}>Cancel</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  /** A short, polite confirmation that fades on its own (copied, ready offline, imported). */
  showToast(message: string, durationMs = TOAST_MS): void {
    clearTimeout(this.#toastTimer);
    this.toast = message;
    this.#toastTimer = setTimeout(() => (this.toast = ''), durationMs);
  }

  override render() {
    const state = this.appState;
    // Until there is a state to show, the page's own placeholder (its children in index.html) shows.
    if (state === null) return html`<slot></slot>`;
    const active = state.conversations.find((conversation) => conversation.id === state.activeConversationId);
    const { engineStatus } = state;
    const narrowDrawer = this.drawerOpen && this.#narrow.matches;
    return html`<div class="layout">
        <div
          class="sidebar ${this.drawerOpen ? 'open' : ''}"
          id="sidebar"
          role=${narrowDrawer ? 'dialog' : nothing}
          aria-modal=${narrowDrawer ? 'true' : nothing}
          aria-label=${narrowDrawer ? 'Conversations menu' : nothing}
          @keydown=${this.#onSidebarKeydown}
        >
          <header class="brand">${sparkIcon} Private Mistral Chat</header>
          <mc-conversation-list
            .conversations=${state.conversations}
            .activeId=${state.activeConversationId}
            .search=${state.search}
            @mc-search=${(event: HTMLElementEventMap['mc-search']) => void this.actions?.search(event.detail.query)}
            @mc-new-conversation=${this.#onNewConversation}
            @mc-open-conversation=${this.#onOpenConversation}
            @mc-rename-conversation=${(event: HTMLElementEventMap['mc-rename-conversation']) =>
              void this.actions?.renameConversation(event.detail.id, event.detail.title)}
            @mc-delete-conversation=${(event: HTMLElementEventMap['mc-delete-conversation']) =>
              void this.actions?.deleteConversation(event.detail.id)}
          ></mc-conversation-list>
          <mc-undo-bar
            .offer=${state.undo}
            @mc-undo=${this.#onUndo}
            @mc-dismiss-undo=${() => this.actions?.dismissUndo()}
          ></mc-undo-bar>
        </div>
        <div class="scrim ${narrowDrawer ? 'open' : ''}" @pointerdown=${() => this.#closeDrawer()}></div>
        <main ?inert=${narrowDrawer}>
          <div class="topbar">
            <button
              class="icon-button ghost menu-button"
              aria-label="Conversations menu"
              aria-expanded=${this.drawerOpen ? 'true' : 'false'}
              aria-controls="sidebar"
              aria-haspopup="dialog"
              @click=${() => this.#openDrawer('list')}
            >
              ${menuIcon}
            </button>
            <div class="heading">
              <h1>${active?.title ?? 'New chat'}</h1>
              <div class="engine-status" role="status">
                <span class="dot ${engineStatus.available ? '' : 'unavailable'}"></span>
                ${this.online ? nothing : html`<span class="offline">Offline</span>`}
                <span>${engineStatus.label}${engineStatus.detail ? ` · ${engineStatus.detail}` : ''}</span>
              </div>
            </div>
            <button
              class="icon-button ghost"
              aria-label="Clear conversation"
              title="Clear conversation"
              ?disabled=${state.messages.length === 0}
              @click=${() => void this.actions?.clear()}
            >
              ${eraserIcon}
            </button>
            <button
              class="icon-button ghost help-button"
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
              @click=${() => this.helpDialog.show()}
            >
              ${keyboardIcon}
            </button>
            <button
              class="icon-button ghost"
              aria-label="Settings"
              title="Settings"
              @click=${() => void this.#openSettings()}
            >
              ${settingsIcon}
            </button>
          </div>
          <div aria-live="polite">
            ${
              this.updateReady
                ? html`<div class="update">
                    <span>A new version is available.</span>
                    <button class="button" @click=${() => void this.updateReady?.()}>Reload</button>
                  </div>`
                : nothing
            }
          </div>
          ${
            state.alerts.length > 0
              ? html`<mc-alert-list
                  .alerts=${state.alerts}
                  @mc-dismiss-alert=${(event: HTMLElementEventMap['mc-dismiss-alert']) =>
                    this.actions?.dismissAlert(event.detail.id)}
                  @mc-alert-action=${(event: HTMLElementEventMap['mc-alert-action']) =>
                    void this.actions?.runAlertAction(event.detail.id)}
                ></mc-alert-list>`
              : nothing
          }
          ${
            this.#welcomeShown
              ? html`<mc-welcome
                  .recommendation=${this.recommendation}
                  @mc-choose-engine=${this.#onChooseEngine}
                  @mc-dismiss-welcome=${this.#onDismissWelcome}
                ></mc-welcome>`
              : nothing
          }
          <mc-transcript
            ?hidden=${this.#welcomeShown}
            .messages=${state.messages}
            .streamingMessageId=${state.streamingMessageId}
            ?loading=${!state.ready}
            ?earlier-loading=${state.earlierMessagesLoading}
            .alternatives=${state.alternatives}
            .focusedMessageId=${state.focusedMessageId}
            @mc-copy=${this.#onCopy}
            @mc-regenerate=${this.#onRegenerate}
            @mc-edit-message=${this.#onEditMessage}
            @mc-show-alternative=${(event: HTMLElementEventMap['mc-show-alternative']) =>
              void this.actions?.showAlternative(event.detail.messageId, event.detail.direction)}
            @mc-continue=${(event: HTMLElementEventMap['mc-continue']) =>
              void this.actions?.continueReply(event.detail.messageId)}
          ></mc-transcript>
          ${this.#renderRetry(state.retryNotice)}
          <div class="composer-area">
            <mc-composer
              ?streaming=${state.streamingMessageId !== null}
              .draft=${state.draft}
              @mc-draft=${(event: HTMLElementEventMap['mc-draft']) => this.actions?.updateDraft(event.detail.text)}
              @mc-send=${(event: HTMLElementEventMap['mc-send']) => void this.#onSend(event.detail.text)}
              @mc-stop=${() => this.actions?.stop()}
            ></mc-composer>
          </div>
        </main>
      </div>
      <mc-settings-dialog
        .settings=${state.settings}
        .catalogue=${this.catalogue}
        .localAvailable=${this.localAvailable}
        .localUnavailableReason=${this.localUnavailableReason}
        .localPanel=${this.localPanel}
        .backupPanel=${this.#backupPanel}
        .theme=${this.theme}
        @mc-settings-change=${(event: HTMLElementEventMap['mc-settings-change']) =>
          void this.actions?.updateSettings(event.detail)}
        @mc-theme-change=${this.#onThemeChange}
      ></mc-settings-dialog>
      <mc-help-dialog .shortcuts=${this.#shortcuts}></mc-help-dialog>
      <div class="toast ${this.toast ? 'shown' : ''}" aria-live="polite">${this.toast}</div>`;
  }
}

declare global {
  interface HTMLElementEventMap {
    /** Settings was opened: the owner may prepare what it shows (the local model catalogue). */
    'mc-settings-open': CustomEvent<undefined>;
  }
  interface HTMLElementTagNameMap {
    'mc-chat-app': McChatApp;
  }
}
