/**
 * Syntax highlighting, loaded on first need: highlight.js core plus the languages replies use most, each its own
 * chunk. Its output is ordinary HTML that goes through the sanitizer with the rest of the block.
 */

import type { LanguageFn } from 'highlight.js';

/** Highlighted HTML for `code` in `language`, or undefined when the language is not one we load. */
export type Highlighter = (code: string, language: string) => string | undefined;

let loaded: Highlighter | undefined;
let loading: Promise<Highlighter> | undefined;

/** The languages replies use most; each is its own chunk, fetched with the core on first need. */
const LANGUAGES: readonly [string, () => Promise<{ default: LanguageFn }>][] = [
  ['javascript', () => import('highlight.js/lib/languages/javascript')],
  ['typescript', () => import('highlight.js/lib/languages/typescript')],
  ['python', () => import('highlight.js/lib/languages/python')],
  ['bash', () => import('highlight.js/lib/languages/bash')],
  ['shell', () => import('highlight.js/lib/languages/shell')],
  ['json', () => import('highlight.js/lib/languages/json')],
  ['xml', () => import('highlight.js/lib/languages/xml')],
  ['css', () => import('highlight.js/lib/languages/css')],
  ['c', () => import('highlight.js/lib/languages/c')],
  ['cpp', () => import('highlight.js/lib/languages/cpp')],
  ['java', () => import('highlight.js/lib/languages/java')],
  ['go', () => import('highlight.js/lib/languages/go')],
  ['rust', () => import('highlight.js/lib/languages/rust')],
  ['sql', () => import('highlight.js/lib/languages/sql')],
  ['yaml', () => import('highlight.js/lib/languages/yaml')],
  ['markdown', () => import('highlight.js/lib/languages/markdown')],
  ['diff', () => import('highlight.js/lib/languages/diff')],
];

const LANGUAGES_PER_TASK = 4;

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function importHighlighter(): Promise<Highlighter> {
  const [core, ...languages] = await Promise.all([
    import('highlight.js/lib/core'),
    ...LANGUAGES.map(([, load]) => load()),
  ]);
  // Its own instance: nothing else in the page can register languages or plugins into it.
  const hljs = core.default.newInstance();
  // Registering builds each grammar (about 11 ms for all of them on a slow machine) and the first highlight of a
  // language compiles its grammar (as long again). This load is often waited for by a streaming reply's frame, so the
  // languages are registered a few per task, and the first highlight (and its compiling) comes a task after the last
  // of them: that frame carries one grammar's compiling, not every grammar's building too.
  for (const [index, [name]] of LANGUAGES.entries()) {
    const language = languages[index];
    if (language) hljs.registerLanguage(name, language.default);
    if ((index + 1) % LANGUAGES_PER_TASK === 0 || index === LANGUAGES.length - 1) await nextTask();
  }
  // Aliases (js, ts, py, sh, html, yml, md, c++, …) resolve through getLanguage.
  return (code, language) => {
    if (!hljs.getLanguage(language)) return undefined;
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  };
}

/** The highlighter if it has finished loading, so a render never has to wait for it. */
export function getLoadedHighlighter(): Highlighter | undefined {
  return loaded;
}

/** Loads the highlighter once; later calls share the same promise. A failed load may be retried. */
export function loadHighlighter(): Promise<Highlighter> {
  loading ??= importHighlighter().then(
    (highlighter) => {
      loaded = highlighter;
      return highlighter;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
