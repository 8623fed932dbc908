import { describe, expect, test } from 'vitest';
import { isAbortError } from '../../../src/engines/types.js';
import { decodeError, encodeError, UNREADABLE_ERROR_MESSAGE } from '../../../src/messaging/error-codec.js';

/** What the other side gets: the encoded error after a structured clone, as postMessage delivers it. */
const acrossTheChannel = (error: unknown): Error => decodeError(structuredClone(encodeError(error)));

describe('the error codec both workers share', () => {
  test('a WebLLM error thrown as a "Name: message" string keeps its name and prints as WebLLM’s own', () => {
    const decoded = acrossTheChannel('DeviceLostError: The WebGPU device was lost: reason unknown');

    expect(decoded.name).toBe('DeviceLostError');
    expect(decoded.message).toBe('The WebGPU device was lost: reason unknown');
    expect(String(decoded)).toBe('DeviceLostError: The WebGPU device was lost: reason unknown');
  });

  test('a bare string, a nameless object and a value that is no error become plain Errors with their text', () => {
    expect(encodeError('out of memory')).toEqual({ name: 'Error', message: 'out of memory' });
    expect(encodeError({ message: 'no name' })).toEqual({ name: 'Error', message: 'no name' });
    expect(encodeError(42)).toEqual({ name: 'Error', message: '42' });
    expect(encodeError(Object.assign(new Error('blank'), { name: '' }))).toEqual({ name: 'Error', message: 'blank' });
  });

  test('a network or CORS failure is still a TypeError on the other side, so the hosted mapping sees a network error', () => {
    const decoded = acrossTheChannel(new TypeError('Failed to fetch'));

    expect(decoded).toBeInstanceOf(TypeError);
    expect(decoded.message).toBe('Failed to fetch');
  });

  test('an abort is the AbortError DOMException a page’s own fetch throws', () => {
    const decoded = acrossTheChannel(new DOMException('The user aborted a request.', 'AbortError'));

    expect(decoded).toBeInstanceOf(DOMException);
    expect(decoded.name).toBe('AbortError');
    expect(isAbortError(decoded)).toBe(true);
  });

  test('a named Error class survives by name', () => {
    class ModelNotFoundError extends Error {
      override name = 'ModelNotFoundError';
    }
    const decoded = acrossTheChannel(new ModelNotFoundError('Cannot find model record'));

    expect(decoded.name).toBe('ModelNotFoundError');
    expect(decoded.message).toBe('Cannot find model record');
    expect(decoded).not.toBeInstanceOf(TypeError);
  });

  test.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'DeviceLostError: lost'],
    ['a name that is no string', { name: 7, message: 'x' }],
    ['no message', { name: 'TypeError' }],
  ])('a malformed error payload (%s) still fails the call with a readable Error', (_label, payload) => {
    const decoded = decodeError(payload);

    expect(decoded).toBeInstanceOf(Error);
    expect(decoded).not.toBeInstanceOf(TypeError);
    expect(decoded.message).toBe(UNREADABLE_ERROR_MESSAGE);
  });
});
