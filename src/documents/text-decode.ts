/**
 * Bytes that claim to be text, checked before they are believed: binary data named `.txt` must not reach the model as
 * mojibake. UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read as such; other bytes
 * that look like text are read as Windows-1252, the encoding most legacy text files on the desktop are in.
 */

export type DecodedText = { ok: true; text: string } | { ok: false; reason: 'binary' };

/** What is sniffed: enough to see a binary format's header and body, cheap even for a 50 MB file. */
const SNIFF_BYTES = 64 * 1024;
/** Text has tabs and line breaks, not other control characters; a few (a form feed, an escape) are tolerated. */
const MAX_CONTROL_RATIO = 0.01;
/**
 * Past this share of bytes ≥ 0x80 in a file that is not valid UTF-8, it is not legacy text either: even Greek or
 * Cyrillic in a single-byte encoding keeps spaces, digits and punctuation in ASCII.
 */
const MAX_HIGH_BYTE_RATIO = 0.3;

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict(bytes.subarray(2), 'utf-16be');

  const sample = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  let high = 0;
  for (const byte of sample) {
    if (byte === 0) return { ok: false, reason: 'binary' };
    if (byte >= 0x80) high += 1;
    else if ((byte < 0x20 && !isTextControl(byte)) || byte === 0x7f) control += 1;
  }
  if (control > sample.length * MAX_CONTROL_RATIO) return { ok: false, reason: 'binary' };

  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8.ok) return utf8;
  if (high > sample.length * MAX_HIGH_BYTE_RATIO) return { ok: false, reason: 'binary' };
  if (bytes.includes(0)) return { ok: false, reason: 'binary' };
  return { ok: true, text: new TextDecoder('windows-1252').decode(bytes) };
}

/** Tab, line feed, vertical tab, form feed, carriage return and escape (ANSI colours in a saved log). */
function isTextControl(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x1b;
}

function decodeStrict(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): DecodedText {
  try {
    // `ignoreBOM: false` (the default) drops a UTF-8 byte-order mark, so the text starts with the file's first word.
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    // NUL is valid UTF-8 and UTF-16, but no text file has one: past the sniffed start it is an archive's body.
    if (text.includes('\u0000')) return { ok: false, reason: 'binary' };
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'binary' };
  }
}
