import { describe, expect, it } from 'vitest';
import { loadTheme, loadWelcomeDismissed, saveTheme, saveWelcomeDismissed } from '../../../src/app/ui-preferences.js';
import { MapStorage, refusingStorage } from '../fakes/map-storage.js';

describe('ui preferences', () => {
  it('follows the system theme until another is saved, and remembers the one saved', () => {
    const store = new MapStorage();
    expect(loadTheme(store)).toBe('system');
    saveTheme('dark', store);
    expect(loadTheme(store)).toBe('dark');
    saveTheme('light', store);
    expect(loadTheme(store)).toBe('light');
  });

  it('ignores a saved theme it does not know', () => {
    const store = new MapStorage();
    store.setItem('mc-theme', 'sepia');
    expect(loadTheme(store)).toBe('system');
  });

  it('shows the welcome until it is dismissed once', () => {
    const store = new MapStorage();
    expect(loadWelcomeDismissed(store)).toBe(false);
    saveWelcomeDismissed(store);
    expect(loadWelcomeDismissed(store)).toBe(true);
  });

  it('falls back to the defaults when storage is missing or refuses', () => {
    for (const store of [null, refusingStorage]) {
      expect(loadTheme(store)).toBe('system');
      expect(loadWelcomeDismissed(store)).toBe(false);
      expect(() => saveTheme('dark', store)).not.toThrow();
      expect(() => saveWelcomeDismissed(store)).not.toThrow();
    }
  });
});
