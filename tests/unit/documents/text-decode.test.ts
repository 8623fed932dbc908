import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/documents/text-decode.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('reads UTF-8, dropping a byte-order mark', () => {
    expect(decodeText(utf8('héllo ✓'))).toEqual({ ok: true, text: 'héllo ✓' });
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x68, 0x69))).toEqual({ ok: true, text: 'hi' });
  });

  it('reads UTF-16 with a byte-order mark, in either byte order', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x68, 0x00, 0x69, 0x00))).toEqual({ ok: true, text: 'hi' });
    expect(decodeText(bytes(0xfe, 0xff, 0x00, 0x68, 0x00, 0x69))).toEqual({ ok: true, text: 'hi' });
  });

  it('reads legacy single-byte text as Windows-1252', () => {
    // "café " in Windows-1252: 0xe9 is not valid UTF-8 on its own.
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9, 0x20))).toEqual({ ok: true, text: 'café ' });
  });

  it('calls bytes with a NUL binary, even past the sniffed start', () => {
    expect(decodeText(bytes(0x68, 0x00, 0x69))).toEqual({ ok: false, reason: 'binary' });
    const late = new Uint8Array(100_000).fill(0x61);
    late[90_000] = 0;
    expect(decodeText(late)).toEqual({ ok: false, reason: 'binary' });
  });

  it('calls control-character noise and mostly-high bytes binary', () => {
    const control = Uint8Array.from({ length: 200 }, (_, index) => (index % 10 === 0 ? 0x01 : 0x61));
    expect(decodeText(control)).toEqual({ ok: false, reason: 'binary' });
    const high = Uint8Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? 0x9c : 0x61));
    expect(decodeText(high)).toEqual({ ok: false, reason: 'binary' });
  });

  it('keeps tabs, line breaks, form feeds and ANSI escapes as text', () => {
    expect(decodeText(utf8('a\tb\r\nc\fd\u001b[31me'))).toEqual({ ok: true, text: 'a\tb\r\nc\fd\u001b[31me' });
  });
});
