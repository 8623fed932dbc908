import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import '../components/mc-alert-list.js';
import '../components/mc-composer.js';
import '../components/mc-conversation-list.js';
import '../components/mc-transcript.js';
import '../components/mc-undo-bar.js';
import '../components/mc-welcome.js';
import { StoreController } from '../components/controllers/store-controller.js';
import { eraserIcon, keyboardIcon, menuIcon, settingsIcon, sparkIcon } from '../components/icons.js';
import { emit } from '../components/events.js';
import { focusIsLost } from '../components/focus.js';
import type { McComposer } from '../components/mc-composer.js';
import type { McConversationList } from '../components/mc-conversation-list.js';
import type { McHelpDialog, ShortcutDescription } from '../components/mc-help-dialog.js';
import type { McSettingsDialog } from '../components/mc-settings-dialog.js';
import { localAvailability } from '../engines/webllm/local-model-state.js';
import type { AppState, ChatActions, SpeedTestState, StateSource } from '../state/app-state.js';
import { whenIdle } from '../state/idle.js';
import { presetFor } from '../state/preset-lookup.js';
import { buttons, focusRing, visuallyHidden } from '../styles/shared.js';
import { applyTheme, type ThemePreference } from '../styles/theme.js';
import { AttachmentWiring } from './attachment-wiring.js';
import { BackupReporter } from './backup-reporter.js';
import { DeletionFocus } from './deletion-focus.js';
import { DrawerController } from './drawer-controller.js';
import * as dialogs from './lazy-dialogs.js';
import { chatAppStyles } from './mc-chat-app.styles.js';
import { renderPresetPicker } from './preset-bar.js';
import { recommendEngine } from './recommendation.js';
import { isStreaming, onlyTheReplyGrew } from './reply-frames.js';
import { renderRetryNotice } from './retry-notice.js';
import { ShortcutController } from './shortcut-controller.js';
import type { ShortcutAction } from './shortcuts.js';
import { ToastController } from './toast-controller.js';
import { showsNoConversation } from './welcome-place.js';
import { loadTheme, loadWelcomeDismissed, saveTheme, saveWelcomeDismissed } from './ui-preferences.js';

/** A notice (an import's summary) says more than "Copied": it stays longer. */
const NOTICE_MS = 6000;

/**
 * The application: the conversation list (a drawer on narrow screens), the open conversation with its header,
 * alerts, retry notice and message box, and the Settings and Keyboard shortcuts dialogs. It renders what `source`
 * says and turns the components' events into calls on `actions`; it holds no chat state of its own.
 *
 * Keyboard shortcuts (listed in the help dialog, ⌘ on Apple platforms, Ctrl elsewhere): Ctrl+Shift+O new chat,
 * Ctrl+K search, "/" the message box, "?" the help, Escape stops a reply. None acts while a dialog is open: there
 * Escape closes the dialog.
 *
 * Until it is dismissed or a first message is sent, a welcome takes the empty conversation's place; its
 * recommendation comes from the local model's state (`state.local`). It and the theme are remembered in localStorage
 * and read in the constructor, so the first render is already right.
 *
 * Outside Settings, the engine line is the only `role="status"` (the UI contract's engine status; the local model
 * panel in Settings has its own); the retry notice, the update prompt and the copy toast sit in plain polite live
 * regions, none nested in another, so a `getByRole('status')` query on the page finds exactly one. The state's notices
 * (an import's summary) show in that toast; an Undo after a deletion shows at the foot of the sidebar for a
 * conversation, above the message box for messages (on a narrow screen the sidebar is a closed drawer).
 *
 * Settings holds the local model panel (its code loads when Settings first opens) and the backup panel, which shows
 * what its Export or Import came to, since the app's own alerts sit behind the modal dialog.
 *
 * @fires mc-settings-open - Settings was opened: the owner may prepare what it shows (the local model catalogue).
 * The local model panel's `mc-local-*` requests bubble out of this element, for the owner to carry out.
 */
@customElement('mc-chat-app')
export class McChatApp extends LitElement {
  static override styles = [buttons, focusRing, visuallyHidden, chatAppStyles];

  readonly #store = new StoreController<AppState>(this, {
    coalesce: isStreaming,
    spaceOut: onlyTheReplyGrew,
    onApply: (state) => this.#showNotice(state),
  });
  readonly #drawer = new DrawerController(this, {
    list: () => this.conversationList,
    menuButton: () => this.menuButton,
  });
  readonly #shortcuts = new ShortcutController(this, {
    // A modal dialog owns the keyboard: Escape closes it, and nothing behind it may take focus.
    accepting: () => this.#state !== null && !this.settingsDialog.open && !this.helpDialog.open,
    streaming: () => this.#state?.streamingMessageId != null,
    run: (action) => this.#runShortcut(action),
  });
  @state() private shortcutList: ShortcutDescription[] = [];
  readonly #toast = new ToastController(this);
  readonly #backup = new BackupReporter(this, () => this.actions);
  readonly #attachments = new AttachmentWiring(this, () => this.actions);
  readonly #deletions = new DeletionFocus(this, {
    actions: () => this.actions,
    state: () => this.#state,
    focusComposer: () => this.composer.focus(),
    focusConversation: async (id) => {
      await this.conversationList.updateComplete;
      await this.conversationList.focusConversation(id);
    },
  });
  /** The last notice shown, so each one is shown once. */
  #shownNoticeId: number | null = null;

  @query('mc-settings-dialog') private settingsDialog!: McSettingsDialog;
  @query('mc-help-dialog') private helpDialog!: McHelpDialog;
  @query('mc-composer') private composer!: McComposer;
  @query('mc-conversation-list') private conversationList!: McConversationList;
  @query('.menu-button') private menuButton!: HTMLButtonElement;

  @state() private theme: ThemePreference = loadTheme();
  @state() private welcomeDismissed = loadWelcomeDismissed();

  /** What the UI's requests are sent to. */
  @property({ attribute: false }) actions: ChatActions | undefined;
  /** Whether the browser has a network; the app says "Offline" when not (the local engine still works). */
  @property({ attribute: false }) online = true;
  /** Set when a new version of the app is installed and waiting: calling it switches to it and reloads. */
  @property({ attribute: false }) updateReady: (() => Promise<void>) | null = null;
  /** The local model's speed test, shown in Settings once the model is on this device; null until there is one. */
  @property({ attribute: false }) speedTest: SpeedTestState | null = null;

  constructor() {
    super();
    // Before the first render: a saved Light or Dark must not flash the system's scheme first.
    applyTheme(this.theme);
  }

  /** Where the state comes from: subscribed while this element is connected. */
  get source(): StateSource | undefined {
    return this.#store.source;
  }

  set source(source: StateSource | undefined) {
    this.#store.source = source;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    whenIdle(() => void dialogs.loadDialogsWhenIdle().catch(() => undefined));
  }

  get #state(): AppState | null {
    return this.#store.value;
  }

  /** Each new notice shows once in the toast; it is dismissed from the state as soon as it is on screen. */
  #showNotice({ notice }: AppState): void {
    if (!notice || notice.id === this.#shownNoticeId) return;
    this.#shownNoticeId = notice.id;
    this.#toast.show(notice.message, NOTICE_MS);
    // After this state is delivered: the store is still telling its other listeners about it.
    queueMicrotask(() => this.actions?.dismissNotice(notice.id));
  }

  #runShortcut(action: ShortcutAction): void {
    switch (action) {
      case 'new-chat':
        void this.#onNewConversation();
        break;
      case 'search':
        void this.#drawer.show('search');
        break;
      case 'stop':
        this.actions?.stop();
        break;
      case 'focus-message':
        void this.#focusComposer();
        break;
      case 'help':
        void this.#showHelp();
        break;
    }
  }

  async #showHelp(): Promise<void> {
    const describe = await dialogs.loadHelpCode();
    if (!describe) return this.actions?.showAlert(dialogs.HELP_UNAVAILABLE);
    this.shortcutList = describe(this.#shortcuts.apple);
    // Defined just now, the element in the template upgrades and renders its <dialog> (and the list) in its update.
    await this.updateComplete;
    await this.helpDialog.updateComplete;
    this.helpDialog.show();
  }

  async #openSettings(options: Parameters<McSettingsDialog['show']>[0] = {}): Promise<void> {
    try {
      await dialogs.loadSettingsCode();
    } catch {
      this.actions?.showAlert(dialogs.SETTINGS_UNAVAILABLE);
      return;
    }
    // Not needed before now: the panel, already in the dialog, upgrades when its code arrives.
    import('../components/mc-local-model-panel.js').catch(() =>
      this.actions?.showAlert(dialogs.LOCAL_PANEL_UNAVAILABLE),
    );
    this.#backup.clear();
    // Defined just now, the dialog renders its <dialog> in its first update.
    await this.settingsDialog.updateComplete;
    if (!this.isConnected) return;
    void this.settingsDialog.show(options);
    emit(this, 'mc-settings-open', undefined);
    void this.actions?.refreshStorageUsage();
  }

  async #focusComposer(): Promise<void> {
    await this.#drawer.close(false);
    this.composer.focus();
  }

  get #welcomeShown(): boolean {
    return !this.welcomeDismissed && showsNoConversation(this.#state);
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
    if (event.key === 'Escape' && this.#drawer.open) {
      event.preventDefault();
      void this.#drawer.close();
    }
  }

  async #onNewConversation(): Promise<void> {
    void this.actions?.newConversation();
    await this.#focusComposer();
  }

  #onOpenConversation(event: HTMLElementEventMap['mc-open-conversation']): void {
    const { id, messageId } = event.detail;
    void this.#drawer.close();
    if (messageId === undefined) void this.actions?.openConversation(id);
    else void this.actions?.openConversation(id, messageId);
  }

  #onRegenerate(event: HTMLElementEventMap['mc-regenerate']): void {
    const { messageId } = event.detail;
    const message = this.#state?.messages.find((candidate) => candidate.id === messageId);
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

  #onCopy(event: HTMLElementEventMap['mc-copy']): void {
    this.showToast(event.detail.copied ? 'Copied to clipboard' : 'Could not copy: the browser blocked the clipboard.');
  }

  #renderSettings(state: AppState) {
    // Unknown (not probed yet) counts as available.
    const { available, reason } = state.local ? localAvailability(state.local) : { available: true, reason: '' };
    return html`<mc-settings-dialog
      .settings=${state.settings}
      .catalogue=${state.catalogue ?? undefined}
      .localAvailable=${available}
      .localUnavailableReason=${reason}
      .local=${state.local}
      .speedTest=${this.speedTest}
      .storage=${state.storage}
      .conversationId=${state.activeConversationId}
      .backupReport=${this.#backup.report}
      .theme=${this.theme}
      .presetName=${presetFor(state, state.activeConversationId)?.name ?? ''}
      @mc-settings-change=${(event: HTMLElementEventMap['mc-settings-change']) =>
        void this.actions?.updateSettings(event.detail)}
      @mc-theme-change=${this.#onThemeChange}
      @mc-export-all=${this.#backup.onExportAll}
      @mc-import-backup=${this.#backup.onImport}
      @mc-export-conversation=${this.#backup.onExportConversation}
    ></mc-settings-dialog>`;
  }

  /** A short, polite confirmation that fades on its own (copied, ready offline, imported). */
  showToast(message: string, durationMs?: number): void {
    this.#toast.show(message, durationMs);
  }

  override render() {
    const state = this.#state;
    // Until there is a state to show, the page's own placeholder (its children in index.html) shows.
    if (state === null) return html`<slot></slot>`;
    const active = state.conversations.find((conversation) => conversation.id === state.activeConversationId);
    const { engineStatus, local } = state;
    const recommendation = local ? recommendEngine(localAvailability(local), local.gpuSummary) : null;
    const drawerOpen = this.#drawer.open;
    const narrowDrawer = this.#drawer.modal;
    return html`<div class="layout">
        <div
          class="sidebar ${drawerOpen ? 'open' : ''}"
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
            .offer=${state.undo?.kind === 'delete-conversation' ? state.undo : null}
            @mc-undo=${this.#deletions.onUndo}
            @mc-dismiss-undo=${() => this.actions?.dismissUndo()}
          ></mc-undo-bar>
        </div>
        <div class="scrim ${narrowDrawer ? 'open' : ''}" @pointerdown=${() => this.#drawer.close()}></div>
        <main ?inert=${narrowDrawer}>
          <div class="topbar">
            <button
              class="icon-button ghost menu-button"
              aria-label="Conversations menu"
              aria-expanded=${drawerOpen ? 'true' : 'false'}
              aria-controls="sidebar"
              aria-haspopup="dialog"
              @click=${() => this.#drawer.show('list')}
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
              @click=${() => void this.#showHelp()}
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
          ${renderPresetPicker(state, this.actions)}
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
                  .recommendation=${recommendation}
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
            .branchSizes=${state.branchSizes}
            .focusedMessageId=${state.focusedMessageId}
            .attachments=${state.attachments}
            .shownSources=${this.#attachments.sourcesShown(state.activeConversationId)}
            @mc-load-sources=${this.#attachments.onLoadSources}
            @mc-download-attachment=${this.#attachments.onDownload}
            @mc-copy=${this.#onCopy}
            @mc-regenerate=${this.#onRegenerate}
            @mc-edit-message=${this.#onEditMessage}
            @mc-show-alternative=${(event: HTMLElementEventMap['mc-show-alternative']) =>
              void this.actions?.showAlternative(event.detail.messageId, event.detail.direction)}
            @mc-continue=${(event: HTMLElementEventMap['mc-continue']) =>
              void this.actions?.continueReply(event.detail.messageId)}
            @mc-undo-exchange=${this.#deletions.onUndoExchange}
            @mc-delete-message=${this.#deletions.onDeleteMessage}
          ></mc-transcript>
          ${renderRetryNotice(state.retryNotice, this.actions)}
          <div class="composer-area">
            <mc-undo-bar
              .offer=${state.undo?.kind === 'delete-conversation' ? null : state.undo}
              @mc-undo=${this.#deletions.onUndo}
              @mc-dismiss-undo=${() => this.actions?.dismissUndo()}
            ></mc-undo-bar>
            <mc-composer
              ?streaming=${state.streamingMessageId !== null}
              .draft=${state.draft}
              .attachments=${state.pendingAttachments}
              .attachNotice=${this.#attachments.notice(state.settings)}
              @mc-attach=${this.#attachments.onAttach}
              @mc-remove-attachment=${this.#attachments.onRemove}
              @mc-draft=${(event: HTMLElementEventMap['mc-draft']) => this.actions?.updateDraft(event.detail.text)}
              @mc-send=${(event: HTMLElementEventMap['mc-send']) => void this.#onSend(event.detail.text)}
              @mc-stop=${() => this.actions?.stop()}
            ></mc-composer>
          </div>
        </main>
      </div>
      ${this.#renderSettings(state)}
      <mc-help-dialog .shortcuts=${this.shortcutList}></mc-help-dialog>
      <div class="toast ${this.#toast.message ? 'shown' : ''}" aria-live="polite">${this.#toast.message}</div>`;
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
