import { describe, expect, it } from 'vitest';
import { STORAGE_MESSAGES, StorageError, toStorageError } from '../../../src/storage/errors.js';

describe('toStorageError', () => {
  it('turns a full disk into a quota error that says nothing saved was lost', () => {
    const error = toStorageError(new DOMException('Quota exceeded', 'QuotaExceededError'));
    expect(error).toBeInstanceOf(StorageError);
    expect(error.kind).toBe('quota');
    expect(error.userMessage).toBe(STORAGE_MESSAGES.quota);
    expect(error.cause).toBeInstanceOf(DOMException);
  });

  it("recognises Firefox's older name for a full disk", () => {
    const firefox = new DOMException('Quota reached', 'NS_ERROR_DOM_QUOTA_REACHED');
    expect(toStorageError(firefox).kind).toBe('quota');
  });

  it('treats a refused open as unavailable storage, but the same error mid-session as unknown', () => {
    const refused = new DOMException('A mutation operation was attempted', 'InvalidStateError');
    expect(toStorageError(refused, { opening: true }).kind).toBe('unavailable');
    expect(toStorageError(refused).kind).toBe('unknown');
    expect(toStorageError(new DOMException('denied', 'SecurityError')).kind).toBe('unavailable');
  });

  it('asks for a reload when the database is newer than this version of the app', () => {
    const error = toStorageError(new DOMException('requested version is less than existing', 'VersionError'));
    expect(error.kind).toBe('blocked');
    expect(error.userMessage).toMatch(/Reload/);
  });

  it('keeps a StorageError as it is and wraps anything else as unknown', () => {
    const original = new StorageError('blocked', STORAGE_MESSAGES.updatedElsewhere);
    expect(toStorageError(original)).toBe(original);
    expect(toStorageError(new TypeError('x'))).toMatchObject({
      kind: 'unknown',
      userMessage: STORAGE_MESSAGES.unknown,
    });
    expect(toStorageError('a string')).toMatchObject({ kind: 'unknown' });
  });
});
