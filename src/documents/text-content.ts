import { htmlToText } from './html-text.js';
import { decodeText, type DecodedText } from './text-decode.js';

/** A text file's content as the model reads it: decoded bytes, and for HTML the text a reader sees. */
export function textContent(bytes: ArrayBuffer, html: boolean): DecodedText {
  const decoded = decodeText(new Uint8Array(bytes));
  return decoded.ok && html ? { ok: true, text: htmlToText(decoded.text) } : decoded;
}
