import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MediaQueryController } from '../components/controllers/media-query-controller.js';
import { deepActiveElement } from '../components/focus.js';

/** Below this width the conversation list becomes a drawer. Keep in step with the media queries in the styles. */
export const NARROW_QUERY = '(max-width: 720px)';

export interface DrawerParts {
  /** What takes focus in the drawer: the conversation list ("New chat", or its search box). */
  list(): { focus(): void; focusSearch(): void };
  /** The button that opens the drawer: focus goes back to it when what opened the drawer is gone. */
  menuButton(): HTMLElement;
}

/**
 * The conversation list as a drawer on narrow screens: whether it is open, and focus into it when it opens and back
 * to what opened it when it closes. Widening the window past `NARROW_QUERY` closes it.
 */
export class DrawerController implements ReactiveController {
  /** Open (it shows only on a narrow screen; on a wide one the list is always there). */
  open = false;

  readonly #host: ReactiveControllerHost;
  readonly #parts: DrawerParts;
  readonly #narrow: MediaQueryController;
  /** What had focus when the drawer opened, to give it back when the drawer closes. */
  #opener: HTMLElement | null = null;

  constructor(host: ReactiveControllerHost, parts: DrawerParts) {
    this.#host = host;
    this.#parts = parts;
    this.#narrow = new MediaQueryController(host, NARROW_QUERY, (narrow) => {
      if (!narrow) this.open = false;
    });
    host.addController(this);
  }

  /** Open on a narrow screen: a modal dialog to assistive technology, with the rest of the page inert. */
  get modal(): boolean {
    return this.open && this.#narrow.matches;
  }

  hostDisconnected(): void {
    // Out of the page, the element that opened the drawer is no one's to hold on to.
    this.#opener = null;
  }

  /** Opens the drawer (on a narrow screen) and puts focus in it: on "New chat", or in the search box. */
  async show(focus: 'list' | 'search'): Promise<void> {
    if (this.#narrow.matches && !this.open) {
      this.#opener = deepActiveElement();
      this.open = true;
      this.#host.requestUpdate();
      await this.#host.updateComplete;
    }
    if (focus === 'search') this.#parts.list().focusSearch();
    else this.#parts.list().focus();
  }

  /** Closes the drawer and gives focus back to what opened it, unless the caller moves focus itself. */
  async close(restoreFocus = true): Promise<void> {
    if (!this.open) return;
    this.open = false;
    const opener = this.#opener?.isConnected ? this.#opener : this.#parts.menuButton();
    this.#opener = null;
    this.#host.requestUpdate();
    // The main column is inert until this render lifts it.
    await this.#host.updateComplete;
    if (restoreFocus) opener.focus();
  }
}
