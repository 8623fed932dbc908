/**
 * Puts a theme choice on the page: tokens.css reads `<html data-theme>` (absent = follow the system), and the
 * browser's own chrome (an installed app's title bar, a phone's status bar) follows the `theme-color` metas, which
 * index.html gives one per colour scheme.
 */
export type ThemePreference = 'system' | 'light' | 'dark';

export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function applyTheme(theme: ThemePreference, doc: Document = document): void {
  if (theme === 'system') delete doc.documentElement.dataset.theme;
  else doc.documentElement.dataset.theme = theme;

  for (const meta of doc.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"][media], meta[data-media]')) {
    // The media query index.html wrote, kept so "System" can restore it.
    meta.dataset.media ??= meta.media;
    const scheme = meta.dataset.media.includes('dark') ? 'dark' : 'light';
    meta.media = theme === 'system' ? meta.dataset.media : theme === scheme ? 'all' : 'not all';
  }
}
