import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Whether a media query matches now (`matches`), kept up to date while the host is connected: each change renders
 * the host and calls `onChange`.
 */
export class MediaQueryController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #query: MediaQueryList;
  readonly #onChange: ((matches: boolean) => void) | undefined;

  constructor(host: ReactiveControllerHost, query: string, onChange?: (matches: boolean) => void) {
    this.#host = host;
    this.#query = window.matchMedia(query);
    this.#onChange = onChange;
    host.addController(this);
  }

  get matches(): boolean {
    return this.#query.matches;
  }

  hostConnected(): void {
    this.#query.addEventListener('change', this.#changed);
  }

  hostDisconnected(): void {
    this.#query.removeEventListener('change', this.#changed);
  }

  readonly #changed = (): void => {
    this.#onChange?.(this.#query.matches);
    this.#host.requestUpdate();
  };
}
