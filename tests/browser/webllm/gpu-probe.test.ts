import { describe, expect, test } from 'vitest';
import { defaultLocalModel, listLocalModels, loadPrebuiltModelList } from '../../../src/engines/webllm/catalog.js';
import { checkWebGpuInWorker, probeGpu } from '../../../src/engines/webllm/gpu-probe.js';

// Chromium here runs with --enable-unsafe-webgpu and no GPU: WebGPU is real, backed by SwiftShader.
describe('probeGpu on this browser’s real WebGPU', () => {
  test('finds the SwiftShader adapter: available, software, no shader-f16, buffers WebLLM accepts', async () => {
    const report = await probeGpu();
    expect(report.available).toBe(true);
    if (!report.available) return;
    expect(report.software).toBe(true);
    expect(report.adapter.isFallbackAdapter).toBe(true);
    expect(report.shaderF16).toBe(false);
    expect(report.features).not.toContain('shader-f16');
    expect(report.meetsLimits).toBe(true);
    expect(report.maxBufferSize).toBeGreaterThanOrEqual(256 * 1024 * 1024);
  });

  test('a dedicated worker, where WebLLM runs, has WebGPU too', async () => {
    expect(await checkWebGpuInWorker()).toBe(true);
  });

  test('says the software adapter is far too slow and recommends the Hugging Face API', async () => {
    const report = await probeGpu();
    expect(report.message).toMatch(/software renderer.*far too slow.*Hugging Face API is recommended/);
  });

  test('with WebLLM’s real model list, loaded lazily, the default is the q4f32_1 build of Mistral 7B', async () => {
    const [report, models] = await Promise.all([probeGpu(), loadPrebuiltModelList()]);
    expect(defaultLocalModel(report, models)?.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    const q4f16 = listLocalModels(report, models).find((option) => option.id.includes('q4f16_1'));
    expect(q4f16?.disabledReason).toMatch(/shader-f16/);
  });
});
