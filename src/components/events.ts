/**
 * Typed event dispatch for the mc-* elements. Each element declares its events in `HTMLElementEventMap`, so both
 * `emit` and listeners (`addEventListener('mc-send', e => e.detail.text)`) are checked by the compiler.
 */

type DetailOf<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

export interface EmitOptions {
  /**
   * Let the event bubble out of the shadow root it was raised in. Only for events whose listener lives outside that
   * root (e.g. a message's "Copy" inside the transcript's shadow root, heard by the app root).
   */
  leaveShadowRoot?: boolean;
}

export function emit<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  type: K,
  detail: DetailOf<K>,
  options: EmitOptions = {},
): void {
  const crosses = options.leaveShadowRoot ?? false;
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: crosses, composed: crosses }));
}
