import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Watches the size of one element of the host's render (found by `target` after each update, as it may only exist
 * once rendered) while the host is connected.
 */
export class ResizeController implements ReactiveController {
  readonly #target: () => Element | null | undefined;
  readonly #observer: ResizeObserver;
  #observed: Element | null = null;

  constructor(host: ReactiveControllerHost, target: () => Element | null | undefined, callback: () => void) {
    this.#target = target;
    this.#observer = new ResizeObserver(callback);
    host.addController(this);
  }

  hostConnected(): void {
    // Back in the page after a move: the element rendered before is still there to watch.
    this.#observe(this.#target() ?? null);
  }

  hostUpdated(): void {
    this.#observe(this.#target() ?? null);
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
    this.#observed = null;
  }

  #observe(element: Element | null): void {
    if (element === this.#observed) return;
    this.#observer.disconnect();
    this.#observed = element;
    if (element) this.#observer.observe(element);
  }
}

export interface IntersectionControllerOptions {
  /** The elements to watch, found again after each update. */
  targets: () => Iterable<Element>;
  /** The scroller they are measured against; absent: the viewport. Found after an update, as it is rendered too. */
  root?: () => Element | null;
  rootMargin?: string;
  /** Called with the entries that now intersect the root (never with an empty list). */
  callback: (entries: IntersectionObserverEntry[]) => void;
}

/**
 * Tells when elements of the host's render come into view. Every update observes the targets afresh, so one still in
 * view after an update is reported again: content that grows while a "show more" button stays in sight keeps
 * growing.
 */
export class IntersectionController implements ReactiveController {
  readonly #options: IntersectionControllerOptions;
  #observer: IntersectionObserver | null = null;
  #root: Element | null = null;

  constructor(host: ReactiveControllerHost, options: IntersectionControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    const root = this.#options.root?.() ?? null;
    if (this.#options.root && root === null) return;
    if (this.#observer === null || root !== this.#root) {
      this.#observer?.disconnect();
      this.#root = root;
      this.#observer = new IntersectionObserver(
        (entries) => {
          const shown = entries.filter((entry) => entry.isIntersecting);
          if (shown.length > 0) this.#options.callback(shown);
        },
        { root, rootMargin: this.#options.rootMargin ?? '0px' },
      );
    }
    this.#observer.disconnect();
    for (const target of this.#options.targets()) this.#observer.observe(target);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#root = null;
  }
}
