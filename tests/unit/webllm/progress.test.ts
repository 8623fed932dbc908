import { describe, expect, test } from 'vitest';
import { parseProgress } from '../../../src/engines/webllm/progress.js';
import { PROGRESS } from './fixtures.js';

describe('parseProgress over WebLLM 0.2.86 texts', () => {
  test('the start of a load is the download phase at zero', () => {
    expect(parseProgress(PROGRESS.start)).toMatchObject({ phase: 'download', fraction: 0 });
  });

  test('a download report gives shards, megabytes, a total and the time left', () => {
    const progress = parseProgress(PROGRESS.fetchQuarter);
    expect(progress).toMatchObject({
      phase: 'download',
      fraction: 0.25,
      shardIndex: 27,
      shardCount: 108,
      mbDone: 973,
      mbTotal: 3892,
      etaSeconds: 120,
    });
    expect(progress.label).toBe('Downloading the model: 973 of 3,892 MB (25 %), about 2 min left');
  });

  test('a resumed download counts only what this load fetched: WebLLM reports the cached shards as fetched at once', () => {
    const progress = parseProgress(PROGRESS.fetchQuarter, undefined, 800 * 1024 * 1024);
    // 173 MB fetched in 40 s, 2,919 MB still to come.
    expect(progress.etaSeconds).toBe(Math.round((40 * (3892 - 973)) / 173));
    expect(progress.label).toMatch(/about 11 min left$/);
    expect(parseProgress(PROGRESS.fetchFirst, undefined, 800 * 1024 * 1024).etaSeconds).toBeUndefined();
  });

  test('the end of the download has no time left to show', () => {
    const progress = parseProgress(PROGRESS.fetchDone);
    expect(progress).toMatchObject({ phase: 'download', fraction: 1, mbDone: 3891, mbTotal: 3891 });
    expect(progress.etaSeconds).toBeUndefined();
  });

  test('loading from the cache is its own phase, restarting from its own progress', () => {
    const afterDownload = parseProgress(PROGRESS.fetchDone);
    const progress = parseProgress(PROGRESS.cacheHalf, afterDownload);
    expect(progress).toMatchObject({ phase: 'cache', fraction: 0.5, shardIndex: 54, shardCount: 108, mbDone: 1946 });
    expect(progress.label).toBe('Loading the model from this device: 50 %');
    expect(progress.etaSeconds).toBeUndefined();
  });

  test('shader compilation is its own phase', () => {
    expect(parseProgress(PROGRESS.shaders)).toMatchObject({
      phase: 'shaders',
      fraction: 0.5,
      shardIndex: 40,
      shardCount: 80,
      label: 'Preparing the GPU shaders: 50 %',
    });
  });

  test('the final report says the model is ready', () => {
    expect(parseProgress(PROGRESS.finish)).toEqual({ phase: 'finishing', fraction: 1, label: 'Model ready' });
  });

  test('an unknown text keeps the phase and fraction it follows, with the text as label', () => {
    const previous = parseProgress(PROGRESS.cacheHalf);
    expect(parseProgress({ progress: 0, timeElapsed: 1, text: 'Loading tokenizer' }, previous)).toEqual({
      phase: 'cache',
      fraction: 0.5,
      label: 'Loading tokenizer',
    });
    expect(parseProgress({ progress: 0.3, timeElapsed: 1, text: 'Something new' })).toEqual({
      phase: 'unknown',
      fraction: 0.3,
      label: 'Something new',
    });
  });

  test('out-of-range progress is clamped', () => {
    expect(parseProgress({ ...PROGRESS.shaders, progress: 1.7 }).fraction).toBe(1);
    expect(parseProgress({ ...PROGRESS.shaders, progress: Number.NaN }).fraction).toBe(0);
  });
});
