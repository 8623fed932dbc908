import { describe, expect, test } from 'vitest';
import {
  GpuResetError,
  isBrokenModelLibrary,
  localEngineError,
  toEngineError,
} from '../../../src/engines/webllm/errors.js';
import { EngineError, type EngineErrorKind } from '../../../src/engines/types.js';
import { ERRORS } from './fixtures.js';

const cases: [keyof typeof ERRORS, EngineErrorKind][] = [
  ['webgpuNotAvailable', 'webgpu-unavailable'],
  ['noAdapter', 'webgpu-unavailable'],
  ['shaderF16', 'shader-f16-unsupported'],
  ['deviceLost', 'device-lost'],
  ['maxBufferSize', 'out-of-memory'],
  ['maxStorageBufferBindingSize', 'out-of-memory'],
  ['arrayBufferOom', 'out-of-memory'],
  ['wasmMemoryOom', 'out-of-memory'],
  ['gpuOom', 'out-of-memory'],
  ['modelNotLoaded', 'model-not-loaded'],
  ['workerModelNotLoaded', 'model-not-loaded'],
  ['contextWindow', 'context-window'],
  ['integrity', 'integrity'],
  ['missingModelLib', 'model-library'],
  ['wasmCompile', 'model-library'],
  ['wasmLink', 'model-library'],
  ['wasmCacheMiss', 'model-library'],
  ['fetchFailed', 'download-failed'],
  ['cacheAddFailed', 'download-failed'],
  ['firefoxNetwork', 'download-failed'],
  ['safariNetwork', 'download-failed'],
  ['quota', 'quota'],
];

describe('toEngineError', () => {
  test.each(cases)('the worker string %s becomes %s', (key, kind) => {
    const error = toEngineError(ERRORS[key]);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.kind).toBe(kind);
    expect(error.cause).toBe(ERRORS[key]);
  });

  test('every message says what happened and what to do, in one or two sentences', () => {
    for (const [key] of cases) {
      const message = toEngineError(ERRORS[key]).userMessage;
      const sentences = message.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length, message).toBeGreaterThanOrEqual(1);
      expect(sentences.length, message).toBeLessThanOrEqual(2);
      expect(message, message).not.toMatch(/Chrome Canary|context_window_size|MLCEngine/);
    }
  });

  test('failures that a smaller model or the hosted API can avoid say so', () => {
    expect(toEngineError(ERRORS.deviceLost).userMessage).toMatch(/ran out of memory or was reset.*Send again.*smaller/);
    expect(toEngineError(ERRORS.deviceLost).userMessage).not.toMatch(/Reload the page/);
    expect(toEngineError(ERRORS.wasmCompile).userMessage).toMatch(/Hugging Face API/);
    expect(toEngineError(ERRORS.shaderF16).userMessage).toMatch(/q4f32_1/);
  });

  test('a GPU reset names what the browser said and, once known, a smaller model that fits', () => {
    const reset = new GpuResetError({ reason: 'destroyed', message: 'Device was destroyed.' });
    expect(reset.kind).toBe('device-lost');
    expect(reset.userMessage).toContain('(the browser said: destroyed, Device was destroyed.)');
    const suggested = reset.suggesting('Llama 3.2 3B Instruct · q4f16_1');
    expect(suggested.userMessage).toMatch(/such as Llama 3\.2 3B Instruct · q4f16_1, in Settings\.$/);
    expect(suggested.loss).toEqual(reset.loss);
    expect(suggested.userMessage.split(/(?<=\.)\s+(?=[A-Z])/)).toHaveLength(2);
  });

  test('buffer limits get their own message', () => {
    expect(toEngineError(ERRORS.maxBufferSize).userMessage).toMatch(/limits are too small/);
  });

  test('Error and DOMException objects are read by name and message', () => {
    expect(toEngineError(new TypeError('Failed to fetch')).kind).toBe('download-failed');
    expect(toEngineError(new DOMException('Quota exceeded.', 'QuotaExceededError')).kind).toBe('quota');
    const deviceLost = new Error('The WebGPU device was lost while loading the model.');
    deviceLost.name = 'DeviceLostError';
    expect(toEngineError(deviceLost).kind).toBe('device-lost');
  });

  test('an EngineError passes through unchanged', () => {
    const original = new EngineError('quota', 'Full.');
    expect(toEngineError(original)).toBe(original);
  });

  test('anything else is unknown, named when it has a name', () => {
    const error = toEngineError('SeedTypeError: `seed` should be an integer, but got 1.5');
    expect(error.kind).toBe('unknown');
    expect(error.userMessage).toBe(
      'The local model failed (SeedTypeError). Reload the page and try again, or use the Hugging Face API.',
    );
    expect(toEngineError(42).kind).toBe('unknown');
  });

  test('localEngineError gives the standard message for a kind', () => {
    const error = localEngineError('model-in-use');
    expect(error.kind).toBe('model-in-use');
    expect(error.userMessage).toBe('The model is in use in another tab. Choose "Use here" to move it to this tab.');
  });
});

describe('isBrokenModelLibrary', () => {
  test('a model library that fails to compile or link is broken, so the cached copy must go', () => {
    expect(isBrokenModelLibrary(toEngineError(ERRORS.wasmCompile))).toBe(true);
    expect(isBrokenModelLibrary(toEngineError(ERRORS.wasmLink))).toBe(true);
  });

  test('a library that could not be fetched, or any other failure, is not', () => {
    expect(isBrokenModelLibrary(toEngineError(ERRORS.missingModelLib))).toBe(false);
    expect(isBrokenModelLibrary(toEngineError(ERRORS.fetchFailed))).toBe(false);
    expect(isBrokenModelLibrary(new Error('anything'))).toBe(false);
  });
});
