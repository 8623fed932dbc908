import { describe, expect, it } from 'vitest';
import { recommendEngine } from '../../../src/app/recommendation.js';

const AVAILABLE = { available: true, reason: '' };

describe('recommendEngine', () => {
  it('says nothing until the GPU has been checked', () => {
    expect(recommendEngine(AVAILABLE, null)).toBeNull();
  });

  it('recommends this device on a real GPU that can run a model', () => {
    const message = 'WebGPU is ready on Apple M2, with 16-bit float shaders: Mistral 7B (q4f16_1) can run here.';
    expect(recommendEngine(AVAILABLE, { level: 'ok', message })).toEqual({ engine: 'local', reason: message });
  });

  it('recommends the Hugging Face API on a software renderer', () => {
    const message = 'WebGPU runs on a software renderer here. The Hugging Face API is recommended.';
    expect(recommendEngine(AVAILABLE, { level: 'slow', message })).toEqual({ engine: 'hosted', reason: message });
  });

  it('recommends the Hugging Face API where no model can run, saying why', () => {
    const noWebGpu = 'This browser has no WebGPU.';
    expect(
      recommendEngine({ available: false, reason: noWebGpu }, { level: 'unavailable', message: noWebGpu }),
    ).toEqual({ engine: 'hosted', reason: noWebGpu });
    const nothingFits = 'No model fits in this GPU.';
    expect(
      recommendEngine({ available: false, reason: nothingFits }, { level: 'ok', message: 'WebGPU is ready.' }),
    ).toEqual({ engine: 'hosted', reason: nothingFits });
  });
});
