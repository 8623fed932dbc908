import { describe, expect, test } from 'vitest';
import { NO_WEBGPU_IN_WORKER_MESSAGE, NO_WEBGPU_MESSAGE, probeGpu } from '../../../src/engines/webllm/gpu-probe.js';

const MIB = 1024 * 1024;

interface FakeAdapterOptions {
  features?: string[];
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  maxComputeWorkgroupStorageSize?: number;
  maxStorageBuffersPerShaderStage?: number;
  info?: Partial<GPUAdapterInfo>;
}

function fakeGpu(adapter: FakeAdapterOptions | null | Error): GPU {
  const requestAdapter = async (): Promise<GPUAdapter | null> => {
    if (adapter instanceof Error) throw adapter;
    if (adapter === null) return null;
    return {
      features: new Set(adapter.features ?? []),
      limits: {
        maxBufferSize: adapter.maxBufferSize ?? 2048 * MIB,
        maxStorageBufferBindingSize: adapter.maxStorageBufferBindingSize ?? 1024 * MIB,
        // The WebGPU defaults are 16 KiB and 8; desktop GPUs offer 32 KiB and 10 or more.
        maxComputeWorkgroupStorageSize: adapter.maxComputeWorkgroupStorageSize ?? 32 * 1024,
        maxStorageBuffersPerShaderStage: adapter.maxStorageBuffersPerShaderStage ?? 10,
      },
      info: adapter.info,
    } as unknown as GPUAdapter;
  };
  return { requestAdapter } as unknown as GPU;
}

const NVIDIA = {
  vendor: 'nvidia',
  architecture: 'ada',
  description: 'NVIDIA GeForce RTX 4070',
  isFallbackAdapter: false,
};

describe('probeGpu', () => {
  test('no WebGPU: says which browsers have it and offers the hosted API', async () => {
    const report = await probeGpu(undefined);
    expect(report).toEqual({ available: false, reason: 'no-webgpu', message: NO_WEBGPU_MESSAGE });
    expect(report.message).toMatch(/Chrome or Edge 113.*Safari 26.*Firefox 141 or later on Windows.*Hugging Face API/);
  });

  test('WebGPU without an adapter, or failing, is reported, never thrown', async () => {
    expect(await probeGpu(fakeGpu(null))).toMatchObject({ available: false, reason: 'no-adapter' });
    const failed = await probeGpu(fakeGpu(new Error('GPU process crashed')));
    expect(failed).toMatchObject({ available: false, reason: 'error' });
    expect(failed.message).toMatch(/GPU process crashed/);
  });

  test('a real GPU with shader-f16 can run the q4f16_1 build', async () => {
    const report = await probeGpu(fakeGpu({ features: ['shader-f16', 'subgroups'], info: NVIDIA }));
    expect(report).toMatchObject({
      available: true,
      shaderF16: true,
      software: false,
      meetsLimits: true,
      features: ['shader-f16', 'subgroups'],
      adapter: NVIDIA,
    });
    expect(report.message).toBe(
      'WebGPU is ready on NVIDIA GeForce RTX 4070, with 16-bit float shaders: Mistral 7B (q4f16_1) can run here.',
    );
  });

  test('without shader-f16 the message points at the q4f32_1 build', async () => {
    const report = await probeGpu(fakeGpu({ info: { ...NVIDIA, description: '' } }));
    expect(report).toMatchObject({ available: true, shaderF16: false });
    expect(report.message).toMatch(/nvidia ada, without 16-bit float shaders: the larger q4f32_1 build/);
  });

  test.each([
    [{ ...NVIDIA, isFallbackAdapter: true }],
    [{ vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false }],
    [{ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.7, 256 bits)', isFallbackAdapter: false }],
    [{ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver', isFallbackAdapter: false }],
  ])('a software renderer is flagged as far too slow (%o)', async (info) => {
    const report = await probeGpu(fakeGpu({ info }));
    expect(report).toMatchObject({ available: true, software: true });
    expect(report.message).toMatch(/software renderer.*far too slow.*Hugging Face API is recommended/);
  });

  test('buffer limits below WebLLM’s floors mean no model can run', async () => {
    const report = await probeGpu(fakeGpu({ maxBufferSize: 128 * MIB, info: NVIDIA }));
    expect(report).toMatchObject({ available: true, meetsLimits: false });
    expect(report.message).toMatch(/only 128 MB.*256 MB.*Hugging Face API/);
    expect(await probeGpu(fakeGpu({ maxStorageBufferBindingSize: 64 * MIB }))).toMatchObject({ meetsLimits: false });
  });

  test('shader limits below WebLLM’s (32 KiB workgroup storage, 10 storage buffers) mean no model can run', async () => {
    for (const limits of [{ maxComputeWorkgroupStorageSize: 16 * 1024 }, { maxStorageBuffersPerShaderStage: 8 }]) {
      const report = await probeGpu(fakeGpu({ ...limits, info: NVIDIA }));
      expect(report).toMatchObject({ available: true, meetsLimits: false });
      expect(report.message).toMatch(/32 KB of workgroup storage and 10 storage buffers.*Hugging Face API/);
    }
  });

  test('WebGPU in the page but not in a worker, where WebLLM runs: unavailable, before any download', async () => {
    const report = await probeGpu(fakeGpu({ info: NVIDIA }), async () => false);
    expect(report).toEqual({ available: false, reason: 'no-webgpu-in-worker', message: NO_WEBGPU_IN_WORKER_MESSAGE });
  });

  test('an adapter without `info` (older browsers) still gets a report', async () => {
    const report = await probeGpu(fakeGpu({ features: ['shader-f16'] }));
    expect(report).toMatchObject({ available: true, software: false, shaderF16: true });
    expect(report.message).toMatch(/ready on this GPU/);
  });
});
