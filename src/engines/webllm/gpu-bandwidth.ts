/**
 * Memory bandwidth of common GPUs, for the speed test's physical ceiling: generating one token reads every weight
 * (and the KV cache so far) once, so decode speed is at most bandwidth ÷ bytes read per token.
 *
 * Each figure is the vendor's. Apple, AMD and Intel state bandwidth on the pages named; for NVIDIA's GeForce parts
 * it is the memory data rate × interface width the spec page gives (laptop makers may clock memory lower). Integrated
 * GPUs (Intel Iris Xe, Apple M-series) share system memory: their figure is the memory the chip is specified with.
 * The table is matched against `adapter.info`; browsers often leave its `description` and `device` empty for
 * privacy, and then no figure is claimed.
 */

import type { GpuAdapterDescription } from './gpu-probe.js';

export interface GpuBandwidth {
  /** e.g. "NVIDIA GeForce RTX 4070 Laptop GPU" */
  name: string;
  gigabytesPerSecond: number;
  /** The vendor page the figure comes from. */
  source: string;
}

interface Entry extends GpuBandwidth {
  /** Matched against `description` and `device`; more specific parts come first. */
  pattern: RegExp;
}

const APPLE_M1 =
  'https://www.apple.com/newsroom/2021/10/introducing-m1-pro-and-m1-max-the-most-powerful-chips-apple-has-ever-built/';
const APPLE_M2 =
  'https://www.apple.com/newsroom/2022/06/apple-unveils-m2-with-breakthrough-performance-and-capabilities/';
const APPLE_M2_PRO =
  'https://www.apple.com/newsroom/2023/01/apple-unveils-m2-pro-and-m2-max-next-generation-chips-for-next-level-workflows/';
const APPLE_M3 =
  'https://www.apple.com/newsroom/2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/';
const NVIDIA_30 = 'https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/';
const NVIDIA_40 = 'https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/';
const NVIDIA_30_LAPTOP = 'https://www.nvidia.com/en-us/geforce/laptops/30-series/';
const NVIDIA_40_LAPTOP = 'https://www.nvidia.com/en-us/geforce/laptops/40-series/';
const AMD_RX = 'https://www.amd.com/en/products/graphics/desktops/radeon.html';
const INTEL_ARC =
  'https://www.intel.com/content/www/us/en/products/docs/discrete-gpus/arc/desktop/a-series/overview.html';
const INTEL_IRIS_XE = 'https://www.intel.com/content/www/us/en/products/docs/discrete-gpus/iris-xe/overview.html';

function gpu(pattern: RegExp, name: string, gigabytesPerSecond: number, source: string): Entry {
  return { pattern, name, gigabytesPerSecond, source };
}

/** Shown in the README as well; keep the two in step. */
export const GPU_BANDWIDTH_TABLE: readonly Entry[] = [
  gpu(/\bM1 Max\b/i, 'Apple M1 Max', 400, APPLE_M1),
  gpu(/\bM1 Pro\b/i, 'Apple M1 Pro', 200, APPLE_M1),
  gpu(/\bApple M1\b/i, 'Apple M1', 68.25, APPLE_M1),
  gpu(/\bM2 Max\b/i, 'Apple M2 Max', 400, APPLE_M2_PRO),
  gpu(/\bM2 Pro\b/i, 'Apple M2 Pro', 200, APPLE_M2_PRO),
  gpu(/\bApple M2\b/i, 'Apple M2', 100, APPLE_M2),
  gpu(/\bM3 Max\b/i, 'Apple M3 Max (40-core GPU; 300 GB/s with 30 cores)', 400, APPLE_M3),
  gpu(/\bM3 Pro\b/i, 'Apple M3 Pro', 150, APPLE_M3),
  gpu(/\bApple M3\b/i, 'Apple M3', 100, APPLE_M3),
  gpu(/RTX 4090 Laptop/i, 'NVIDIA GeForce RTX 4090 Laptop GPU', 576, NVIDIA_40_LAPTOP),
  gpu(/RTX 4080 Laptop/i, 'NVIDIA GeForce RTX 4080 Laptop GPU', 432, NVIDIA_40_LAPTOP),
  gpu(/RTX 4070 Laptop/i, 'NVIDIA GeForce RTX 4070 Laptop GPU', 256, NVIDIA_40_LAPTOP),
  gpu(/RTX 4060 Laptop/i, 'NVIDIA GeForce RTX 4060 Laptop GPU', 256, NVIDIA_40_LAPTOP),
  gpu(/RTX 4050 Laptop/i, 'NVIDIA GeForce RTX 4050 Laptop GPU', 192, NVIDIA_40_LAPTOP),
  gpu(/RTX 3080 Laptop/i, 'NVIDIA GeForce RTX 3080 Laptop GPU', 448, NVIDIA_30_LAPTOP),
  gpu(/RTX 3070 Laptop/i, 'NVIDIA GeForce RTX 3070 Laptop GPU', 448, NVIDIA_30_LAPTOP),
  gpu(/RTX 3060 Laptop/i, 'NVIDIA GeForce RTX 3060 Laptop GPU', 336, NVIDIA_30_LAPTOP),
  gpu(/RTX 4090\b/i, 'NVIDIA GeForce RTX 4090', 1008, NVIDIA_40),
  gpu(/RTX 4080\b/i, 'NVIDIA GeForce RTX 4080', 717, NVIDIA_40),
  gpu(/RTX 4070 Ti\b/i, 'NVIDIA GeForce RTX 4070 Ti', 504, NVIDIA_40),
  gpu(/RTX 4070\b/i, 'NVIDIA GeForce RTX 4070', 504, NVIDIA_40),
  gpu(/RTX 4060 Ti\b/i, 'NVIDIA GeForce RTX 4060 Ti', 288, NVIDIA_40),
  gpu(/RTX 4060\b/i, 'NVIDIA GeForce RTX 4060', 272, NVIDIA_40),
  gpu(/RTX 3090\b/i, 'NVIDIA GeForce RTX 3090', 936, NVIDIA_30),
  gpu(/RTX 3080\b/i, 'NVIDIA GeForce RTX 3080 (10 GB)', 760, NVIDIA_30),
  gpu(/RTX 3070\b/i, 'NVIDIA GeForce RTX 3070', 448, NVIDIA_30),
  gpu(/RTX 3060 Ti\b/i, 'NVIDIA GeForce RTX 3060 Ti', 448, NVIDIA_30),
  gpu(/RTX 3060\b/i, 'NVIDIA GeForce RTX 3060 (12 GB)', 360, NVIDIA_30),
  gpu(/RX 7900 XTX\b/i, 'AMD Radeon RX 7900 XTX', 960, AMD_RX),
  gpu(/RX 7800 XT\b/i, 'AMD Radeon RX 7800 XT', 624, AMD_RX),
  gpu(/RX 7600\b/i, 'AMD Radeon RX 7600', 288, AMD_RX),
  gpu(/RX 6800 XT\b/i, 'AMD Radeon RX 6800 XT', 512, AMD_RX),
  gpu(/RX 6700 XT\b/i, 'AMD Radeon RX 6700 XT', 384, AMD_RX),
  gpu(/RX 6600\b/i, 'AMD Radeon RX 6600', 224, AMD_RX),
  gpu(/Arc\b.*\bA770\b/i, 'Intel Arc A770 (16 GB)', 560, INTEL_ARC),
  gpu(/Arc\b.*\bA750\b/i, 'Intel Arc A750', 512, INTEL_ARC),
  gpu(/Arc\b.*\bA380\b/i, 'Intel Arc A380', 186, INTEL_ARC),
  gpu(/Iris.*Xe/i, 'Intel Iris Xe (LPDDR4x-4266, shared)', 68, INTEL_IRIS_XE),
];

/** The table's entry for this adapter, when the browser names the GPU precisely enough. */
export function matchGpuBandwidth(adapter: GpuAdapterDescription): GpuBandwidth | undefined {
  const named = [adapter.description, adapter.device ?? ''].filter(Boolean).join(' ');
  if (!named) return undefined;
  const entry = GPU_BANDWIDTH_TABLE.find((candidate) => candidate.pattern.test(named));
  return entry ? { name: entry.name, gigabytesPerSecond: entry.gigabytesPerSecond, source: entry.source } : undefined;
}
