/**
 * Preferences about the interface itself, kept in localStorage rather than with the chat settings in IndexedDB:
 * they must be readable synchronously, before the first render, so the page never flashes the wrong theme or the
 * welcome. Storage may be missing or refuse access (private modes, blocked cookies); every call then falls back to
 * the defaults and the choice lasts as long as the page.
 */

import { THEME_PREFERENCES, type ThemePreference } from '../styles/theme.js';

const THEME_KEY = 'mc-theme';
const WELCOME_KEY = 'mc-welcome-dismissed';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function read(store: KeyValueStore | null, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(store: KeyValueStore | null, key: string, value: string): void {
  try {
    store?.setItem(key, value);
  } catch {
    // Full or refused: the preference holds for this page only, which is all that can be done.
  }
}

export function loadTheme(store: KeyValueStore | null = defaultStore()): ThemePreference {
  const saved = read(store, THEME_KEY);
  return THEME_PREFERENCES.find((theme) => theme === saved) ?? 'system';
}

export function saveTheme(theme: ThemePreference, store: KeyValueStore | null = defaultStore()): void {
  write(store, THEME_KEY, theme);
}

export function loadWelcomeDismissed(store: KeyValueStore | null = defaultStore()): boolean {
  return read(store, WELCOME_KEY) === 'true';
}

export function saveWelcomeDismissed(store: KeyValueStore | null = defaultStore()): void {
  write(store, WELCOME_KEY, 'true');
}
