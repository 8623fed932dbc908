import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import {
  defaultLocalModel,
  estimateDownloadBytes,
  listLocalModels,
  parameterCountFromId,
  resolveLocalModel,
} from '../../../src/engines/webllm/catalog.js';
import type { GpuAvailable, GpuReport } from '../../../src/engines/webllm/gpu-probe.js';
import { DEFAULT_LOCAL_MODEL } from '../../../src/domain/settings.js';

const MODELS = prebuiltAppConfig.model_list;
const MIB = 1024 * 1024;

function gpu(patch: Partial<GpuAvailable> = {}): GpuAvailable {
  return {
    available: true,
    adapter: {
      vendor: 'nvidia',
      architecture: 'ada',
      description: 'NVIDIA GeForce RTX 4070',
      isFallbackAdapter: false,
    },
    features: ['shader-f16', 'subgroups'],
    shaderF16: true,
    maxBufferSize: 4096 * MIB,
    maxStorageBufferBindingSize: 2048 * MIB,
    meetsLimits: true,
    software: false,
    message: '',
    ...patch,
  };
}

const F16_GPU = gpu();
const F32_GPU = gpu({ features: [], shaderF16: false });
const NO_WEBGPU: GpuReport = { available: false, reason: 'no-webgpu', message: '' };

describe('listLocalModels against WebLLM’s real prebuiltAppConfig', () => {
  test('a GPU with shader-f16 gets Mistral 7B q4f16_1 first, then the q4f32_1 build, both usable', () => {
    const [first, second] = listLocalModels(F16_GPU, MODELS);
    expect(first).toMatchObject({
      id: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
      recommended: true,
      quantization: 'q4f16_1',
      contextWindow: 4096,
      vramRequiredMB: 4574,
      label: 'Mistral 7B Instruct v0.3 · q4f16_1',
    });
    expect(first?.disabledReason).toBeUndefined();
    expect(second).toMatchObject({ id: 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC', recommended: true });
    expect(second?.disabledReason).toBeUndefined();
    expect(defaultLocalModel(F16_GPU, MODELS)?.id).toBe(DEFAULT_LOCAL_MODEL);
  });

  test('without shader-f16 the q4f32_1 build comes first and the q4f16_1 build is disabled with the reason', () => {
    const [first, second] = listLocalModels(F32_GPU, MODELS);
    expect(first?.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    expect(first?.disabledReason).toBeUndefined();
    expect(second?.id).toBe('Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
    expect(second?.disabledReason).toMatch(/16-bit float shaders.*q4f32_1/);
    expect(defaultLocalModel(F32_GPU, MODELS)?.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
  });

  test('smaller low-resource instruct models follow, from about 3B to under 500M, in the build the GPU suits', () => {
    for (const [report, quant] of [
      [F16_GPU, 'q4f16_1'],
      [F32_GPU, 'q4f32_1'],
    ] as const) {
      const smaller = listLocalModels(report, MODELS).filter((option) => !option.recommended);
      expect(smaller.map((option) => option.id)).toEqual([
        `Llama-3.2-3B-Instruct-${quant}-MLC`,
        `Qwen2.5-1.5B-Instruct-${quant}-MLC`,
        `Llama-3.2-1B-Instruct-${quant}-MLC`,
        `Qwen2.5-0.5B-Instruct-${quant}-MLC`,
        `SmolLM2-360M-Instruct-${quant}-MLC`,
      ]);
      for (const option of smaller) {
        expect(option.lowResource).toBe(true);
        expect(option.disabledReason).toBeUndefined();
      }
      expect(Math.min(...smaller.map((option) => option.vramRequiredMB))).toBeLessThan(1000);
      expect(smaller.at(-1)?.parameterCount).toBeLessThan(500e6);
    }
  });

  test('every option shows a download size and GPU memory, the download below the GPU memory WebLLM asks for', () => {
    for (const option of listLocalModels(F16_GPU, MODELS)) {
      expect(option.downloadBytes).toBeGreaterThan(100 * MIB);
      expect(option.downloadBytes).toBeLessThan(option.vramRequiredMB * MIB);
      expect(option.sizeSummary).toMatch(/^about [\d.,]+ [MG]B download, [\d.,]+ [MG]B of GPU memory$/);
    }
  });

  test('the Mistral download estimate is near the 4.1 GB the q4f16_1 weights take on Hugging Face', () => {
    const bytes = estimateDownloadBytes('Mistral-7B-Instruct-v0.3-q4f16_1-MLC') ?? 0;
    expect(bytes / 1e9).toBeGreaterThan(4.0);
    expect(bytes / 1e9).toBeLessThan(4.6);
    expect(estimateDownloadBytes('Mistral-7B-Instruct-v0.3-q4f32_1-MLC')).toBeGreaterThan(bytes);
  });

  test('without WebGPU every model is listed, disabled', () => {
    const options = listLocalModels(NO_WEBGPU, MODELS);
    expect(options.length).toBeGreaterThan(2);
    expect(options.every((option) => option.disabledReason === 'WebGPU is not available in this browser.')).toBe(true);
    expect(defaultLocalModel(NO_WEBGPU, MODELS)).toBeUndefined();
  });

  test('a GPU below WebLLM’s buffer floors can run nothing', () => {
    const weak = gpu({ maxBufferSize: 128 * MIB, maxStorageBufferBindingSize: 128 * MIB, meetsLimits: false });
    const options = listLocalModels(weak, MODELS);
    expect(options.every((option) => /buffer limits/.test(option.disabledReason ?? ''))).toBe(true);
    expect(defaultLocalModel(weak, MODELS)).toBeUndefined();
  });

  test('a record that needs larger storage bindings or a missing feature is disabled with the reason', () => {
    const mistral = MODELS.find((record) => record.model_id === 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    expect(mistral).toBeDefined();
    const bigBuffers: ModelRecord = { ...(mistral as ModelRecord), buffer_size_required_bytes: 1024 * MIB };
    const small = gpu({ features: [], shaderF16: false, maxStorageBufferBindingSize: 256 * MIB });
    expect(listLocalModels(small, [bigBuffers])[0]?.disabledReason).toMatch(/GPU buffers of 1.0 GB/);

    const needsSubgroups: ModelRecord = { ...(mistral as ModelRecord), required_features: ['subgroups'] };
    expect(listLocalModels(small, [needsSubgroups])[0]?.disabledReason).toMatch(/feature subgroups/);
  });

  test('a saved choice is kept when it can run, else replaced by the default', () => {
    expect(resolveLocalModel(F32_GPU, MODELS, DEFAULT_LOCAL_MODEL)?.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    expect(resolveLocalModel(F32_GPU, MODELS, 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC')?.id).toBe(
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    );
    expect(resolveLocalModel(F16_GPU, MODELS, 'no-such-model')?.id).toBe(DEFAULT_LOCAL_MODEL);
  });

  test('parameter counts come from the id', () => {
    expect(parameterCountFromId('Mistral-7B-Instruct-v0.3-q4f16_1-MLC')).toBe(7e9);
    expect(parameterCountFromId('Qwen2.5-1.5B-Instruct-q4f16_1-MLC')).toBe(1.5e9);
    expect(parameterCountFromId('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBe(360e6);
    expect(parameterCountFromId('phi-2-q4f16_1-MLC')).toBeUndefined();
  });
});
