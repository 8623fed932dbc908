/**
 * How each keyboard shortcut is written in the help dialog. Loaded with the dialog (`lazy-dialogs.ts`), not with the
 * first screen; which key press means what is `shortcuts.ts`.
 */
import type { KeyLabel, ShortcutDescription } from '../components/mc-help-dialog.js';

/** The shortcuts in the order the help dialog lists them, written for this platform. */
export function describeShortcuts(apple: boolean): ShortcutDescription[] {
  const command: KeyLabel = apple ? { text: '⌘', name: 'Command' } : { text: 'Ctrl' };
  const shift: KeyLabel = apple ? { text: '⇧', name: 'Shift' } : { text: 'Shift' };
  return [
    { label: 'New chat', keys: [command, shift, { text: 'O' }] },
    { label: 'Search conversations', keys: [command, { text: 'K' }] },
    { label: 'Go to the message box', keys: [{ text: '/' }] },
    { label: 'Send the message', keys: [{ text: 'Enter' }] },
    { label: 'New line in the message', keys: [shift, { text: 'Enter' }] },
    { label: 'Stop the reply', keys: [{ text: 'Esc' }] },
    { label: 'Close a dialog or the conversation list', keys: [{ text: 'Esc' }] },
    { label: 'Show keyboard shortcuts', keys: [{ text: '?' }] },
  ];
}
