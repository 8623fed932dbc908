/**
 * WebLLM 0.2.86's own texts and shapes, copied from node_modules/@mlc-ai/web-llm/lib/index.js so the tests replay
 * what the real engine sends: progress reports (tvmjs `fetchTensorCacheInternal`, `asyncLoadWebGPUPipelines`,
 * `MLCEngine.reloadInternal`), errors as the worker forwards them (`err.toString()`), and stream chunks
 * (`makeStreamDeltaChunk`, `makeStreamFinalChunk`, `makeStreamUsageChunk`).
 */

import type { ChatCompletionChunk, CompletionUsage, InitProgressReport } from '@mlc-ai/web-llm';

const FETCH_TAIL =
  ' It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.';

export const PROGRESS = {
  start: { progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
  fetchFirst: {
    progress: 37 / 3891,
    timeElapsed: 2,
    text: `Fetching param cache[1/108]: 37MB fetched. 0% completed, 2 secs elapsed.${FETCH_TAIL}`,
  },
  fetchQuarter: {
    progress: 0.25,
    timeElapsed: 40,
    text: `Fetching param cache[27/108]: 973MB fetched. 25% completed, 40 secs elapsed.${FETCH_TAIL}`,
  },
  fetchDone: {
    progress: 1,
    timeElapsed: 160,
    text: `Fetching param cache[108/108]: 3891MB fetched. 100% completed, 160 secs elapsed.${FETCH_TAIL}`,
  },
  cacheHalf: {
    progress: 0.5,
    timeElapsed: 12,
    text: 'Loading model from cache[54/108]: 1946MB loaded. 50% completed, 12 secs elapsed.',
  },
  shaders: { progress: 0.5, timeElapsed: 3, text: 'Loading GPU shader modules[40/80]: 50% completed, 3 secs elapsed.' },
  finish: { progress: 1, timeElapsed: 181.4, text: 'Finish loading on WebGPU - SwiftShader Device (Subzero)' },
} satisfies Record<string, InitProgressReport>;

/** `err.toString()` of WebLLM's errors, as the worker posts them ("Name: message"). */
export const ERRORS = {
  webgpuNotAvailable:
    'WebGPUNotAvailableError: WebGPU is not supported in your current environment, but it is necessary to run the ' +
    'WebLLM engine. Please make sure that your browser supports WebGPU and that it is enabled in your browser ' +
    "settings. You can also consult your browser's compatibility chart to see if it supports WebGPU. For more " +
    'information about WebGPU support in your browser, visit https://webgpureport.org/',
  noAdapter:
    "Error: Unable to find a compatible GPU. This issue might be because your computer doesn't have a GPU, or your " +
    'system settings are not configured properly. Please check if your device has a GPU properly set up and if your ' +
    "your browser supports WebGPU. You can also consult your browser's compatibility chart to see if it supports " +
    'WebGPU. For more information about WebGPU support in your browser, visit https://webgpureport.org/',
  shaderF16:
    'ShaderF16SupportError: This model requires WebGPU extension shader-f16, which is not enabled in this browser. ' +
    'You can try to launch Chrome Canary in command line with flag "--enable-dawn-features=allow_unsafe_apis".',
  deviceLost:
    'DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to running out ' +
    'of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context ' +
    'length.',
  maxBufferSize:
    'Error: Cannot initialize runtime because of requested maxBufferSize exceeds limit. requested=256MB, ' +
    'limit=128MB. Consider upgrading your browser.',
  maxStorageBufferBindingSize:
    'Error: Cannot initialize runtime because of requested maxStorageBufferBindingSize exceeds limit. ' +
    'requested=128MB, limit=64MB. ',
  modelNotLoaded:
    'ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest. Please ensure you have ' +
    'called MLCEngine.reload(model) to load the model before initiating APIs, or initialize your engine using ' +
    'CreateMLCEngine() with a valid model configuration.',
  workerModelNotLoaded:
    'WorkerEngineModelNotLoadedError: WebWorkerMLCEngine is not loaded with a model. Did you call `engine.reload()`?',
  contextWindow:
    'ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: 5120; ' +
    'context window size: 4096\nConsider shortening the prompt, or increase `context_window_size`, or using sliding ' +
    'window via `sliding_window_size`.',
  integrity:
    'IntegrityError: Integrity verification failed for https://huggingface.co/mlc-ai/Mistral-7B-Instruct-v0.3-q4f16_1-MLC/resolve/main/mlc-chat-config.json\n' +
    '  Expected: sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n' +
    '  Actual: sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=\n' +
    'This may indicate file corruption or tampering.',
  missingModelLib:
    'MissingModelError: Missing `model_lib` for the model with ID "Mistral-7B-Instruct-v0.3-q4f16_1-MLC". Please ' +
    'ensure that `model_lib` is provided in `model_list` for each model. This URL is essential for downloading the ' +
    'WASM library necessary to run the model.',
  wasmCompile: 'CompileError: WebAssembly.instantiate(): expected magic word 00 61 73 6d, found 3c 21 44 4f @+0',
  wasmLink:
    'LinkError: WebAssembly.instantiate(): Import #3 "env" "TVMFFIWasmSafeCall": function import requires a callable',
  wasmCacheMiss:
    'Error: Cannot fetch https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Mistral-7B-Instruct-v0.3-q4f16_1-ctx4k_cs1k-webgpu.wasm',
  fetchFailed: 'TypeError: Failed to fetch',
  cacheAddFailed: "TypeError: Failed to execute 'add' on 'Cache': Request failed",
  firefoxNetwork: 'TypeError: NetworkError when attempting to fetch resource.',
  safariNetwork: 'TypeError: Load failed',
  quota: 'QuotaExceededError: Quota exceeded.',
  /** tvmjs `getHandle()` once the runtime was disposed by its device-lost handler (index.js:7396). */
  disposed: 'Error: Object has already been disposed',
  arrayBufferOom: 'RangeError: Array buffer allocation failed',
  wasmMemoryOom: 'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded',
  gpuOom: 'Error: GPUOutOfMemoryError: Out of memory',
} as const;

/** A device lost to `destroy()`, as tvmjs's `tryCreateBuffer` does after a failed allocation (the message is the browser's). */
export const DEVICE_DESTROYED = { reason: 'destroyed', message: 'Device was destroyed.' } as const;

export const MISTRAL = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC';

const base = { id: 'chatcmpl-1', model: MISTRAL, object: 'chat.completion.chunk' as const, created: 1767225600 };

export function deltaChunk(content: string): ChatCompletionChunk {
  return {
    ...base,
    choices: [{ delta: { content, role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }],
  };
}

export function finalChunk(finishReason: 'stop' | 'length' | 'abort'): ChatCompletionChunk {
  return { ...base, choices: [{ delta: {}, finish_reason: finishReason, index: 0 }] };
}

export function usageChunk(promptTokens: number, completionTokens: number): ChatCompletionChunk {
  const usage: CompletionUsage = {
    completion_tokens: completionTokens,
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    extra: {
      e2e_latency_s: 2.75,
      prefill_tokens_per_s: 512.5,
      decode_tokens_per_s: 24.25,
      time_to_first_token_s: 0.375,
      time_per_output_token_s: 0.041,
    },
  };
  return { ...base, choices: [], usage };
}
