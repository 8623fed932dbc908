import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../src/components/format-size.js';

describe('formatBytes', () => {
  it('counts bytes below a kilobyte', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(740)).toBe('740 bytes');
  });

  it('uses the largest unit that keeps the number at or above 1, to three significant digits', () => {
    expect(formatBytes(12 * 1024)).toBe('12 KB');
    expect(formatBytes(3.4 * 1024 ** 2)).toBe('3.4 MB');
    expect(formatBytes(4.27 * 1024 ** 3)).toBe('4.27 GB');
    expect(formatBytes(123.456 * 1024 ** 2)).toBe('123 MB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2 TB');
  });

  it('never shows 1024 of a unit', () => {
    expect(formatBytes(1024 ** 2 - 10)).toBe('1 MB');
  });

  it('reads nonsense as nothing', () => {
    expect(formatBytes(Number.NaN)).toBe('0 bytes');
    expect(formatBytes(-5)).toBe('0 bytes');
  });
});
