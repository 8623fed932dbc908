/**
 * Files attached in the message box and the sources of replies, wired to the session: kept out of `<mc-chat-app>`
 * so that the root element stays a layout.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Settings } from '../domain/settings.js';
import { attachNotice, type ChatActions, type ShownSource } from '../state/app-state.js';

type AttachmentActions = Pick<ChatActions, 'attach' | 'removeAttachment' | 'sourcesOf' | 'originalOf'>;

/**
 * Passes the message box's `mc-attach` / `mc-remove-attachment` on to the session, and keeps the text of the replies'
 * sources once read (a reply's "Sources" opened: `mc-load-sources`), for the transcript to show. That text is not
 * part of the app's state: it is read from storage only when someone looks, and forgotten when another conversation
 * opens.
 */
export class AttachmentWiring {
  readonly #host: ReactiveControllerHost;
  readonly #actions: () => AttachmentActions | undefined;
  #sources: Record<string, readonly ShownSource[]> = {};
  #conversationId: string | null = null;

  constructor(host: ReactiveControllerHost, actions: () => AttachmentActions | undefined) {
    this.#host = host;
    this.#actions = actions;
  }

  /** What the attach button says about where a file's text goes, for these settings. */
  notice(settings: Settings): string {
    return attachNotice(settings);
  }

  /** The sources read so far for the open conversation's replies, by message id. */
  sourcesShown(conversationId: string | null): Readonly<Record<string, readonly ShownSource[]>> {
    if (conversationId !== this.#conversationId) {
      this.#conversationId = conversationId;
      this.#sources = {};
    }
    return this.#sources;
  }

  readonly onAttach = (event: HTMLElementEventMap['mc-attach']): void => {
    void this.#actions()?.attach(event.detail.files);
  };

  readonly onRemove = (event: HTMLElementEventMap['mc-remove-attachment']): void => {
    this.#actions()?.removeAttachment(event.detail.id);
  };

  /** A kept file's "Download" link: its bytes are read from storage only now, and their URL revoked once used. */
  readonly onDownload = async (event: HTMLElementEventMap['mc-download-attachment']): Promise<void> => {
    const { id, name } = event.detail;
    const original = await this.#actions()?.originalOf(id);
    if (!original) return;
    const url = URL.createObjectURL(original);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    // The browser takes the URL when the click is handled; a task later it may go.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  readonly onLoadSources = async (event: HTMLElementEventMap['mc-load-sources']): Promise<void> => {
    const { messageId } = event.detail;
    const conversationId = this.#conversationId;
    const actions = this.#actions();
    // A failed read is the session's alert, and comes back as no sources: the disclosure then lists no excerpts.
    const shown = (await actions?.sourcesOf(messageId)) ?? [];
    if (conversationId !== this.#conversationId) return;
    // A new object, so the transcript sees a change.
    this.#sources = { ...this.#sources, [messageId]: shown };
    this.#host.requestUpdate();
  };
}
