/**
 * What this device's WebGPU can do, checked without loading WebLLM: the adapter's features, the limits WebLLM refuses
 * to start without (`detectGPUDevice` in its index.js), whether WebGPU exists in a worker too (WebLLM runs in one),
 * and whether the "GPU" is really a software renderer.
 */

import { formatBytes } from './format.js';

/** WebLLM's own floors (`detectGPUDevice`): below these it throws before loading anything. */
export const MIN_MAX_BUFFER_SIZE = 256 * 1024 * 1024;
export const MIN_MAX_STORAGE_BUFFER_BINDING_SIZE = 128 * 1024 * 1024;
export const MIN_MAX_COMPUTE_WORKGROUP_STORAGE_SIZE = 32 * 1024;
export const MIN_MAX_STORAGE_BUFFERS_PER_SHADER_STAGE = 10;

/** How long the worker check may take before it counts as passed: a slow start is no reason to refuse the GPU. */
const WORKER_CHECK_TIMEOUT_MS = 3000;

export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  /** `adapter.info.device`: often empty, like `description`, unless the browser chooses to name the GPU. */
  device?: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface GpuUnavailable {
  available: false;
  /**
   * `no-webgpu`: the browser has no `navigator.gpu`; `no-webgpu-in-worker`: the page has it, a worker does not;
   * `no-adapter`: it has, but offers no GPU; `error`: the check failed.
   */
  reason: 'no-webgpu' | 'no-webgpu-in-worker' | 'no-adapter' | 'error';
  /** One or two sentences for the user: what is missing and what to do. */
  message: string;
}

export interface GpuAvailable {
  available: true;
  adapter: GpuAdapterDescription;
  features: string[];
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** Whether the buffer and shader limits reach WebLLM's floors; when false no model can load. */
  meetsLimits: boolean;
  /** A CPU rasteriser posing as a GPU (SwiftShader, llvmpipe, WARP): it works, but far too slowly for a 7B model. */
  software: boolean;
  message: string;
}

export type GpuReport = GpuUnavailable | GpuAvailable;

export const NO_WEBGPU_MESSAGE =
  'This browser has no WebGPU, which running the model on this device needs: use Chrome or Edge 113 or later, ' +
  'Safari 26 or later, or Firefox 141 or later on Windows. Until then, the Hugging Face API works here.';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver|\bwarp\b/i;

export const NO_WEBGPU_IN_WORKER_MESSAGE =
  'This browser offers WebGPU to web pages but not to the background worker the model runs in, so the model cannot ' +
  'run here. Update the browser, or use the Hugging Face API.';

/**
 * Never throws: every failure becomes a report the settings panel can show. `workerHasWebGpu` asks a worker (see
 * gpu-worker-check.ts); `undefined` (it could not tell) does not count against the GPU.
 */
export async function probeGpu(
  gpu: GPU | undefined = defaultGpu(),
  workerHasWebGpu: () => Promise<boolean | undefined> = checkWebGpuInWorker,
): Promise<GpuReport> {
  if (!gpu) return { available: false, reason: 'no-webgpu', message: NO_WEBGPU_MESSAGE };
  if ((await workerHasWebGpu()) === false) {
    return { available: false, reason: 'no-webgpu-in-worker', message: NO_WEBGPU_IN_WORKER_MESSAGE };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return {
      available: false,
      reason: 'error',
      message:
        `WebGPU could not be started (${error instanceof Error ? error.message : String(error)}). ` +
        'Reload the page, or use the Hugging Face API.',
    };
  }
  if (!adapter) {
    return {
      available: false,
      reason: 'no-adapter',
      message:
        'WebGPU is present but offers no GPU: hardware acceleration may be turned off in the browser settings, or ' +
        'this GPU is blocked by the browser. Turn it on, or use the Hugging Face API.',
    };
  }
  return describeAdapter(adapter);
}

function describeAdapter(adapter: GPUAdapter): GpuAvailable {
  // `adapter.info` arrived in Chrome 127 and Safari 26; older browsers leave it undefined.
  const info: Partial<GPUAdapterInfo> = (adapter.info as GPUAdapterInfo | undefined) ?? {};
  const description: GpuAdapterDescription = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? false,
  };
  const features = [...adapter.features].sort();
  const shaderF16 = adapter.features.has('shader-f16');
  const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const shaderLimitsMet =
    adapter.limits.maxComputeWorkgroupStorageSize >= MIN_MAX_COMPUTE_WORKGROUP_STORAGE_SIZE &&
    adapter.limits.maxStorageBuffersPerShaderStage >= MIN_MAX_STORAGE_BUFFERS_PER_SHADER_STAGE;
  const buffersMet =
    maxBufferSize >= MIN_MAX_BUFFER_SIZE && maxStorageBufferBindingSize >= MIN_MAX_STORAGE_BUFFER_BINDING_SIZE;
  const meetsLimits = buffersMet && shaderLimitsMet;
  const software =
    description.isFallbackAdapter ||
    SOFTWARE_RENDERER.test(`${description.vendor} ${description.architecture} ${description.description}`);
  const report: GpuAvailable = {
    available: true,
    adapter: description,
    features,
    shaderF16,
    maxBufferSize,
    maxStorageBufferBindingSize,
    meetsLimits,
    software,
    message: '',
  };
  report.message = describeReport(report, buffersMet);
  return report;
}

function describeReport(report: GpuAvailable, buffersMet: boolean): string {
  if (!buffersMet) {
    return (
      `This GPU allows buffers of only ${formatBytes(Math.min(report.maxBufferSize, report.maxStorageBufferBindingSize))}, ` +
      'below what WebLLM needs (256 MB, and 128 MB per storage binding), so no model can run on it. ' +
      'Use the Hugging Face API.'
    );
  }
  if (!report.meetsLimits) {
    return (
      'This GPU offers too little shader memory or too few storage buffers per shader (WebLLM needs 32 KB of ' +
      'workgroup storage and 10 storage buffers), so no model can run on it. Use the Hugging Face API.'
    );
  }
  if (report.software) {
    return (
      'WebGPU runs on a software renderer here, with no real GPU behind it: a model would be far too slow to use. ' +
      'The Hugging Face API is recommended.'
    );
  }
  const name = gpuName(report.adapter);
  return report.shaderF16
    ? `WebGPU is ready on ${name}, with 16-bit float shaders: Mistral 7B (q4f16_1) can run here.`
    : `WebGPU is ready on ${name}, without 16-bit float shaders: the larger q4f32_1 build of Mistral 7B will be used.`;
}

function gpuName(adapter: GpuAdapterDescription): string {
  const name = adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ');
  return name || 'this GPU';
}

/** Starts gpu-worker-check.ts and waits for its answer; `undefined` when the worker cannot start or does not answer. */
export function checkWebGpuInWorker(): Promise<boolean | undefined> {
  if (typeof Worker === 'undefined') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./gpu-worker-check.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve(undefined);
      return;
    }
    const answer = (hasGpu: boolean | undefined): void => {
      clearTimeout(timer);
      worker.terminate();
      resolve(hasGpu);
    };
    const timer = setTimeout(() => answer(undefined), WORKER_CHECK_TIMEOUT_MS);
    worker.addEventListener('message', (event: MessageEvent) => answer(event.data === true));
    worker.addEventListener('error', () => answer(undefined));
  });
}

function defaultGpu(): GPU | undefined {
  // `navigator.gpu` is typed as always present, but it is undefined wherever WebGPU is missing.
  return typeof navigator === 'undefined' ? undefined : (navigator.gpu as GPU | undefined);
}
