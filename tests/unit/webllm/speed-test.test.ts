import { describe, expect, test } from 'vitest';
import { GPU_BANDWIDTH_TABLE, matchGpuBandwidth } from '../../../src/engines/webllm/gpu-bandwidth.js';
import type { GpuAdapterDescription } from '../../../src/engines/webllm/gpu-probe.js';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import {
  describeBrowser,
  formatSpeedReport,
  localStorageStore,
  SPEED_RESULTS_KEY,
  SPEED_TEST_PARAMS,
  SPEED_TEST_PROMPT,
  SpeedTest,
  type SpeedResult,
} from '../../../src/engines/webllm/speed-test.js';
import { FakeWebLlmEngine, fakeFactory } from './fake-webllm.js';
import { ERRORS, MISTRAL } from './fixtures.js';

function adapter(description: string, patch: Partial<GpuAdapterDescription> = {}): GpuAdapterDescription {
  return { vendor: 'nvidia', architecture: 'lovelace', description, isFallbackAdapter: false, ...patch };
}

describe('the GPU bandwidth table', () => {
  test.each([
    ['NVIDIA GeForce RTX 4070 Laptop GPU', 'NVIDIA GeForce RTX 4070 Laptop GPU', 256],
    ['NVIDIA GeForce RTX 4070', 'NVIDIA GeForce RTX 4070', 504],
    ['NVIDIA GeForce RTX 4060 Ti', 'NVIDIA GeForce RTX 4060 Ti', 288],
    ['NVIDIA GeForce RTX 3060 Laptop GPU', 'NVIDIA GeForce RTX 3060 Laptop GPU', 336],
    ['Apple M2 Pro', 'Apple M2 Pro', 200],
    ['Apple M1', 'Apple M1', 68.25],
    ['AMD Radeon RX 7900 XTX', 'AMD Radeon RX 7900 XTX', 960],
    ['Intel(R) Arc(TM) A770 Graphics', 'Intel Arc A770 (16 GB)', 560],
    ['Intel(R) Iris(R) Xe Graphics', 'Intel Iris Xe (LPDDR4x-4266, shared)', 68],
  ])('%s is %s at %d GB/s', (description, name, gigabytesPerSecond) => {
    expect(matchGpuBandwidth(adapter(description))).toMatchObject({ name, gigabytesPerSecond });
  });

  test('the device field is read when the description is empty; with neither, nothing is claimed', () => {
    expect(matchGpuBandwidth(adapter('', { device: 'NVIDIA GeForce RTX 4090' }))?.gigabytesPerSecond).toBe(1008);
    expect(matchGpuBandwidth(adapter(''))).toBeUndefined();
    expect(matchGpuBandwidth(adapter('SwiftShader Device (Subzero)'))).toBeUndefined();
  });

  test('every figure names its vendor source', () => {
    for (const entry of GPU_BANDWIDTH_TABLE) {
      expect(entry.source, entry.name).toMatch(/^https:\/\/www\.(apple|nvidia|amd|intel)\.com\//);
      expect(entry.gigabytesPerSecond).toBeGreaterThan(0);
    }
  });
});

/** Holds what was stored, as localStorage would. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    items,
  };
}

const SHAPE = { weightBytes: 4_000_000_000, kvBytesPerToken: 131_072 };

function speedTest(
  options: {
    reply?: ConstructorParameters<typeof FakeWebLlmEngine>[1];
    description?: string;
    storage?: ReturnType<typeof memoryStorage>;
  } = {},
) {
  const engine = new FakeWebLlmEngine(
    { outcome: 'ok' },
    options.reply ?? [{ tokens: ['The', ' keeper'], promptTokens: 180 }],
  );
  const local = new LocalEngine({ createEngine: fakeFactory(engine).create });
  const storage = options.storage ?? memoryStorage();
  const test = new SpeedTest({
    engine: async () => {
      if (!local.isLoaded) await local.load(MISTRAL);
      return local;
    },
    subject: () => ({
      modelId: MISTRAL,
      modelLabel: 'Mistral 7B Instruct v0.3 · q4f16_1',
      adapter: adapter(options.description ?? 'NVIDIA GeForce RTX 4070 Laptop GPU'),
    }),
    shape: async () => SHAPE,
    store: localStorageStore(storage),
    browser: 'Chrome 131 on Windows',
    now: () => Date.UTC(2026, 11, 1, 21, 50),
  });
  return { test, engine, storage };
}

describe('SpeedTest against the fake engine', () => {
  test('runs the fixed prompt greedily and reports WebLLM’s figures with the ceiling and the share reached', async () => {
    const { test, engine } = speedTest();
    await test.run();

    expect(engine.requests[0]?.messages.at(-1)).toEqual({ role: 'user', content: SPEED_TEST_PROMPT });
    expect(engine.requests[0]).toMatchObject({ temperature: 0, max_tokens: SPEED_TEST_PARAMS.maxNewTokens, seed: 0 });
    const [result] = test.getState().results;
    // 4 GB of weights plus the KV cache of 181 tokens (180 prompt, half of the 2-token reply).
    const bytesPerToken = 4_000_000_000 + 131_072 * 181;
    expect(result).toMatchObject({
      promptTokens: 180,
      completionTokens: 2,
      timeToFirstTokenMs: 375,
      prefillTokensPerSecond: 512.5,
      decodeTokensPerSecond: 24.25,
      bandwidth: { gigabytesPerSecond: 256 },
      bytesPerToken,
    });
    expect(result?.ceilingTokensPerSecond).toBeCloseTo(256e9 / bytesPerToken, 6);
    expect(result?.shareOfCeiling).toBeCloseTo(24.25 / (256e9 / bytesPerToken), 6);
    expect(test.getState()).toMatchObject({ running: false, error: null });
  });

  test('"Copy results" text fits a bug report: model, GPU, browser, figures, source, ceiling', async () => {
    const { test } = speedTest();
    await test.run();
    const report = test.getState().report;
    expect(report).toContain('Private Mistral Chat: local speed test');
    expect(report).toContain('Date: 2026-12-01 21:50 UTC');
    expect(report).toContain(`Model: Mistral 7B Instruct v0.3 · q4f16_1 (${MISTRAL})`);
    expect(report).toContain('GPU: NVIDIA GeForce RTX 4070 Laptop GPU (vendor nvidia, architecture lovelace)');
    expect(report).toContain('Browser: Chrome 131 on Windows');
    expect(report).toContain('Decode: 24.3 tokens/s');
    expect(report).toMatch(/Memory bandwidth: 256 GB\/s \(.*https:\/\/www\.nvidia\.com\//);
    expect(report).toMatch(/Ceiling: 63\.6 tokens\/s \(bandwidth ÷ 4\.02 GB read per token\)/);
    expect(report).toContain('Reached: 38 % of the ceiling');
  });

  test('results are kept, newest first, beside earlier runs, and read back by the next visit', async () => {
    const storage = memoryStorage();
    const first = speedTest({ storage, reply: [{ tokens: ['a'] }, { tokens: ['b'] }] }).test;
    await first.run();
    await first.run();
    expect(first.getState().results).toHaveLength(2);
    expect(first.getState().report).toMatch(/Run 1 \(latest\)[\s\S]*Run 2/);

    const next = speedTest({ storage }).test;
    expect(next.getState().results).toHaveLength(2);
    expect(JSON.parse(storage.items.get(SPEED_RESULTS_KEY) ?? '[]')).toHaveLength(2);
  });

  test('an unrecognised GPU: figures without a ceiling, and the report says why', async () => {
    const { test } = speedTest({ description: '' });
    await test.run();
    expect(test.getState().results[0]?.ceilingTokensPerSecond).toBeUndefined();
    expect(test.getState().report).toMatch(/Ceiling: unknown \(the browser does not name this GPU/);
  });

  test('a failing run says what happened and keeps the earlier results', async () => {
    const { test } = speedTest({
      reply: [{ tokens: ['a'] }, { tokens: ['b'], errorAt: { index: 0, error: ERRORS.deviceLost } }],
    });
    await test.run();
    await test.run();
    expect(test.getState().results).toHaveLength(1);
    expect(test.getState().error).toMatch(/GPU ran out of memory or was reset/);
  });

  test('stored results that were tampered with are ignored', () => {
    const valid: SpeedResult = {
      at: 1,
      modelId: MISTRAL,
      modelLabel: 'M',
      gpu: 'G',
      browser: 'B',
      promptTokens: 1,
      completionTokens: 1,
    };
    const storage = memoryStorage({ [SPEED_RESULTS_KEY]: JSON.stringify([valid, { at: 'x' }, null, '<img>']) });
    expect(localStorageStore(storage).load()).toEqual([valid]);
    expect(localStorageStore(memoryStorage({ [SPEED_RESULTS_KEY]: '{not json' })).load()).toEqual([]);
    expect(formatSpeedReport([])).toBe('');
  });
});

describe('describeBrowser', () => {
  test.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
      'Safari 26.0 on macOS',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0', 'Firefox 141 on Windows'],
  ])('%s', (userAgent, expected) => {
    expect(describeBrowser(userAgent)).toBe(expected);
  });
});
