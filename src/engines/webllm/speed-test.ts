/**
 * "Test speed": one fixed prompt through the loaded local model, WebLLM's own measurements (time to first token,
 * prefill and decode tokens per second), and where the GPU is known, the physical ceiling of decode speed: memory
 * bandwidth ÷ bytes read per token (every weight, plus the KV cache for the context so far).
 *
 * Results are kept in localStorage: they describe this browser on this device, not the user's settings (which sync
 * across tabs through IndexedDB and have a fixed schema), and they must not travel with a backup.
 */

import { EngineError, type ChatEngine } from '../types.js';
import type { SamplingParams, Usage } from '../../domain/generation.js';
import { matchGpuBandwidth, type GpuBandwidth } from './gpu-bandwidth.js';
import type { GpuAdapterDescription } from './gpu-probe.js';
import type { ModelShape } from './model-cache.js';

export const SPEED_RESULTS_KEY = 'mc-speed-results';
const KEPT_RESULTS = 10;

/** A fixed English passage and task, so runs on different devices read the same prompt. */
export const SPEED_TEST_PROMPT =
  'Summarise the following passage in three sentences.\n\n' +
  'The lighthouse stood on a rock two miles from the harbour. Its keeper climbed one hundred and twelve steps each ' +
  'evening to light the lamp, and each morning he climbed them again to put it out and polish the lens. Ships ' +
  'passing at night counted its flashes: three short, one long, every twenty seconds. In storms the spray reached ' +
  'the gallery, and the keeper wrote in his log the height of the waves, the direction of the wind and the names of ' +
  'the ships he saw. When the lamp was electrified, the keeper left, and the log was taken to the town museum, where ' +
  'it lies open at the page of the great storm, the night a fishing boat found the harbour by the light alone.';

/** Greedy and seeded, so the reply, and with it the work done, is the same on every run. */
export const SPEED_TEST_PARAMS: SamplingParams = {
  temperature: 0,
  topP: 1,
  maxNewTokens: 128,
  repetitionPenalty: 1,
  seed: 0,
};

export interface SpeedResult {
  /** When it ran, in ms since the epoch. */
  at: number;
  modelId: string;
  modelLabel: string;
  gpu: string;
  browser: string;
  promptTokens: number;
  completionTokens: number;
  timeToFirstTokenMs?: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  bandwidth?: GpuBandwidth;
  /** Weights plus the KV cache at the middle of the reply. */
  bytesPerToken?: number;
  ceilingTokensPerSecond?: number;
  /** Decode speed ÷ ceiling, 0..1. */
  shareOfCeiling?: number;
}

export interface SpeedTestState {
  running: boolean;
  /** Newest first. */
  results: SpeedResult[];
  error: string | null;
  /** Every result as text, for "Copy results" (a bug report); empty when there is none. */
  report: string;
}

export interface SpeedResultStore {
  load(): SpeedResult[];
  save(results: readonly SpeedResult[]): void;
}

export interface SpeedTestSubject {
  modelId: string;
  modelLabel: string;
  adapter: GpuAdapterDescription | null;
}

export interface SpeedTestDeps {
  /** The loaded local engine for the model on disk (loading it first if needed). */
  engine: () => Promise<ChatEngine>;
  subject: () => SpeedTestSubject;
  shape: (modelId: string) => Promise<ModelShape | undefined>;
  store?: SpeedResultStore;
  browser?: string;
  now?: () => number;
}

const NO_MEASUREMENT =
  'The model answered but did not report its speed, so nothing was measured. Try again; if it keeps happening, the ' +
  'WebLLM version may have changed.';

/** The physical ceiling of decode speed for a model shape and GPU, in tokens per second. */
export function decodeCeiling(
  shape: ModelShape,
  contextTokens: number,
  bandwidth: GpuBandwidth,
): { bytesPerToken: number; tokensPerSecond: number } {
  const bytesPerToken = shape.weightBytes + (shape.kvBytesPerToken ?? 0) * contextTokens;
  return { bytesPerToken, tokensPerSecond: (bandwidth.gigabytesPerSecond * 1e9) / bytesPerToken };
}

export function toSpeedResult(
  subject: SpeedTestSubject,
  usage: Usage,
  shape: ModelShape | undefined,
  context: { at: number; browser: string },
): SpeedResult {
  const bandwidth = subject.adapter ? matchGpuBandwidth(subject.adapter) : undefined;
  const result: SpeedResult = {
    at: context.at,
    modelId: subject.modelId,
    modelLabel: subject.modelLabel,
    gpu: gpuName(subject.adapter),
    browser: context.browser,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    ...(usage.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: usage.timeToFirstTokenMs }),
    ...(usage.prefillTokensPerSecond === undefined ? {} : { prefillTokensPerSecond: usage.prefillTokensPerSecond }),
    ...(usage.decodeTokensPerSecond === undefined ? {} : { decodeTokensPerSecond: usage.decodeTokensPerSecond }),
  };
  if (bandwidth && shape) {
    // The KV cache grows during the reply: its middle stands for the average token.
    const ceiling = decodeCeiling(shape, usage.promptTokens + usage.completionTokens / 2, bandwidth);
    result.bandwidth = bandwidth;
    result.bytesPerToken = ceiling.bytesPerToken;
    result.ceilingTokensPerSecond = ceiling.tokensPerSecond;
    if (usage.decodeTokensPerSecond !== undefined) {
      result.shareOfCeiling = usage.decodeTokensPerSecond / ceiling.tokensPerSecond;
    }
  }
  return result;
}

/** One result as lines of text; `formatSpeedReport` joins them for "Copy results". */
export function describeSpeedResult(result: SpeedResult): string[] {
  const lines = [
    `Date: ${new Date(result.at).toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `Model: ${result.modelLabel} (${result.modelId})`,
    `GPU: ${result.gpu}`,
    `Browser: ${result.browser}`,
    `Prompt: ${result.promptTokens} tokens; reply: ${result.completionTokens} tokens`,
    `Time to first token: ${result.timeToFirstTokenMs === undefined ? 'not reported' : `${(result.timeToFirstTokenMs / 1000).toFixed(2)} s`}`,
    `Prefill: ${rate(result.prefillTokensPerSecond)}`,
    `Decode: ${rate(result.decodeTokensPerSecond)}`,
  ];
  if (result.bandwidth && result.ceilingTokensPerSecond !== undefined && result.bytesPerToken !== undefined) {
    lines.push(
      `Memory bandwidth: ${result.bandwidth.gigabytesPerSecond} GB/s (${result.bandwidth.name}; ${result.bandwidth.source})`,
      // Decimal gigabytes, as bandwidth is given: the division reads true.
      `Ceiling: ${rate(result.ceilingTokensPerSecond)} (bandwidth ÷ ${(result.bytesPerToken / 1e9).toFixed(2)} GB read per token)`,
    );
    if (result.shareOfCeiling !== undefined) {
      lines.push(`Reached: ${Math.round(result.shareOfCeiling * 100)} % of the ceiling`);
    }
  } else {
    lines.push('Ceiling: unknown (the browser does not name this GPU precisely enough, or it is not in the table)');
  }
  return lines;
}

export function formatSpeedReport(results: readonly SpeedResult[]): string {
  if (results.length === 0) return '';
  const runs = results.map((result, index) =>
    [`Run ${index + 1}${index === 0 ? ' (latest)' : ''}`, ...describeSpeedResult(result)].join('\n'),
  );
  return ['Private Mistral Chat: local speed test', ...runs].join('\n\n');
}

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Version\/([\d.]+).*Safari/, 'Safari'],
];
const PLATFORMS: readonly [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome 131 on Windows", from a user-agent string; the raw string when it is not one of the common browsers. */
export function describeBrowser(userAgent: string): string {
  for (const [pattern, name] of BROWSERS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version === undefined) continue;
    const platform = PLATFORMS.find(([platformPattern]) => platformPattern.test(userAgent))?.[1];
    return `${name} ${version}${platform ? ` on ${platform}` : ''}`;
  }
  return userAgent;
}

/** Runs the speed test and keeps its results; one observable state for the panel. */
export class SpeedTest {
  readonly #deps: SpeedTestDeps;
  readonly #store: SpeedResultStore;
  readonly #listeners = new Set<(state: SpeedTestState) => void>();
  #state: SpeedTestState;

  constructor(deps: SpeedTestDeps) {
    this.#deps = deps;
    this.#store = deps.store ?? localStorageStore();
    const results = this.#store.load();
    this.#state = { running: false, results, error: null, report: formatSpeedReport(results) };
  }

  getState(): SpeedTestState {
    return this.#state;
  }

  subscribe(listener: (state: SpeedTestState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async run(): Promise<void> {
    if (this.#state.running) return;
    this.#set({ running: true, error: null });
    try {
      const subject = this.#deps.subject();
      const engine = await this.#deps.engine();
      let usage: Usage | undefined;
      const request = { messages: [{ role: 'user' as const, content: SPEED_TEST_PROMPT }], params: SPEED_TEST_PARAMS };
      for await (const chunk of engine.chat(request, new AbortController().signal)) {
        if (chunk.usage) usage = chunk.usage;
      }
      if (!usage || usage.decodeTokensPerSecond === undefined) throw new EngineError('unknown', NO_MEASUREMENT);
      const shape = await this.#deps.shape(subject.modelId).catch(() => undefined);
      const browser = this.#deps.browser ?? describeBrowser(navigator.userAgent);
      const result = toSpeedResult(subject, usage, shape, { at: (this.#deps.now ?? Date.now)(), browser });
      const results = [result, ...this.#state.results].slice(0, KEPT_RESULTS);
      this.#store.save(results);
      this.#set({ running: false, results, report: formatSpeedReport(results) });
    } catch (error) {
      const message =
        error instanceof EngineError
          ? error.userMessage
          : 'The speed test could not run. Load the model in Settings, then try again.';
      this.#set({ running: false, error: message });
    }
  }

  #set(patch: Partial<SpeedTestState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** Results in localStorage; a missing, blocked or tampered entry reads as no results. */
export function localStorageStore(
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = safeLocalStorage(),
): SpeedResultStore {
  return {
    load: () => {
      try {
        const parsed: unknown = JSON.parse(storage?.getItem(SPEED_RESULTS_KEY) ?? '[]');
        return Array.isArray(parsed) ? parsed.filter(isSpeedResult).slice(0, KEPT_RESULTS) : [];
      } catch {
        return [];
      }
    },
    save: (results) => {
      try {
        storage?.setItem(SPEED_RESULTS_KEY, JSON.stringify(results));
      } catch {
        // Storage full or blocked: the results stay on screen for this visit.
      }
    },
  };
}

function isSpeedResult(value: unknown): value is SpeedResult {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const numbers = ['at', 'promptTokens', 'completionTokens'].every((key) => typeof record[key] === 'number');
  const strings = ['modelId', 'modelLabel', 'gpu', 'browser'].every((key) => typeof record[key] === 'string');
  return numbers && strings;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function gpuName(adapter: GpuAdapterDescription | null): string {
  if (!adapter) return 'unknown';
  const named = adapter.description || adapter.device;
  const details = [
    adapter.vendor && `vendor ${adapter.vendor}`,
    adapter.architecture && `architecture ${adapter.architecture}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (named) return details ? `${named} (${details})` : named;
  return details || 'not named by the browser';
}

function rate(tokensPerSecond: number | undefined): string {
  return tokensPerSecond === undefined ? 'not reported' : `${tokensPerSecond.toFixed(1)} tokens/s`;
}
