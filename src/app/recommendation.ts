/**
 * Which engine the welcome recommends, from what the GPU probe found. Pure, so every verdict is unit-tested.
 */
import type { GpuSummary } from '../engines/webllm/local-model-state.js';
import type { EngineRecommendation } from '../components/mc-welcome.js';

/**
 * This device when a real GPU can run a model (private, and free after the download); the Hugging Face API when it
 * cannot, or only on a software renderer (it would "work" at a few words a minute). `null` until the probe is done.
 *
 * @param availability what `localAvailability(state)` says about this device
 * @param gpu the probe's verdict, `state.gpuSummary`
 */
export function recommendEngine(
  availability: { available: boolean; reason: string },
  gpu: GpuSummary | null,
): EngineRecommendation | null {
  if (gpu === null) return null;
  if (!availability.available) return { engine: 'hosted', reason: availability.reason || gpu.message };
  if (gpu.level === 'ok') return { engine: 'local', reason: gpu.message };
  return { engine: 'hosted', reason: gpu.message };
}
