import { describe, expect, it } from 'vitest';
import { describeShortcuts } from '../../../src/app/shortcut-descriptions.js';
import { isApplePlatform, matchShortcut, type KeyPress } from '../../../src/app/shortcuts.js';

const press = (key: string, modifiers: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('matchShortcut', () => {
  it('uses Ctrl off Apple platforms and ⌘ on them, never the other', () => {
    expect(matchShortcut(press('k', { ctrlKey: true }), false)).toBe('search');
    expect(matchShortcut(press('k', { metaKey: true }), false)).toBeNull();
    expect(matchShortcut(press('k', { metaKey: true }), true)).toBe('search');
    // Ctrl+K on a Mac deletes to the end of the line in a text field.
    expect(matchShortcut(press('k', { ctrlKey: true }), true)).toBeNull();
  });

  it('starts a new chat on Ctrl+Shift+O, whatever case the key reports', () => {
    expect(matchShortcut(press('O', { ctrlKey: true, shiftKey: true }), false)).toBe('new-chat');
    expect(matchShortcut(press('o', { metaKey: true, shiftKey: true }), true)).toBe('new-chat');
    expect(matchShortcut(press('o', { ctrlKey: true }), false)).toBeNull();
    expect(matchShortcut(press('K', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(matchShortcut(press('o', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeNull();
  });

  it('reads "/", "?" and Escape only without Ctrl, ⌘ or Alt', () => {
    expect(matchShortcut(press('/'), false)).toBe('focus-message');
    expect(matchShortcut(press('?', { shiftKey: true }), false)).toBe('help');
    expect(matchShortcut(press('?'), true)).toBe('help');
    expect(matchShortcut(press('Escape'), false)).toBe('stop');
    expect(matchShortcut(press('/', { ctrlKey: true }), false)).toBeNull();
    expect(matchShortcut(press('?', { altKey: true }), false)).toBeNull();
    expect(matchShortcut(press('Escape', { metaKey: true }), true)).toBeNull();
  });

  it('leaves every other key alone', () => {
    for (const key of ['a', 'Enter', 'Tab', 'ArrowDown', 'k', 'o', ' ']) {
      expect(matchShortcut(press(key), false)).toBeNull();
    }
  });
});

describe('describeShortcuts', () => {
  it('writes the modifiers as this platform does, naming the symbols for screen readers', () => {
    const pc = describeShortcuts(false).find((shortcut) => shortcut.label === 'New chat');
    const mac = describeShortcuts(true).find((shortcut) => shortcut.label === 'New chat');
    expect(pc?.keys).toEqual([{ text: 'Ctrl' }, { text: 'Shift' }, { text: 'O' }]);
    expect(mac?.keys).toEqual([{ text: '⌘', name: 'Command' }, { text: '⇧', name: 'Shift' }, { text: 'O' }]);
  });

  it('lists every shortcut the app answers to', () => {
    const labels = describeShortcuts(false).map((shortcut) => shortcut.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'New chat',
        'Search conversations',
        'Go to the message box',
        'Stop the reply',
        'Show keyboard shortcuts',
      ]),
    );
  });
});

describe('isApplePlatform', () => {
  const nav = (platform: string, uaPlatform?: string) =>
    ({ platform, ...(uaPlatform === undefined ? {} : { userAgentData: { platform: uaPlatform } }) }) as Navigator;

  it('prefers userAgentData and falls back to navigator.platform', () => {
    expect(isApplePlatform(nav('MacIntel'))).toBe(true);
    expect(isApplePlatform(nav('iPhone'))).toBe(true);
    expect(isApplePlatform(nav('Win32'))).toBe(false);
    expect(isApplePlatform(nav('Linux x86_64', 'macOS'))).toBe(true);
    expect(isApplePlatform(nav('MacIntel', 'Windows'))).toBe(false);
    expect(isApplePlatform(nav('MacIntel', ''))).toBe(true);
  });
});
