/** The deepest focused element, through open shadow roots (`document.activeElement` stops at the first host). */
export function deepActiveElement(): HTMLElement | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element instanceof HTMLElement ? element : null;
}

/**
 * Whether focus went nowhere: the focused element was removed, or a dialog closed without handing it on. Only then
 * may a component move focus on its own; a user who has already moved it elsewhere keeps their place.
 */
export function focusIsLost(): boolean {
  const active = deepActiveElement();
  return active === null || active === document.body;
}

/** Whether `node` is `container` or inside it, through the shadow roots of elements nested in it. */
function containsComposed(container: Node, node: Node | null): boolean {
  for (let current = node; current !== null;) {
    if (container.contains(current)) return true;
    const root = current.getRootNode();
    current = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

/**
 * Focus for a modal dialog: remembers where it was when the dialog opened and gives it back when the dialog closes,
 * unless the user has already moved it on.
 */
export class ReturnFocus {
  #target: HTMLElement | null = null;

  /** `target` defaults to whatever has focus now. */
  remember(target: HTMLElement | null = deepActiveElement()): void {
    this.#target = target;
  }

  /** Call from the dialog's close event, which comes a task after it closed: a shortcut may have moved focus since. */
  restore(dialog: HTMLElement): void {
    const target = this.#target;
    this.#target = null;
    const stranded = focusIsLost() || containsComposed(dialog, deepActiveElement());
    if (target?.isConnected && stranded) target.focus();
  }
}
