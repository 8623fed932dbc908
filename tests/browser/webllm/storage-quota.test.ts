import { describe, expect, test } from 'vitest';
import { checkQuota } from '../../../src/engines/webllm/storage-quota.js';

describe('checkQuota on this browser’s real storage estimate', () => {
  test('a small download fits and the figures come from the browser', async () => {
    const result = await checkQuota(1024 * 1024);
    expect(result.ok).toBe(true);
    expect(result.quota).toBeGreaterThan(0);
    expect(result.free).toBeLessThanOrEqual(result.quota ?? 0);
  });

  test('a download larger than the quota is refused before anything starts', async () => {
    const { quota } = await navigator.storage.estimate();
    const result = await checkQuota((quota ?? 0) + 1);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Free up disk space/);
  });
});
