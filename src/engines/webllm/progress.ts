/**
 * WebLLM reports loading as `{ progress, timeElapsed, text }` where `progress` restarts at 0 in every phase and the
 * phase is only named in `text`. These are the texts of @mlc-ai/web-llm 0.2.86 (tvmjs `fetchTensorCacheInternal`,
 * `asyncLoadWebGPUPipelines`, `MLCEngine.reloadInternal`):
 *
 *   "Start to fetch params"
 *   "Fetching param cache[3/108]: 120MB fetched. 2% completed, 5 secs elapsed. It can take a while …"
 *   "Loading model from cache[3/108]: 120MB loaded. 2% completed, 5 secs elapsed."
 *   "Loading GPU shader modules[12/80]: 15% completed, 2 secs elapsed."
 *   "Finish loading on WebGPU - <adapter description or vendor>"
 */

import { formatDuration } from './format.js';

export interface InitProgress {
  progress: number;
  timeElapsed: number;
  text: string;
}

export type LoadPhase = 'download' | 'cache' | 'shaders' | 'finishing' | 'unknown';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0..1 within the phase. */
  fraction: number;
  shardIndex?: number;
  shardCount?: number;
  mbDone?: number;
  /** Derived from `mbDone / progress`, so approximate. */
  mbTotal?: number;
  etaSeconds?: number;
  /** One line for the status region and the progress bar's text. */
  label: string;
}

const MIB = 1024 * 1024;
const SHARDED = /^(Fetching param cache|Loading model from cache)\[(\d+)\/(\d+)\]: (\d+)MB (?:fetched|loaded)\./;
const SHADERS = /^Loading GPU shader modules\[(\d+)\/(\d+)\]/;
const FINISHED = /^Finish loading on (.*)$/s;

/**
 * `storedBytes`: weights already on disk when the load began (an interrupted download). WebLLM counts those shards
 * as fetched in no time, so the time left is estimated from the bytes this load really fetched.
 */
export function parseProgress(report: InitProgress, previous?: LoadProgress, storedBytes = 0): LoadProgress {
  const fraction = clamp(report.progress);
  const text = report.text.trim();

  if (text.startsWith('Start to fetch params')) {
    return { phase: 'download', fraction: 0, label: 'Checking the model files…' };
  }

  const sharded = SHARDED.exec(text);
  if (sharded) {
    const download = sharded[1] === 'Fetching param cache';
    const mbDone = Number(sharded[4]);
    const progress: LoadProgress = {
      phase: download ? 'download' : 'cache',
      fraction,
      shardIndex: Number(sharded[2]),
      shardCount: Number(sharded[3]),
      mbDone,
      label: '',
    };
    if (fraction > 0) progress.mbTotal = Math.max(mbDone, Math.round(mbDone / fraction));
    const fetchedMb = mbDone - storedBytes / MIB;
    if (download && progress.mbTotal !== undefined && fraction < 1 && fetchedMb > 0 && report.timeElapsed > 0) {
      progress.etaSeconds = Math.round((report.timeElapsed * (progress.mbTotal - mbDone)) / fetchedMb);
    }
    progress.label = download ? downloadLabel(progress) : `Loading the model from this device: ${percent(fraction)}`;
    return progress;
  }

  const shaders = SHADERS.exec(text);
  if (shaders) {
    return {
      phase: 'shaders',
      fraction,
      shardIndex: Number(shaders[1]),
      shardCount: Number(shaders[2]),
      label: `Preparing the GPU shaders: ${percent(fraction)}`,
    };
  }

  if (FINISHED.test(text)) return { phase: 'finishing', fraction: 1, label: 'Model ready' };

  // A text this version does not write: stay in the phase we were in rather than jump the bar.
  return {
    phase: previous?.phase ?? 'unknown',
    fraction: previous?.fraction ?? fraction,
    label: text || previous?.label || 'Loading the model…',
  };
}

function downloadLabel(progress: LoadProgress): string {
  const amount =
    progress.mbTotal === undefined
      ? `${mb(progress.mbDone ?? 0)} MB`
      : `${mb(progress.mbDone ?? 0)} of ${mb(progress.mbTotal)} MB`;
  const eta = progress.etaSeconds === undefined ? '' : `, about ${formatDuration(progress.etaSeconds)} left`;
  return `Downloading the model: ${amount} (${percent(progress.fraction)})${eta}`;
}

function mb(value: number): string {
  return value.toLocaleString('en-US');
}

function percent(fraction: number): string {
  return `${Math.floor(fraction * 100)} %`;
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
