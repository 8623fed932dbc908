import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isApplePlatform, isTextEntry, matchShortcut, type ShortcutAction } from './shortcuts.js';

export interface ShortcutTarget {
  /** False while the keyboard belongs elsewhere: before the first state, or while a modal dialog is open. */
  accepting(): boolean;
  /** Whether a reply streams now (Escape stops it only then). */
  streaming(): boolean;
  run(action: ShortcutAction): void;
}

/**
 * The app's keyboard shortcuts, heard on the window while the host is connected (⌘ on Apple platforms, Ctrl
 * elsewhere). "/" and "?" are left to a text field that has focus, so they can be typed.
 */
export class ShortcutController implements ReactiveController {
  readonly apple = isApplePlatform();
  readonly #target: ShortcutTarget;

  constructor(host: ReactiveControllerHost, target: ShortcutTarget) {
    this.#target = target;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#onKeydown);
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing) return;
    const action = matchShortcut(event, this.apple);
    if (action === null || !this.#target.accepting()) return;
    const typing = isTextEntry(event.composedPath()[0]);
    if (action === 'stop' && !this.#target.streaming()) return;
    if ((action === 'focus-message' || action === 'help') && typing) return;
    event.preventDefault();
    this.#target.run(action);
  };
}
