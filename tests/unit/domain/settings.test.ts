import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  type Settings,
  applySettingsChanges,
  mergeSettings,
  settingsChanges,
} from '../../../src/domain/settings.js';

describe('mergeSettings', () => {
  it('gives the defaults when nothing is stored', () => {
    expect(mergeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps every stored setting', () => {
    const stored: Settings = {
      engine: 'local',
      hfToken: 'hf_token',
      hfModel: 'mistralai/Mistral-7B-Instruct-v0.3:novita',
      provider: 'vllm',
      endpointUrl: 'http://localhost:8000/v1',
      endpointKeys: { 'http://localhost:8000': 'key' },
      endpointModels: { 'http://localhost:8000': 'mistralai/Mistral-7B-Instruct-v0.3' },
      localModel: 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
      systemPrompt: 'Be terse.',
      sampling: { temperature: 0, topP: 1, maxNewTokens: 64, repetitionPenalty: 1.2, seed: 7 },
      lastPresetId: 'builtin:precise',
      keepAttachmentOriginals: true,
    };
    expect(mergeSettings(stored)).toEqual(stored);
  });

  it('starts new chats with no preset until one is chosen, and drops a last preset id of the wrong type', () => {
    expect(mergeSettings({ systemPrompt: 'Be terse.' }).lastPresetId).toBe('');
    expect(mergeSettings({ lastPresetId: 42 }).lastPresetId).toBe('');
    expect(mergeSettings({ lastPresetId: 'p1' }).lastPresetId).toBe('p1');
  });

  it('keeps originals of attached files only when asked, and drops a stored value of the wrong type', () => {
    expect(mergeSettings({ systemPrompt: 'Be terse.' }).keepAttachmentOriginals).toBe(false);
    expect(mergeSettings({ keepAttachmentOriginals: 'yes' }).keepAttachmentOriginals).toBe(false);
    expect(mergeSettings({ keepAttachmentOriginals: true }).keepAttachmentOriginals).toBe(true);
  });

  it('gives fields an older version never stored their defaults, inside sampling too', () => {
    expect(mergeSettings({ hfToken: 'hf_old', sampling: { temperature: 0.1 } })).toEqual({
      ...DEFAULT_SETTINGS,
      hfToken: 'hf_old',
      sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 0.1 },
    });
  });

  it('keeps a seed cleared to null and a seed set to a number', () => {
    expect(mergeSettings({ sampling: { seed: null } }).sampling.seed).toBeNull();
    expect(mergeSettings({ sampling: { seed: 0 } }).sampling.seed).toBe(0);
  });

  it('replaces values of the wrong type or an unknown engine with the defaults', () => {
    const merged = mergeSettings({
      engine: 'webllm',
      hfModel: 42,
      sampling: { temperature: 'hot', topP: Number.NaN, maxNewTokens: null },
    });
    expect(merged).toEqual(DEFAULT_SETTINGS);
  });

  it('moves the one endpoint key of older versions to the origin of the endpoint stored with it, and only there', () => {
    const merged = mergeSettings({ endpointUrl: 'http://localhost:8080/v1', endpointApiKey: 'sk-old' });
    expect(merged.endpointKeys).toEqual({ 'http://localhost:8080': 'sk-old' });
    expect(merged.provider).toBe('llamacpp');
    expect(mergeSettings({ endpointUrl: '', endpointApiKey: 'sk-old' }).endpointKeys).toEqual({});
    expect(mergeSettings({ endpointUrl: 'not a url', endpointApiKey: 'sk-old' }).endpointKeys).toEqual({});
    expect(mergeSettings({ endpointUrl: 'https://llm.example/v1' }).provider).toBe('custom');
    expect(Object.keys(merged)).not.toContain('endpointApiKey');
  });

  it('drops endpoint keys and models stored under something that is not an origin, or that are not text', () => {
    const merged = mergeSettings({
      endpointKeys: {
        'http://localhost:8080': 'sk',
        'http://localhost:8080/v1': 'sk-path',
        other: 'x',
        'https://a.example': 7,
      },
      endpointModels: 'corrupt',
      provider: 'somewhere',
    });
    expect(merged.endpointKeys).toEqual({ 'http://localhost:8080': 'sk' });
    expect(merged.endpointModels).toEqual({});
    expect(merged.provider).toBe('huggingface');
  });

  it('ignores a stored value that is not an object at all', () => {
    expect(mergeSettings('corrupt')).toEqual(DEFAULT_SETTINGS);
    expect(mergeSettings({ sampling: [1, 2] }).sampling).toEqual(DEFAULT_SETTINGS.sampling);
  });
});

describe('settingsChanges and applySettingsChanges', () => {
  it('keep only what differs from the settings shown, inside sampling too', () => {
    const requested = {
      ...DEFAULT_SETTINGS,
      systemPrompt: 'Be brief.',
      sampling: { ...DEFAULT_SETTINGS.sampling, topP: 0.5 },
    };
    expect(settingsChanges(DEFAULT_SETTINGS, requested)).toEqual({
      systemPrompt: 'Be brief.',
      sampling: { topP: 0.5 },
    });
    expect(settingsChanges(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS })).toBeNull();
    expect(settingsChanges(DEFAULT_SETTINGS, { sampling: { seed: null } })).toBeNull();
  });

  it('change endpoint keys origin by origin: another origin keeps its key, an empty key removes its origin', () => {
    const current: Settings = {
      ...DEFAULT_SETTINGS,
      endpointKeys: { 'http://localhost:8080': 'sk-a', 'https://api.mistral.ai': 'm-key' },
    };
    const requested = { endpointKeys: { 'http://localhost:8080': '', 'https://api.mistral.ai': 'm-key' } };
    const changes = settingsChanges(current, requested);
    expect(changes).toEqual({ endpointKeys: { 'http://localhost:8080': '' } });
    expect(applySettingsChanges(current, changes!).endpointKeys).toEqual({ 'https://api.mistral.ai': 'm-key' });
    expect(settingsChanges(current, { endpointModels: { 'http://localhost:8080': '' } })).toBeNull();
  });

  it('apply changes over other settings without touching the fields not named', () => {
    const other: Settings = {
      ...DEFAULT_SETTINGS,
      hfToken: 'hf_other',
      sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 0.1 },
    };
    expect(applySettingsChanges(other, { systemPrompt: 'Be brief.', sampling: { topP: 0.5 } })).toEqual({
      ...other,
      systemPrompt: 'Be brief.',
      sampling: { ...other.sampling, topP: 0.5 },
    });
  });
});
