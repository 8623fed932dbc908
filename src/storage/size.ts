/**
 * Roughly how many bytes records take as UTF-8 JSON: every string, number and key counted, no compression. Good
 * enough to say "about 12 MB of conversations"; the browser's own figure adds its overheads.
 */

/** UTF-8 bytes of a string, without building the encoded copy. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair: 4 bytes for 2 units.
      bytes += 2;
      i++;
    } else if (code >= 0x800) {
      bytes += 2;
    } else if (code >= 0x80) {
      bytes += 1;
    }
  }
  return bytes;
}

/** Quotes, colon and comma around each field. */
const FIELD_OVERHEAD = 4;
/** What a number takes written out, on average. */
const NUMBER_BYTES = 13;

function valueSize(value: unknown): number {
  if (typeof value === 'string') return utf8Length(value) + 2;
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'boolean' || value === null) return 5;
  if (typeof value === 'object') return recordSize(value);
  return 0;
}

function recordSize(record: object): number {
  let bytes = 2;
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    bytes += key.length + FIELD_OVERHEAD + valueSize(value);
  }
  return bytes;
}

export function approximateSize(records: readonly object[]): number {
  let bytes = 0;
  for (const record of records) bytes += recordSize(record);
  return bytes;
}

/** Attachments: their records as text, plus the original bytes where they are kept (a Blob, counted by its size). */
export function attachmentsSize(attachments: readonly { bytes?: Blob }[]): number {
  let bytes = 0;
  for (const { bytes: original, ...record } of attachments) {
    bytes += approximateSize([record]) + (original ? original.size : 0);
  }
  return bytes;
}
