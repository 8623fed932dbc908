import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const TOAST_MS = 2500;

/** A short, polite confirmation that fades on its own (copied, ready offline, imported). */
export class ToastController implements ReactiveController {
  /** What the toast says now; '' when none shows. */
  message = '';

  readonly #host: ReactiveControllerHost;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  show(message: string, durationMs = TOAST_MS): void {
    clearTimeout(this.#timer);
    this.#set(message);
    this.#timer = setTimeout(() => this.#set(''), durationMs);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  #set(message: string): void {
    this.message = message;
    this.#host.requestUpdate();
  }
}
