/**
 * The app's keyboard shortcuts: which key press means what, and how each is written for the help dialog. Pure, so
 * the matching is unit-tested; the root element decides whether a match applies where focus is.
 */

export type ShortcutAction = 'new-chat' | 'search' | 'stop' | 'focus-message' | 'help';

/** The parts of a `KeyboardEvent` a shortcut depends on. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Apple keyboards put these shortcuts on ⌘; everyone else uses Ctrl. */
export function isApplePlatform(nav: Navigator = navigator): boolean {
  // `userAgentData` (Chromium) is not in TypeScript's DOM types yet; `platform` is deprecated but everywhere.
  const platform = (nav as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform;
  return /mac|iphone|ipad|ipod/i.test(platform || nav.platform);
}

/**
 * What `press` asks for, or null. The "command" modifier is ⌘ on Apple platforms and Ctrl elsewhere, never both:
 * Ctrl+K on a Mac is a text-editing key (kill line) and must reach the text field.
 */
export function matchShortcut(press: KeyPress, apple: boolean): ShortcutAction | null {
  const command = apple ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  const key = press.key.toLowerCase();
  if (command && !press.altKey) {
    if (press.shiftKey && key === 'o') return 'new-chat';
    if (!press.shiftKey && key === 'k') return 'search';
    return null;
  }
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return 'stop';
  // "?" is Shift+/ on many layouts and a key of its own on others: the character decides, not the Shift key.
  if (press.key === '?') return 'help';
  if (press.key === '/' && !press.shiftKey) return 'focus-message';
  return null;
}

/** Whether typing a character here would enter text, so a one-key shortcut ("/", "?") must leave it alone. */
export function isTextEntry(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);
