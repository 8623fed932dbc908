/** Escaping for the HTML the markdown renderers write (it is sanitized afterwards, but must mean what it says). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes all markup characters: for text that must show exactly as written. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Escapes markup characters but keeps character references, as marked does for inline text. */
export function escapeText(text: string): string {
  return text.replace(
    /[<>"']|&(?!(?:#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g,
    (character) => ESCAPES[character] ?? character,
  );
}

const NAMED_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes the character references a URL in markdown may hold (`&amp;`, `&#47;`, `&#x2F;`), as the browser would
 * once the URL is an attribute, so the URL checked is the URL followed. Other named references stay as written: they
 * are then part of the URL, which is checked and shown as it is.
 */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[Xx]([a-fA-F0-9]{1,6})|(amp|lt|gt|quot|apos));/g,
    (reference, dec, hex, name) => {
      if (name) return NAMED_REFERENCES[name as string] ?? reference;
      const codePoint = Number.parseInt((dec ?? hex) as string, dec ? 10 : 16);
      // A reference to nothing (0, a surrogate, beyond Unicode) is U+FFFD, as the HTML parser makes it.
      return codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff)
        ? String.fromCodePoint(codePoint)
        : '\uFFFD';
    },
  );
}
