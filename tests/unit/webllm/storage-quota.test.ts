import { describe, expect, test, vi } from 'vitest';
import { checkQuota, requestPersistence } from '../../../src/engines/webllm/storage-quota.js';

const GB = 1024 ** 3;

const storage = (estimate: StorageEstimate | Error) => ({
  estimate: async () => {
    if (estimate instanceof Error) throw estimate;
    return estimate;
  },
});

describe('checkQuota', () => {
  test('enough room: ok, with the figures and a sentence for the consent step', async () => {
    const result = await checkQuota(4.3 * GB, storage({ usage: 1 * GB, quota: 60 * GB }));
    expect(result).toEqual({
      ok: true,
      usage: 1 * GB,
      quota: 60 * GB,
      free: 59 * GB,
      message: "The model takes about 4.3 GB in this browser's storage; 59.0 GB is available.",
    });
  });

  test('too little room: not ok, and the message says what to do', async () => {
    const result = await checkQuota(4.3 * GB, storage({ usage: 8 * GB, quota: 10 * GB }));
    expect(result.ok).toBe(false);
    expect(result.free).toBe(2 * GB);
    expect(result.message).toBe(
      'The model needs about 4.3 GB, but this browser lets the app store only 2.0 GB more. ' +
        'Free up disk space or delete other models, or choose a smaller model.',
    );
  });

  test('a browser that does not say lets the user decide', async () => {
    for (const unknown of [storage({}), storage(new Error('SecurityError')), undefined]) {
      const result = await checkQuota(700 * 1024 * 1024, unknown);
      expect(result.ok).toBe(true);
      expect(result.free).toBeUndefined();
      expect(result.message).toMatch(/about 700 MB.*does not say how much space is free/);
    }
  });
});

describe('requestPersistence', () => {
  test('asks only when storage is not persistent yet', async () => {
    const persist = vi.fn(async () => true);
    expect(await requestPersistence({ persisted: async () => false, persist })).toBe(true);
    expect(persist).toHaveBeenCalledOnce();

    const notAgain = vi.fn(async () => true);
    expect(await requestPersistence({ persisted: async () => true, persist: notAgain })).toBe(true);
    expect(notAgain).not.toHaveBeenCalled();
  });

  test('a refusal or a failure is false, never thrown', async () => {
    expect(await requestPersistence({ persisted: async () => false, persist: async () => false })).toBe(false);
    const failing = { persisted: async () => Promise.reject(new Error('denied')), persist: async () => true };
    expect(await requestPersistence(failing)).toBe(false);
    expect(await requestPersistence(undefined)).toBe(false);
  });
});
