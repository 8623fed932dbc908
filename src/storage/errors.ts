/**
 * Every storage failure the user can meet, by what they can do about it:
 * - `quota`: the site's storage is full; free space;
 * - `unavailable`: the browser will not store anything for this site (private mode, blocked site data);
 * - `blocked`: another tab runs a different version of the app; reload or close tabs;
 * - `unknown`: anything else.
 */
export type StorageErrorKind = 'quota' | 'unavailable' | 'blocked' | 'unknown';

export const STORAGE_MESSAGES = {
  quota:
    "Your browser's storage for this site is full, so the last change was not saved. Delete conversations or downloaded models to free space; nothing already saved was lost.",
  unavailable:
    'This browser does not let the app store anything for this site (private browsing or blocked site data can cause this), so conversations and settings cannot be saved. Open the app in a normal window or allow site data for it, then reload.',
  updatedElsewhere:
    'The app was updated in another tab, so this tab stopped saving to keep your conversations safe. Reload this tab to continue.',
  importQuota:
    "The backup does not fit in your browser's storage for this site, so nothing was imported and nothing already saved was lost. Delete conversations or downloaded models to free space, then import again.",
  waitingForOtherTabs:
    'The app is updating how it stores your conversations, but another tab still runs the old version. Close or reload the other tabs of this app to continue.',
  newerDatabase:
    'Your conversations were saved by a newer version of the app than this tab runs. Reload the page to get the latest version.',
  closed: 'The connection to saved conversations was closed. Reload the page to continue.',
  unknown:
    'Saving or loading your conversations failed unexpectedly. Reload the page and try again; if it keeps happening, export your conversations as a backup.',
} as const;

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly kind: StorageErrorKind;
  /** One or two sentences for the alert: what happened, what to do next. */
  readonly userMessage: string;

  constructor(kind: StorageErrorKind, userMessage: string, options: { cause?: unknown } = {}) {
    super(userMessage, { cause: options.cause });
    this.kind = kind;
    this.userMessage = userMessage;
  }
}

/** Legacy `code` of QuotaExceededError, which some engines report with a vendor-specific name. */
const QUOTA_EXCEEDED_CODE = 22;

/** Errors that, while opening, mean the browser refuses this site any database. */
const OPEN_REFUSALS = new Set(['SecurityError', 'InvalidStateError', 'UnknownError', 'NotAllowedError']);

/**
 * Maps whatever IndexedDB (or idb) threw to a StorageError. `opening` says the failure happened while opening the
 * database, where a refusal means the storage is unavailable rather than that one operation went wrong.
 */
export function toStorageError(error: unknown, { opening = false }: { opening?: boolean } = {}): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const cause = { cause: error };
  if (
    name === 'QuotaExceededError' ||
    name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    (error instanceof DOMException && error.code === QUOTA_EXCEEDED_CODE)
  ) {
    return new StorageError('quota', STORAGE_MESSAGES.quota, cause);
  }
  if (name === 'VersionError') return new StorageError('blocked', STORAGE_MESSAGES.newerDatabase, cause);
  if (name === 'SecurityError' || (opening && OPEN_REFUSALS.has(name))) {
    return new StorageError('unavailable', STORAGE_MESSAGES.unavailable, cause);
  }
  return new StorageError('unknown', STORAGE_MESSAGES.unknown, cause);
}
