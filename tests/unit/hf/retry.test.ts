import { describe, expect, test } from 'vitest';
import { retryDelayMs, retryHintMs, retryReason } from '../../../src/engines/hf/retry.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('retryHintMs', () => {
  test('reads Retry-After in seconds or as a date', () => {
    expect(retryHintMs('7', '', NOW)).toBe(7000);
    expect(retryHintMs('Wed, 01 Jan 2025 00:00:09 GMT', '', NOW)).toBe(9000);
  });

  test("reads Hugging Face's estimated_time from the body", () => {
    expect(retryHintMs(null, '{"error":"Model is currently loading","estimated_time":12.5}', NOW)).toBe(12500);
  });

  test('gives no hint otherwise', () => {
    expect(retryHintMs(null, '<html>Service Unavailable</html>', NOW)).toBeUndefined();
    expect(retryHintMs('soon', '{"error":"busy"}', NOW)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  test('backs off 2 s, 4 s, 8 s with a little jitter', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, undefined, () => 0.5))).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(1800);
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBe(2200);
  });

  test("bounds the server's hint", () => {
    expect(retryDelayMs(1, 5000, () => 0.5)).toBe(5000);
    expect(retryDelayMs(1, 600_000, () => 0.5)).toBe(20_000);
    expect(retryDelayMs(1, 0, () => 0.5)).toBe(1000);
    expect(retryDelayMs(1, -3000, () => 0.5)).toBe(1000);
  });
});

describe('retryReason', () => {
  test('names a loading model apart from a busy server', () => {
    expect(retryReason(503, '{"error":"Model x is currently loading","estimated_time":20}')).toBe('model loading');
    expect(retryReason(503, '')).toBe('server busy');
    expect(retryReason(502, '')).toBe('server busy');
    expect(retryReason(504, '')).toBe('server timed out');
  });
});
