/**
 * The text of an HTML file, for the model to read: never rendered, never parsed into a document. A string scan (no
 * DOMParser, no innerHTML) runs no script, loads no image or stylesheet, and needs no Trusted Types policy; it also
 * runs in a worker and in Node. It is a reader's approximation, not an HTML parser: what a browser would not show
 * (scripts, styles, templates, comments) is dropped, block elements become line breaks so paragraphs survive for
 * passage splitting, and character references are decoded.
 */

/** Elements whose content is not text a reader sees. Unterminated, they swallow the rest, as in a browser. */
const HIDDEN_CONTENT = /<(script|style|template|noscript|iframe|object|svg|math)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const COMMENT = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>/g;
/** A tag, with quoted attribute values that may hold `>`. */
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|'[^']*'|[^'">])*>/g;
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'title',
  'tr',
  'ul',
]);
const CELL_ELEMENTS = new Set(['td', 'th']);
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  micro: 'µ',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  le: '≤',
  ge: '≥',
  ne: '≠',
  infin: '∞',
  minus: '−',
  prime: '′',
  Prime: '″',
  dagger: '†',
  iexcl: '¡',
  iquest: '¿',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
};
const CHARACTER_REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;

export function htmlToText(html: string): string {
  const withoutHidden = html.replace(COMMENT, ' ').replace(HIDDEN_CONTENT, ' ');
  const withBreaks = withoutHidden.replace(TAG, (_tag, name: string) => {
    const element = name.toLowerCase();
    if (BLOCK_ELEMENTS.has(element)) return '\n';
    if (CELL_ELEMENTS.has(element)) return '\t';
    return '';
  });
  // A stray "<" that starts no tag (e.g. "a < b") is text, as it is for a browser.
  const decoded = withBreaks.replace(CHARACTER_REFERENCE, decodeReference);
  return tidyWhitespace(decoded);
}

function decodeReference(reference: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return NAMED_REFERENCES[name] ?? reference;
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  const isValid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return isValid ? String.fromCodePoint(codePoint) : '\ufffd';
}

/** Source indentation and line wrapping mean nothing in HTML: runs of spaces become one, blank lines at most one. */
function tidyWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, (run) => (run.includes('\t') ? '\t' : ' ')).trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
