/**
 * Settings (with the backup panel and the local model panel) and the keyboard-shortcuts help are not part of the
 * first screen: their code loads when the page is idle, or at the latest when one of them is first opened. Each
 * failure is a sentence for an alert (offline before the service worker had cached the chunk).
 */
import type { ShortcutDescription } from '../components/mc-help-dialog.js';

export const SETTINGS_UNAVAILABLE = 'Settings could not be loaded. Check your connection, then reload the page.';
export const LOCAL_PANEL_UNAVAILABLE =
  'The model settings could not be loaded. Check your connection, then reopen Settings.';
export const HELP_UNAVAILABLE = 'The keyboard shortcuts could not be loaded. Check your connection, then try again.';

export function loadSettingsCode(): Promise<unknown> {
  return import('../components/mc-settings-dialog.js');
}

/** The help dialog's code, and what it lists written for this platform; null when it cannot be loaded. */
export function loadHelpCode(): Promise<((apple: boolean) => ShortcutDescription[]) | null> {
  return Promise.all([import('../components/mc-help-dialog.js'), import('./shortcut-descriptions.js')]).then(
    ([, { describeShortcuts }]) => describeShortcuts,
    () => null,
  );
}

/** What the page loads once idle after start, so that opening either dialog is instant. */
export function loadDialogsWhenIdle(): Promise<unknown> {
  return Promise.all([loadSettingsCode(), loadHelpCode()]);
}
