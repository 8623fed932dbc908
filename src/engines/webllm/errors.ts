/**
 * WebLLM failures as the user can act on them. Through the worker, WebLLM sends `err.toString()`, so most errors
 * arrive as strings "Name: message" (e.g. "DeviceLostError: The WebGPU device was lost …"); in the worker itself, and
 * from the Cache API, they are Error or DOMException objects. Both are read by name first, then by message.
 */

import { EngineError } from '../types.js';
import type { EngineErrorKind } from '../types.js';
import type { DeviceLoss } from './device-loss.js';

const HF_API = 'the Hugging Face API';

/** The name of the error the local engine raises when its worker dies (failed to start, crashed). */
export const WORKER_ERROR_NAME = 'LocalEngineWorkerError';

const MESSAGES: Partial<Record<EngineErrorKind, string>> = {
  'webgpu-unavailable': `This browser or device offers no usable WebGPU, so the model cannot run here. Use ${HF_API} instead.`,
  'shader-f16-unsupported':
    'This GPU lacks 16-bit float shaders, which the q4f16_1 build needs. Choose the q4f32_1 build in Settings, or use ' +
    `${HF_API}.`,
  'out-of-memory': `The GPU ran out of memory for this model. Choose a smaller model in Settings, or use ${HF_API}.`,
  'model-library':
    "The model's program could not be loaded or started in this browser. Reload the page to try again, or use " +
    `${HF_API}.`,
  'download-failed':
    'The model download failed because the network connection dropped. Try again: the parts already downloaded are ' +
    'kept.',
  integrity:
    'A downloaded model file did not match its checksum, so it was not used. Delete the model in Settings and ' +
    'download it again.',
  quota:
    'This browser ran out of storage space for the model. Free up disk space or delete other models in Settings, ' +
    'then try again.',
  'model-in-use': 'The model is in use in another tab. Choose "Use here" to move it to this tab.',
  'model-not-loaded': 'The model is not loaded (the GPU may have reset). Load it again in Settings.',
  'context-window':
    "This conversation is too long for the local model's 4,096-token context. Start a new chat or shorten your " +
    'message.',
  'not-found': 'This model is not in the list WebLLM knows. Choose another model in Settings.',
};

const LIMITS_MESSAGE = `This GPU's limits are too small for WebLLM. Use ${HF_API} instead.`;
const WORKER_STOPPED_MESSAGE = `The local engine stopped unexpectedly. Reload the page to try again, or use ${HF_API}.`;

interface Described {
  name: string;
  message: string;
}

/**
 * The GPU ran out of memory or was reset, and the model went with it. `loss` is what the browser said when the device
 * went away, when the worker saw it; `smallerModel` names a model that fits this GPU's probed limits.
 */
export class GpuResetError extends EngineError {
  readonly loss: DeviceLoss | undefined;

  constructor(loss: DeviceLoss | undefined, smallerModel?: string, options: { cause?: unknown } = {}) {
    const said = loss ? ` (the browser said: ${[loss.reason, loss.message].filter(Boolean).join(', ')})` : '';
    const instead = smallerModel
      ? `choose a smaller model that fits this GPU, such as ${smallerModel}, in Settings`
      : 'choose a smaller model in Settings';
    super(
      'device-lost',
      `The GPU ran out of memory or was reset${said}, and the model was unloaded. Send again to load it afresh, or ` +
        `${instead}.`,
      options,
    );
    this.loss = loss;
  }

  /** The same failure, naming a smaller model the user can switch to. */
  suggesting(smallerModel: string): GpuResetError {
    return new GpuResetError(this.loss, smallerModel, { cause: this.cause });
  }
}

/**
 * `error` naming `smallerModel` (a model that fits this GPU's probed limits) where a smaller model is the way out:
 * the GPU ran out of memory, or was reset. Any other error is returned as it is.
 */
export function suggestSmallerModel(error: EngineError, smallerModel: string | undefined): EngineError {
  if (smallerModel === undefined) return error;
  if (error instanceof GpuResetError) return error.suggesting(smallerModel);
  if (error.kind === 'out-of-memory' && error.userMessage === MESSAGES['out-of-memory']) {
    return new EngineError(
      'out-of-memory',
      `The GPU ran out of memory for this model. Choose a smaller model that fits this GPU, such as ${smallerModel}, ` +
        `in Settings, or use ${HF_API}.`,
      { cause: error.cause },
    );
  }
  return error;
}

export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const { name, message } = describe(error);
  const kind = classify(name, message);
  if (kind === 'device-lost') return new GpuResetError(undefined, undefined, { cause: error });
  const userMessage =
    kind === 'out-of-memory' && /Cannot initialize runtime because of requested/i.test(message)
      ? LIMITS_MESSAGE
      : name === WORKER_ERROR_NAME
        ? WORKER_STOPPED_MESSAGE
        : (MESSAGES[kind] ?? unknownMessage(name));
  return new EngineError(kind, userMessage, { cause: error });
}

/**
 * Whether `error` (or the error an {@link EngineError} wraps) says the model library itself is not WebAssembly this
 * browser can compile or link: a corrupt file, or an error page stored in its place. WebLLM keeps any library it
 * fetched, so such a file would fail every later load too.
 */
export function isBrokenModelLibrary(error: unknown): boolean {
  const { name } = describe(error instanceof EngineError ? error.cause : error);
  return name === 'CompileError' || name === 'LinkError';
}

/** The standard message for a kind, e.g. `localEngineError('model-in-use')` when another tab took the GPU. */
export function localEngineError(kind: EngineErrorKind, cause?: unknown): EngineError {
  return new EngineError(kind, MESSAGES[kind] ?? unknownMessage(''), { cause });
}

function classify(name: string, message: string): EngineErrorKind {
  const text = `${name}: ${message}`;
  switch (name) {
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return 'webgpu-unavailable';
    case 'ShaderF16SupportError':
      return 'shader-f16-unsupported';
    case 'DeviceLostError':
      return 'device-lost';
    case 'QuotaExceededError':
      return 'quota';
    case 'IntegrityError':
      return 'integrity';
    case 'ContextWindowSizeExceededError':
      return 'context-window';
    case 'ModelNotLoadedError':
    case 'WorkerEngineModelNotLoadedError':
    case 'EngineNotLoadedError':
      return 'model-not-loaded';
    case 'ModelNotFoundError':
      return 'not-found';
    case 'MissingModelError':
    case 'CompileError':
    case 'LinkError':
    case WORKER_ERROR_NAME:
      return 'model-library';
  }
  if (name === 'FeatureSupportError') {
    return /shader-f16/.test(message) ? 'shader-f16-unsupported' : 'webgpu-unavailable';
  }
  if (/Unable to find a compatible GPU|WebGPU is not supported/i.test(text)) return 'webgpu-unavailable';
  if (/device (?:was |is )?lost|lost the device/i.test(text)) return 'device-lost';
  if (/quota/i.test(text)) return 'quota';
  if (
    /out of memory|OutOfMemory|\bOOM\b|allocation failed|could not allocate|memory size exceeded|createBuffer|maxBufferSize|maxStorageBufferBindingSize|Cannot initialize runtime because of requested/i.test(
      text,
    )
  ) {
    return 'out-of-memory';
  }
  if (/WebAssembly|\.wasm\b|model_lib/i.test(text)) return 'model-library';
  if (
    /Failed to fetch|NetworkError|Load failed|network|Request failed|Cannot fetch|ERR_[A-Z_]+|ECONNRESET|timed? ?out/i.test(
      text,
    )
  ) {
    return 'download-failed';
  }
  return 'unknown';
}

function describe(error: unknown): Described {
  if (typeof error === 'string') {
    // `err.toString()` from the worker: "Name: message", or a bare message for `throw "…"`.
    const match = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(error);
    return match?.[1] && match[2] !== undefined ? { name: match[1], message: match[2] } : { name: '', message: error };
  }
  if (error instanceof Error || error instanceof DOMException) return { name: error.name, message: error.message };
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return { name: typeof name === 'string' ? name : '', message: typeof message === 'string' ? message : '' };
  }
  return { name: '', message: String(error) };
}

function unknownMessage(name: string): string {
  const what = name && name !== 'Error' ? ` (${name})` : '';
  return `The local model failed${what}. Reload the page and try again, or use ${HF_API}.`;
}
