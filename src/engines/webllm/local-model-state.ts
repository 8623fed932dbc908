/**
 * The local model's state as the settings panel and the engine status line read it: its shape, and the words for each
 * phase. Pure: {@link LocalModelService} computes the state, these functions only describe it.
 */

import { type EngineStatus, type EngineErrorKind, type RetryNotice, EngineError } from '../types.js';
import type { LocalModelOption } from './catalog.js';
import type { GpuReport } from './gpu-probe.js';
import type { CachedModel, PartialDownload } from './model-cache.js';
import type { LoadProgress } from './progress.js';
import { formatBytes, formatDuration } from './format.js';

/** A model fully on disk: it loads without the network ("ready offline"). */
export interface CachedModelEntry extends CachedModel {
  /** e.g. "4.5 GB" */
  sizeText: string;
}

/**
 * Where the selected model stands. Every phase but `idle` names the model it is about, which is the selected one
 * except briefly while a selection changes.
 */
export type LocalModelPhase =
  /** Nothing under way: the panel offers "Download model" (or loading from disk, when the model is cached). */
  | { kind: 'idle' }
  /** The download is described and waits for "Start download"; nothing has been fetched. */
  | {
      kind: 'consent';
      modelId: string;
      /** e.g. "about 4.5 GB" */
      sizeText: string;
      /** What the browser lets the app still store, e.g. "120.3 GB"; `null` when the browser does not say. */
      freeText: string | null;
    }
  /** Downloading (or reading from disk) and putting the model on the GPU. */
  | {
      kind: 'loading';
      modelId: string;
      /** True when the model was on disk: nothing is downloaded. */
      fromDisk: boolean;
      /** The last progress report; `null` until WebLLM sends one (while the GPU and storage are being asked). */
      progress: LoadProgress | null;
      /** Said while an interrupted download waits to resume; `null` otherwise. */
      retryText: string | null;
    }
  /** Loaded on this GPU; replies can start at once. */
  | { kind: 'ready'; modelId: string }
  /** Another tab of this app holds the GPU; "Use here" takes it over. */
  | { kind: 'in-use-elsewhere'; modelId: string }
  /** The last action failed; `message` says what happened and what to do next. */
  | { kind: 'error'; modelId: string | null; error: EngineErrorKind; message: string };

/** A model with files on disk that cannot load from there: "Delete partial download" removes them. */
export interface PartialDownloadEntry extends PartialDownload {
  /** e.g. "1.2 GB of about 4.3 GB" */
  sizeText: string;
}

export interface GpuSummary {
  /** `unavailable`: no model can run here; `slow`: a software renderer (works, far too slowly); `ok`: a real GPU. */
  level: 'unavailable' | 'slow' | 'ok';
  message: string;
}

export interface LocalModelState {
  /** What this device's WebGPU can do; `null` until the probe started by `prepare()` finishes. */
  gpu: GpuReport | null;
  /** The probe's verdict in one sentence, for the panel; `null` while probing. */
  gpuSummary: GpuSummary | null;
  /** WebLLM's model list: not asked for before `prepare()`, then loading, ready, or failed (see `phase`). */
  catalogue: 'idle' | 'loading' | 'ready' | 'failed';
  /** The models offered on this device, Mistral 7B first; those that cannot run here carry `disabledReason`. */
  options: LocalModelOption[];
  /**
   * The model "Download model" acts on: the saved choice when it can run here, else the best that can (the q4f32_1
   * build of Mistral 7B on a GPU without shader-f16). Empty before the catalogue loads, or when nothing can run.
   */
  selectedId: string;
  /** Models fully on this device, with their (estimated) sizes. */
  cached: CachedModelEntry[];
  /** Models only partly on this device (an interrupted or damaged download). */
  partial: PartialDownloadEntry[];
  /** What is happening to the selected model. */
  phase: LocalModelPhase;
  /** Whether the browser promised to keep the download; `null` until the first download asks. */
  storagePersisted: boolean | null;
  /** A one-off outcome (a cancelled download, a deleted model); cleared by the next change of phase. */
  notice: string | null;
  /** One line for a polite live region: it changes with the phase, not with every percent. */
  status: string;
}

/** Before the first `prepare`: nothing probed, no model list. */
export const INITIAL_LOCAL_MODEL_STATE: LocalModelState = {
  gpu: null,
  gpuSummary: null,
  catalogue: 'idle',
  options: [],
  selectedId: '',
  cached: [],
  partial: [],
  phase: { kind: 'idle' },
  storagePersisted: null,
  notice: null,
  status: '',
};

export const DOWNLOAD_CANCELLED_NOTICE =
  'Download cancelled. The parts already downloaded are kept, so choosing Download model again resumes where it ' +
  'stopped.';
export const LOAD_CANCELLED_NOTICE = 'Loading cancelled. The model stays on this device.';

export const IN_USE_MESSAGE = 'The model is in use in another tab.';
export const NOTHING_FITS = 'None of the local models can run on this GPU. Use the Hugging Face API instead.';
/**
 * Whether the "This device" engine can be offered, for the engine choice in Settings. Unknown (not probed yet)
 * counts as available.
 */
export function localAvailability(state: LocalModelState): { available: boolean; reason: string } {
  const { gpu, catalogue, options } = state;
  if (gpu && (!gpu.available || !gpu.meetsLimits)) return { available: false, reason: gpu.message };
  if (catalogue === 'ready' && !options.some((option) => option.disabledReason === undefined)) {
    return { available: false, reason: NOTHING_FITS };
  }
  return { available: true, reason: '' };
}

/** "Mistral-7B-Instruct-v0.3-q4f16_1-MLC" → "Mistral 7B"; "Llama-3.2-1B-Instruct-q4f32_1-MLC" → "Llama 3.2 1B". */
export function shortModelName(modelId: string): string {
  return modelId
    .replace(/-MLC.*$/, '')
    .replace(/-q\d+f\d+(?:_\d+)?$/, '')
    .replace(/-Instruct.*$/i, '')
    .replace(/-/g, ' ');
}

export function summarize(gpu: GpuReport): GpuSummary {
  if (!gpu.available || !gpu.meetsLimits) return { level: 'unavailable', message: gpu.message };
  return { level: gpu.software ? 'slow' : 'ok', message: gpu.message };
}

export function partialSizeText(entry: PartialDownload): string {
  return `${formatBytes(entry.storedBytes)} of about ${formatBytes(entry.bytes)}`;
}

export function withSizeText(model: CachedModel): CachedModelEntry {
  return { ...model, sizeText: formatBytes(model.bytes) };
}

export function retryText(notice: RetryNotice): string {
  return (
    `${notice.reason} Retry ${notice.attempt} of ${notice.maxAttempts} in ` +
    `${formatDuration(notice.delayMs / 1000)}.`
  );
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function loadingDetail(phase: Extract<LocalModelPhase, { kind: 'loading' }>): string {
  switch (phase.progress?.phase) {
    case undefined:
      return 'starting…';
    case 'download':
      return 'downloading';
    case 'shaders':
    case 'finishing':
      return 'preparing the GPU';
    default:
      return 'loading';
  }
}

export function statusFor(state: LocalModelState, labelOf: (modelId: string) => string): string {
  const { phase } = state;
  switch (phase.kind) {
    case 'error':
      return phase.message;
    case 'consent':
      return (
        `${sentence(phase.sizeText)} to download` +
        (phase.freeText ? `; ${phase.freeText} free for this site. ` : '. ') +
        'Nothing is downloaded until you choose Start download.'
      );
    case 'loading':
      return loadingStatus(phase, labelOf(phase.modelId));
    case 'ready':
      return `${labelOf(phase.modelId)} is loaded and ready on this device.`;
    case 'in-use-elsewhere':
      return IN_USE_MESSAGE;
    case 'idle':
      break;
  }
  if (state.notice) return state.notice;
  if (state.catalogue === 'loading') return 'Checking this device and the models it can run…';
  if (!state.selectedId) return '';
  const label = labelOf(state.selectedId);
  return state.cached.some((entry) => entry.id === state.selectedId)
    ? `${label} is on this device, ready offline.`
    : `${label} is not downloaded yet.`;
}

function loadingStatus(phase: Extract<LocalModelPhase, { kind: 'loading' }>, label: string): string {
  if (phase.retryText) return phase.retryText;
  switch (phase.progress?.phase) {
    case 'cache':
      return `Loading ${label} onto the GPU…`;
    case 'shaders':
    case 'finishing':
      return `Preparing the GPU shaders for ${label}…`;
    default:
      return phase.fromDisk ? `Loading ${label} from this device…` : `Downloading ${label}…`;
  }
}

/**
 * The engine status line for the local engine: which model, and a few words on where it stands. It changes with the
 * phase, never with each percent of a download: the progress bar carries the number.
 */
export function describeLocalEngine(
  state: LocalModelState,
  { model, known, loaded }: { model: string; known: boolean; loaded: boolean },
): EngineStatus {
  const status: EngineStatus = {
    engine: 'local',
    label: `This device · ${shortModelName(model)}`,
    model,
    available: true,
  };
  const { gpu } = state;
  if (!gpu) return { ...status, detail: 'checking this device…' };
  if (!gpu.available) return { ...status, available: false, detail: 'no WebGPU in this browser' };
  if (!gpu.meetsLimits) return { ...status, available: false, detail: 'this GPU is not supported' };
  if (state.catalogue === 'failed') return { ...status, available: false, detail: 'model list not loaded' };
  if (state.catalogue === 'ready' && !known) return { ...status, available: false, detail: 'no model fits this GPU' };
  const [available, detail] = readiness(state, model, loaded);
  const parts = [detail, gpu.software ? 'software GPU — very slow' : undefined].filter(Boolean);
  return { ...status, available, ...(parts.length > 0 ? { detail: parts.join(' · ') } : {}) };
}

/** Whether `modelId` can answer now, and a few words on where it stands. */
function readiness(state: LocalModelState, modelId: string, loaded: boolean): [boolean, string | undefined] {
  const { phase, cached, catalogue } = state;
  const about = phase.kind !== 'idle' && phase.modelId === modelId ? phase : undefined;
  if (about?.kind === 'loading') return [true, loadingDetail(about)];
  if (about?.kind === 'in-use-elsewhere') return [false, 'in use in another tab'];
  if (about?.kind === 'error') return [false, about.error === 'quota' ? 'not enough storage' : 'failed to load'];
  if (loaded) return [true, 'loaded'];
  if (cached.some((entry) => entry.id === modelId)) return [true, 'ready offline'];
  // Before the catalogue is read, whether the model is on disk is unknown.
  if (catalogue !== 'ready') return [true, undefined];
  return [false, 'not downloaded'];
}

export const IN_USE_ERROR =
  'The model is in use in another tab of this app. Open Settings and choose Use here to move it to this tab, or use ' +
  'the Hugging Face API.';
export const CATALOGUE_FAILED =
  'The list of local models could not be loaded. Check your connection and reopen Settings, or use the Hugging Face ' +
  'API.';
export const LOAD_CANCELLED_ERROR =
  'Loading the model was cancelled. Open Settings and choose Download model to load it, or use the Hugging Face API.';
export const DELETE_FAILED = 'The model could not be deleted from this device. Reload the page and try again.';
export const TAKEN_OVER =
  'This reply stopped because another tab of this app took over the local model. To use it here, open Settings and ' +
  'choose Use here.';

export function notDownloaded(option: LocalModelOption): EngineError {
  return new EngineError(
    'model-not-loaded',
    `The model is not on this device yet. Open Settings and choose Download model (about ${formatBytes(
      option.downloadBytes,
    )}), or switch to the Hugging Face API.`,
  );
}
