import { describe, expect, test } from 'vitest';
import { BUILT_IN_PRESETS, type Preset } from '../../../src/domain/presets.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import { EngineError } from '../../../src/engines/types.js';
import { replySettings, withoutPresetModel } from '../../../src/state/preset-keeper.js';
import { PRESET_MESSAGES } from '../../../src/storage/presets.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { numberedAnswers, setup, until, twoTabs } from './session-setup.js';

const [DEMO, PRECISE] = BUILT_IN_PRESETS as [Preset, Preset, Preset];
const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  engine: 'hosted',
  systemPrompt: 'Answer in French.',
  sampling: { temperature: 0.3, topP: 0.8, maxNewTokens: 99, repetitionPenalty: 1.3, seed: 7 },
};
const WITH_MODEL: Preset = { ...PRECISE, id: 'p1', name: 'Big model', builtIn: false, model: 'mistralai/Big' };

/** The system prompt and sampling the engine was asked with last. */
function lastAsked(engine: ScriptedEngine) {
  const request = engine.requests.at(-1)!;
  return { system: request.messages[0]?.content, params: request.params };
}

describe('replySettings: what a reply is asked with', () => {
  test('with no preset, Settings as they are', () => {
    expect(replySettings(SETTINGS, undefined)).toBe(SETTINGS);
  });

  test('a preset brings its system prompt and every sampling field, and nothing else', () => {
    const settings = replySettings(SETTINGS, DEMO);
    expect(settings.systemPrompt).toBe(DEMO.systemPrompt);
    expect(settings.sampling).toEqual({
      temperature: 0.9,
      topP: 0.95,
      maxNewTokens: 256,
      repetitionPenalty: 1.2,
      seed: null,
    });
    expect({ ...settings, systemPrompt: '', sampling: null }).toEqual({
      ...SETTINGS,
      systemPrompt: '',
      sampling: null,
    });
  });

  test('a preset’s model is asked of the router or of the endpoint chosen, on the hosted engine only', () => {
    expect(replySettings(SETTINGS, WITH_MODEL).hfModel).toBe('mistralai/Big');
    const endpoint = { ...SETTINGS, provider: 'vllm' as const, endpointUrl: 'http://localhost:8000/v1' };
    expect(replySettings(endpoint, WITH_MODEL).endpointModels).toEqual({ 'http://localhost:8000': 'mistralai/Big' });
    expect(replySettings(endpoint, WITH_MODEL).hfModel).toBe(SETTINGS.hfModel);
    const local = replySettings({ ...SETTINGS, engine: 'local' }, WITH_MODEL);
    expect(local.hfModel).toBe(SETTINGS.hfModel);
    expect(local.systemPrompt).toBe(PRECISE.systemPrompt);
  });

  test('opening a conversation does not make its preset’s model the one in Settings', () => {
    const changes = { engine: 'hosted' as const, hfModel: 'mistralai/Big' };
    expect(withoutPresetModel(changes, WITH_MODEL)).toEqual({ engine: 'hosted' });
    expect(withoutPresetModel({ hfModel: 'mistralai/Big' }, WITH_MODEL)).toBeNull();
    expect(withoutPresetModel(changes, PRECISE)).toBe(changes);
  });
});

describe('presets in the session', () => {
  async function started() {
    const tab = setup(numberedAnswers());
    await tab.repository.updateSettings(SETTINGS);
    await tab.session.start();
    return tab;
  }

  test('lists the built-ins; a new chat uses Settings until a preset is chosen, then starts from the last one', async () => {
    const { session, repository, lastEngine } = await started();
    expect(session.getState().presets.map((preset) => preset.name)).toEqual(['Demo defaults', 'Precise', 'Creative']);

    await session.send('First');
    expect(lastAsked(lastEngine())).toEqual({ system: 'Answer in French.', params: SETTINGS.sampling });
    expect((await repository.listConversations())[0]?.presetId).toBeUndefined();

    await session.newConversation();
    await session.choosePreset(DEMO.id);
    expect((await repository.loadSettings()).lastPresetId).toBe(DEMO.id);
    await session.send('Second');
    expect(lastAsked(lastEngine())).toEqual({ system: DEMO.systemPrompt, params: DEMO.sampling });
    const second = session.getState().activeConversationId!;
    expect((await repository.getConversation(second))?.presetId).toBe(DEMO.id);

    await session.newConversation();
    await session.send('Third');
    expect(lastAsked(lastEngine()).system).toBe(DEMO.systemPrompt);
  });

  test('a preset changed mid-conversation applies from the next reply; none brings Settings back', async () => {
    const { session, repository, lastEngine } = await started();
    await session.send('Hello');
    const id = session.getState().activeConversationId!;
    await session.choosePreset(PRECISE.id);
    expect(session.getState().conversations[0]?.presetId).toBe(PRECISE.id);
    expect((await repository.getConversation(id))?.presetId).toBe(PRECISE.id);
    await session.send('Again');
    expect(lastAsked(lastEngine())).toEqual({ system: PRECISE.systemPrompt, params: PRECISE.sampling });
    await session.regenerate(session.getState().messages.at(-1)!.id);
    expect(lastAsked(lastEngine()).system).toBe(PRECISE.systemPrompt);

    await session.choosePreset('');
    expect((await repository.getConversation(id))?.presetId).toBeUndefined();
    await session.send('Once more');
    expect(lastAsked(lastEngine()).system).toBe('Answer in French.');
  });

  test('creates a preset from Settings and chooses it, renames it, deletes it: its conversation falls back', async () => {
    const { session, repository, lastEngine } = await started();
    await session.send('Hello');
    expect(await session.createPreset('Tutor', { includeModel: true })).toBe(true);
    const tutor = session.getState().presets.find((preset) => preset.name === 'Tutor')!;
    expect(tutor).toMatchObject({
      systemPrompt: 'Answer in French.',
      sampling: SETTINGS.sampling,
      model: SETTINGS.hfModel,
      builtIn: false,
    });
    expect(session.getState().conversations[0]?.presetId).toBe(tutor.id);

    expect(await session.renamePreset(tutor.id, 'Patient tutor')).toBe(true);
    expect((await repository.listPresets()).map((preset) => preset.name)).toContain('Patient tutor');

    await session.deletePreset(tutor.id);
    expect(session.getState().presets.some((preset) => preset.id === tutor.id)).toBe(false);
    expect(session.getState().notice?.message).toBe('Deleted the preset “Patient tutor”.');
    await session.updateSettings({ systemPrompt: 'Answer in German.' });
    await session.send('Still there?');
    expect(lastAsked(lastEngine()).system).toBe('Answer in German.');
  });

  test('a nameless preset, a rename to nothing and deleting a built-in are alerts, and change nothing', async () => {
    const { session, repository } = await started();
    expect(await session.createPreset('   ', { includeModel: false })).toBe(false);
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([PRESET_MESSAGES.noName]);
    session.dismissAlert(session.getState().alerts[0]!.id);
    await session.createPreset('Mine', { includeModel: false });
    const mine = session.getState().presets.find((preset) => preset.name === 'Mine')!;
    expect(mine.model).toBeUndefined();
    expect(await session.renamePreset(mine.id, '')).toBe(false);
    await session.deletePreset(DEMO.id);
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([
      PRESET_MESSAGES.noName,
      PRESET_MESSAGES.builtInDelete,
    ]);
    expect((await repository.listPresets()).map((preset) => preset.name)).toEqual([
      ...BUILT_IN_PRESETS.map((preset) => preset.name),
      'Mine',
    ]);
  });

  test('another tab follows a preset created there, and the conversation’s choice', async () => {
    const { a, b } = twoTabs();
    await a.session.start();
    await b.session.start();
    await a.session.send('Hello');
    const id = a.session.getState().activeConversationId!;
    await until(() => b.session.getState().conversations.length === 1);
    await a.session.createPreset('Shared', { includeModel: false });
    await until(() => b.session.getState().presets.some((preset) => preset.name === 'Shared'));
    const shared = b.session.getState().presets.find((preset) => preset.name === 'Shared')!;
    await until(() => b.session.getState().conversations[0]?.presetId === shared.id);
    await until(() => b.session.getState().settings.lastPresetId === shared.id);

    await b.session.openConversation(id);
    await b.session.send('From the other tab');
    expect(lastAsked(b.lastEngine()).system).toBe(shared.systemPrompt);
  });

  test('a preset made from Settings holds no token or key, and neither does the backup that carries it', async () => {
    const tab = setup(numberedAnswers());
    const secrets = { hfToken: 'hf_SecretTokenThatMustNeverLeave0123456', key: 'sk-endpoint-secret-key' };
    await tab.repository.updateSettings({
      ...SETTINGS,
      hfToken: secrets.hfToken,
      provider: 'vllm',
      endpointUrl: 'http://localhost:8000/v1',
      endpointKeys: { 'http://localhost:8000': secrets.key },
    });
    await tab.session.start();
    await tab.session.send('Hello');
    expect(await tab.session.createPreset('Keyless', { includeModel: true })).toBe(true);
    expect(await tab.session.exportAll()).toMatchObject({ ok: true });
    const backup = await tab.saved.at(-1)!.blob.text();
    expect(backup).toContain('"Keyless"');
    const presets = JSON.stringify(await tab.repository.listPresets());
    for (const text of [backup, presets]) {
      expect(text).not.toContain(secrets.hfToken);
      expect(text).not.toContain(secrets.key);
    }
    // Nor where requests go: a preset is a prompt, sampling and at most a model id.
    expect(presets).not.toContain('localhost:8000');
  });

  test('a failed reply does not offer "Use <model>" when its model is the preset’s: Settings could not change it', async () => {
    const notServed = new EngineError('model-unsupported', 'No Inference Provider you have enabled serves it.');
    const tab = setup(() => new ScriptedEngine([{ error: notServed }]), {
      alternativeModel: async () => 'meta-llama/Llama-3.1-8B-Instruct',
    });
    await tab.repository.updateSettings(SETTINGS);
    await tab.repository.savePreset(WITH_MODEL);
    await tab.session.start();
    // Without the preset, the model is the one in Settings: the alert offers another.
    await tab.session.send('Hello');
    await until(() => tab.session.getState().alerts[0]?.action?.kind === 'use-model');
    tab.session.dismissAlert(tab.session.getState().alerts[0]!.id);

    await tab.session.choosePreset(WITH_MODEL.id);
    await tab.session.send('Again');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tab.session.getState().alerts).toEqual([{ id: expect.any(Number), message: notServed.userMessage }]);
  });
});
