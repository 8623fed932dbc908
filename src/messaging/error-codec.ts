/**
 * How an error crosses between a worker and the page. Structured cloning keeps neither an Error's class nor, in every
 * browser, its name, so every worker sends `{ name, message }` and the other side rebuilds an error that callers can
 * still tell apart: WebLLM's classes ("DeviceLostError" …) and IndexedDB's ("QuotaExceededError" …) by name, a
 * network or CORS failure as a real `TypeError` (the hosted engine's error mapping tests `instanceof TypeError`), an
 * abort as the `AbortError` DOMException a page's own `fetch` throws.
 */

export interface SerializedError {
  /** The error's class, e.g. "DeviceLostError" or "TypeError"; "Error" when it had none. */
  name: string;
  message: string;
}

/** "Name: message", the form WebLLM and tvmjs use when they throw strings or stringify errors. */
const NAMED_MESSAGE = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/;

export function encodeError(error: unknown): SerializedError {
  if (typeof error === 'string') {
    const match = NAMED_MESSAGE.exec(error);
    return match?.[1] && match[2] !== undefined
      ? { name: match[1], message: match[2] }
      : { name: 'Error', message: error };
  }
  if (typeof error === 'object' && error !== null) {
    // Read through the prototype too: a DOMException's name and message are getters there, not own fields.
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return { name: typeof name === 'string' && name ? name : 'Error', message };
  }
  return { name: 'Error', message: String(error) };
}

/** Said when the other side sent an error this side cannot read, so the call still fails with words a user can act on. */
export const UNREADABLE_ERROR_MESSAGE = 'The worker reported an error that could not be read.';

/**
 * The error as the other side would have thrown it: a `TypeError`, an `AbortError` DOMException, or an Error that
 * prints as the original ("DeviceLostError: The WebGPU device was lost …"). A malformed payload still gives an Error.
 */
export function decodeError(data: unknown): Error {
  const { name, message } = (typeof data === 'object' && data !== null ? data : {}) as Partial<Record<string, unknown>>;
  if (typeof name !== 'string' || typeof message !== 'string') return new Error(UNREADABLE_ERROR_MESSAGE);
  if (name === 'TypeError') return new TypeError(message);
  if (name === 'AbortError') return new DOMException(message, 'AbortError');
  const error = new Error(message);
  error.name = name || 'Error';
  return error;
}
