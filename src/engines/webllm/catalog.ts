/**
 * Which local models to offer on this device, computed from WebLLM's own `prebuiltAppConfig.model_list` so the
 * catalogue cannot drift from the installed package. The logic is pure and takes the list as an argument: the page
 * must not import @mlc-ai/web-llm at startup (2.3 MB gz), so {@link loadPrebuiltModelList} fetches it lazily.
 */

import type { ModelRecord } from '@mlc-ai/web-llm';
import type { GpuReport } from './gpu-probe.js';
import { formatBytes, formatMegabytes } from './format.js';

export interface LocalModelOption {
  /** WebLLM `model_id`, the value stored in settings and passed to `reload()`. */
  id: string;
  /** e.g. "Mistral 7B Instruct v0.3 · q4f16_1" */
  label: string;
  quantization: string;
  /** From the id ("7B", "360M"): nominal, so approximate. */
  parameterCount: number;
  /** Approximate download, see {@link estimateDownloadBytes}. */
  downloadBytes: number;
  vramRequiredMB: number;
  contextWindow: number;
  lowResource: boolean;
  /** The model this app is built around; the others are for weaker devices. */
  recommended: boolean;
  /** Why it cannot run here; `undefined` when it can. */
  disabledReason?: string;
  /** e.g. "about 4.3 GB download, 4.5 GB of GPU memory" */
  sizeSummary: string;
}

/** The model this app is about; both of its builds are listed first. */
export const MAIN_MODEL_FAMILY = 'Mistral-7B-Instruct-v0.3';

/**
 * Smaller instruct models for weaker devices, from about 3B down to under 500M parameters. Only the family is chosen
 * here; the build (q4f16_1 or q4f32_1), its memory needs and whether it suits low-resource devices come from WebLLM's
 * records, and a family WebLLM drops simply disappears from the list.
 */
export const SMALLER_MODEL_FAMILIES = [
  'Llama-3.2-3B-Instruct',
  'Qwen2.5-1.5B-Instruct',
  'Llama-3.2-1B-Instruct',
  'Qwen2.5-0.5B-Instruct',
  'SmolLM2-360M-Instruct',
] as const;

const F16 = 'q4f16_1';
const F32 = 'q4f32_1';

/**
 * Bits stored per weight: MLC's q4fXX_1 packs 4-bit weights in groups of 32 with one scale per group in the float
 * type, so 4 + 16/32 for q4f16_1 and 4 + 32/32 for q4f32_1; q0 keeps weights unquantised.
 */
const BITS_PER_WEIGHT: Record<string, number> = { q4f16_1: 4.5, q4f32_1: 5, q0f16: 16, q0f32: 32 };

/**
 * Nominal sizes round down (Mistral "7B" has 7.25 billion parameters) and a few tensors stay unquantised: 10 % on top
 * puts the estimate at or above the real download for most models (Mistral 7B q4f16_1: about 4.1 × 10⁹ bytes on
 * Hugging Face, estimate 4.3 × 10⁹). Llama 3.2 "1B" (1.24 billion) stays about 10 % under: the figure is for display and the storage
 * check, never a promise.
 */
const DOWNLOAD_MARGIN = 1.1;

/** The model library (.wasm, ~5 MB), tokenizer and config, which every download adds to the weights. */
const FIXED_DOWNLOAD_BYTES = 12 * 1024 * 1024;

export function listLocalModels(report: GpuReport, modelList: readonly ModelRecord[]): LocalModelOption[] {
  const byId = new Map(modelList.map((record) => [record.model_id, record]));
  const deviceQuant = report.available && report.shaderF16 ? F16 : F32;
  const otherQuant = deviceQuant === F16 ? F32 : F16;

  const main = [deviceQuant, otherQuant]
    .map((quant) => byId.get(`${MAIN_MODEL_FAMILY}-${quant}-MLC`))
    .filter((record): record is ModelRecord => record !== undefined)
    .map((record) => toOption(record, report, true));

  // Largest first, by the size the label shows; GPU memory does not follow it (Qwen's large vocabulary makes its 0.5B
  // model need more than Llama's 1B), and each option shows its own.
  const smaller = SMALLER_MODEL_FAMILIES.map((family) => byId.get(`${family}-${deviceQuant}-MLC`))
    .filter((record): record is ModelRecord => record?.low_resource_required === true)
    .map((record) => toOption(record, report, false))
    .sort((a, b) => b.parameterCount - a.parameterCount || b.vramRequiredMB - a.vramRequiredMB);

  return [...main, ...smaller];
}

/** The first model that can run here: Mistral 7B in the build this GPU supports. */
export function defaultLocalModel(report: GpuReport, modelList: readonly ModelRecord[]): LocalModelOption | undefined {
  return listLocalModels(report, modelList).find((option) => option.disabledReason === undefined);
}

/**
 * The user's saved choice when it can run here, else the default: settings default to the q4f16_1 build, which a
 * GPU without shader-f16 cannot load.
 */
export function resolveLocalModel(
  report: GpuReport,
  modelList: readonly ModelRecord[],
  preferredId: string,
): LocalModelOption | undefined {
  const options = listLocalModels(report, modelList);
  const preferred = options.find((option) => option.id === preferredId);
  if (preferred && preferred.disabledReason === undefined) return preferred;
  return options.find((option) => option.disabledReason === undefined);
}

/**
 * Loads WebLLM's model list on demand (the settings panel, the first local load): a small JSON chunk extracted from
 * the installed package at build time (scripts/vite-plugin-webllm-models.ts), not the 2 MB package itself.
 */
/** The largest model this device can run that needs less GPU memory than `modelId`: what to try after running out. */
export function smallerModelThan(options: readonly LocalModelOption[], modelId: string): LocalModelOption | undefined {
  const current = options.find((option) => option.id === modelId);
  if (!current) return undefined;
  return options
    .filter((option) => option.disabledReason === undefined && option.vramRequiredMB < current.vramRequiredMB)
    .sort((a, b) => b.vramRequiredMB - a.vramRequiredMB)[0];
}

export async function loadPrebuiltModelList(): Promise<ModelRecord[]> {
  const { default: modelList } = await import('virtual:webllm-model-list');
  return modelList;
}

export function parameterCountFromId(modelId: string): number | undefined {
  const match = /(?:^|[-_])(\d+(?:\.\d+)?)([BM])(?=[-_])/i.exec(modelId);
  if (!match?.[1] || !match[2]) return undefined;
  return Number(match[1]) * (match[2].toUpperCase() === 'B' ? 1e9 : 1e6);
}

export function quantizationFromId(modelId: string): string | undefined {
  return /-(q\d+f\d+(?:_\d+)?)-MLC/.exec(modelId)?.[1];
}

/** Weights ≈ parameters × bits per weight, plus a margin and the fixed files; `undefined` when the id says neither. */
export function estimateDownloadBytes(modelId: string): number | undefined {
  const parameters = parameterCountFromId(modelId);
  const quant = quantizationFromId(modelId);
  const bits = quant === undefined ? undefined : BITS_PER_WEIGHT[quant];
  if (parameters === undefined || bits === undefined) return undefined;
  return Math.ceil(((parameters * bits) / 8) * DOWNLOAD_MARGIN) + FIXED_DOWNLOAD_BYTES;
}

function toOption(record: ModelRecord, report: GpuReport, recommended: boolean): LocalModelOption {
  const quantization = quantizationFromId(record.model_id) ?? '';
  const downloadBytes = estimateDownloadBytes(record.model_id) ?? 0;
  const vramRequiredMB = Math.ceil(record.vram_required_MB ?? 0);
  const option: LocalModelOption = {
    id: record.model_id,
    label: labelFor(record.model_id, quantization),
    quantization,
    parameterCount: parameterCountFromId(record.model_id) ?? 0,
    downloadBytes,
    vramRequiredMB,
    contextWindow: record.overrides?.context_window_size ?? 4096,
    lowResource: record.low_resource_required === true,
    recommended,
    sizeSummary: `about ${formatBytes(downloadBytes)} download, ${formatMegabytes(vramRequiredMB)} of GPU memory`,
  };
  const disabledReason = whyNot(record, quantization, report);
  if (disabledReason !== undefined) option.disabledReason = disabledReason;
  return option;
}

function whyNot(record: ModelRecord, quantization: string, report: GpuReport): string | undefined {
  if (!report.available) return 'WebGPU is not available in this browser.';
  if (!report.meetsLimits) return "This GPU's buffer limits are below what WebLLM needs.";
  // Many f16 records do not list shader-f16 in required_features, yet their shaders use f16: judge by the build too.
  const features = new Set(record.required_features ?? []);
  if (/f16/.test(quantization) || features.has('shader-f16')) {
    if (!report.shaderF16) return 'This GPU lacks 16-bit float shaders (shader-f16); choose the q4f32_1 build.';
  }
  const missing = [...features].filter((feature) => feature !== 'shader-f16' && !report.features.includes(feature));
  if (missing.length > 0) return `This GPU lacks the WebGPU feature ${missing.join(', ')} that this model needs.`;
  if (
    record.buffer_size_required_bytes !== undefined &&
    record.buffer_size_required_bytes > report.maxStorageBufferBindingSize
  ) {
    return `This model needs GPU buffers of ${formatBytes(record.buffer_size_required_bytes)}, more than this GPU allows.`;
  }
  return undefined;
}

function labelFor(modelId: string, quantization: string): string {
  const name = modelId
    .replace(/-MLC.*$/, '')
    .replace(`-${quantization}`, '')
    .replace(/-/g, ' ');
  return quantization ? `${name} · ${quantization}` : name;
}
