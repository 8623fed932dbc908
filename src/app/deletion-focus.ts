import type { ReactiveControllerHost } from 'lit';
import { focusIsLost } from '../components/focus.js';
import type { AppState, ChatActions } from '../state/app-state.js';

type DeletionActions = Pick<ChatActions, 'undoLastExchange' | 'deleteMessage' | 'undoDelete'>;

export interface DeletionFocusDeps {
  actions: () => DeletionActions | undefined;
  state: () => AppState | null;
  /** Puts focus in the message box. */
  focusComposer: () => void;
  /** Puts focus on a conversation of the list (one a deletion's Undo brought back). */
  focusConversation: (id: string) => Promise<void>;
}

/**
 * The app's side of "Undo last exchange", a message's "Delete" and the Undo bar's "Undo": each button goes away with
 * what it acted on, so focus goes where the user goes next. After Undo last exchange, the message box, which holds
 * the question again; after a message's deletion or its Undo, the message box too (the messages have no place to
 * hold focus); after a conversation's Undo, that conversation in the list.
 */
export class DeletionFocus {
  readonly #host: ReactiveControllerHost;
  readonly #deps: DeletionFocusDeps;

  constructor(host: ReactiveControllerHost, deps: DeletionFocusDeps) {
    this.#host = host;
    this.#deps = deps;
  }

  readonly onUndoExchange = async (): Promise<void> => {
    await this.#deps.actions()?.undoLastExchange();
    await this.#host.updateComplete;
    this.#deps.focusComposer();
  };

  readonly onDeleteMessage = async (event: HTMLElementEventMap['mc-delete-message']): Promise<void> => {
    await this.#deps.actions()?.deleteMessage(event.detail.messageId);
    await this.#host.updateComplete;
    if (focusIsLost()) this.#deps.focusComposer();
  };

  readonly onUndo = async (): Promise<void> => {
    const offer = this.#deps.state()?.undo;
    await this.#deps.actions()?.undoDelete();
    await this.#host.updateComplete;
    // "Undo" went away with the offer: focus goes to what it brought back.
    if (!offer || !focusIsLost()) return;
    if (offer.kind === 'delete-conversation') await this.#deps.focusConversation(offer.conversationId);
    else this.#deps.focusComposer();
  };
}
