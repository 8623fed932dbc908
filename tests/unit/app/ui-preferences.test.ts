import { describe, expect, it } from 'vitest';
import { loadTheme, loadWelcomeDismissed, saveTheme, saveWelcomeDismissed } from '../../../src/app/ui-preferences.js';

function memoryStore() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

const refusing = {
  getItem: (): string | null => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
  setItem: (): void => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  },
};

describe('ui preferences', () => {
  it('follows the system theme until another is saved, and remembers the one saved', () => {
    const store = memoryStore();
    expect(loadTheme(store)).toBe('system');
    saveTheme('dark', store);
    expect(loadTheme(store)).toBe('dark');
    saveTheme('light', store);
    expect(loadTheme(store)).toBe('light');
  });

  it('ignores a saved theme it does not know', () => {
    const store = memoryStore();
    store.setItem('mc-theme', 'sepia');
    expect(loadTheme(store)).toBe('system');
  });

  it('shows the welcome until it is dismissed once', () => {
    const store = memoryStore();
    expect(loadWelcomeDismissed(store)).toBe(false);
    saveWelcomeDismissed(store);
    expect(loadWelcomeDismissed(store)).toBe(true);
  });

  it('falls back to the defaults when storage is missing or refuses', () => {
    for (const store of [null, refusing]) {
      expect(loadTheme(store)).toBe('system');
      expect(loadWelcomeDismissed(store)).toBe(false);
      expect(() => saveTheme('dark', store)).not.toThrow();
      expect(() => saveWelcomeDismissed(store)).not.toThrow();
    }
  });
});
