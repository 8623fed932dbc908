import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../../src/engines/types.js';
import { modelPage, recoveryAction } from '../../../src/state/model-recovery.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { setup, shown, until } from './session-setup.js';

const HOSTED: Settings = { ...DEFAULT_SETTINGS, engine: 'hosted', hfToken: 'hf_token' };
const DEFAULT_MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
const LIVE_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const NOT_SERVED = new EngineError(
  'model-unsupported',
  `No Inference Provider you have enabled serves ${DEFAULT_MODEL}.`,
  {
    status: 400,
  },
);
const failed = { settings: HOSTED, model: DEFAULT_MODEL, messageId: 'r1' };

describe('recoveryAction', () => {
  it('offers a live model for a model not served, or not found', async () => {
    const alternative = vi.fn(async () => LIVE_MODEL);
    await expect(recoveryAction(NOT_SERVED, failed, alternative)).resolves.toEqual({
      kind: 'use-model',
      model: LIVE_MODEL,
      messageId: 'r1',
    });
    const notFound = new EngineError('not-found', 'Hugging Face does not know the model.', { status: 404 });
    await expect(recoveryAction(notFound, failed, alternative)).resolves.toMatchObject({ model: LIVE_MODEL });
    expect(alternative).toHaveBeenCalledWith(HOSTED, DEFAULT_MODEL);
  });

  it('offers nothing when no live model is known, the look-up fails, or the failure is of another kind', async () => {
    await expect(recoveryAction(NOT_SERVED, failed, async () => undefined)).resolves.toBeUndefined();
    await expect(
      recoveryAction(NOT_SERVED, failed, () => Promise.reject(new Error('offline'))),
    ).resolves.toBeUndefined();
    await expect(recoveryAction(NOT_SERVED, failed, async () => DEFAULT_MODEL)).resolves.toBeUndefined();
    const limited = new EngineError('rate-limited', 'Wait a minute.', { status: 429 });
    await expect(recoveryAction(limited, failed, async () => LIVE_MODEL)).resolves.toBeUndefined();
    await expect(recoveryAction(new Error('boom'), failed, async () => LIVE_MODEL)).resolves.toBeUndefined();
  });

  it('links a gated model to its page, to accept its licence', async () => {
    const gated = new EngineError('gated', 'meta-llama/Llama-3.1-8B-Instruct is gated.', { status: 403 });
    await expect(recoveryAction(gated, { ...failed, model: `${LIVE_MODEL}:novita` }, undefined)).resolves.toEqual({
      kind: 'link',
      label: `Open ${LIVE_MODEL} on Hugging Face`,
      href: `https://huggingface.co/${LIVE_MODEL}`,
    });
    expect(modelPage('a b/c?d#e')).toBe('https://huggingface.co/a%20b/c%3Fd%23e');
  });
});

describe('one-click recovery in the session', () => {
  it('a reply refused as not served gets "Use <model>", which switches the model and answers again', async () => {
    let calls = 0;
    const { session } = setup(
      () =>
        ++calls === 1
          ? new ScriptedEngine([{ error: NOT_SERVED }])
          : new ScriptedEngine([{ delta: 'Hello from Llama.' }, { finishReason: 'stop' }]),
      { alternativeModel: async () => LIVE_MODEL },
    );
    await session.start();
    await session.updateSettings({ engine: 'hosted', hfToken: 'hf_token' });
    await session.send('Hi');

    await until(() => session.getState().alerts[0]?.action !== undefined);
    const [alert] = session.getState().alerts;
    expect(alert?.message).toContain('No Inference Provider');
    expect(alert?.action).toMatchObject({ kind: 'use-model', model: LIVE_MODEL });

    await session.runAlertAction(alert!.id);
    expect(session.getState().settings.hfModel).toBe(LIVE_MODEL);
    expect(session.getState().alerts).toEqual([]);
    expect(shown(session)).toEqual(['Hi', 'Hello from Llama.']);
    expect(session.getState().messages.at(-1)?.status).toBe('complete');
  });

  it('on an endpoint, the model switched is that endpoint’s own', async () => {
    let calls = 0;
    const { session } = setup(
      () =>
        ++calls === 1
          ? new ScriptedEngine([{ error: new EngineError('not-found', 'Not found.', { status: 404 }) }])
          : new ScriptedEngine([{ delta: 'ok' }, { finishReason: 'stop' }]),
      { alternativeModel: async () => 'mistral:7b-instruct-v0.3-q4_K_M' },
    );
    await session.start();
    await session.updateSettings({ engine: 'hosted', provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' });
    await session.send('Hi');
    await until(() => session.getState().alerts[0]?.action !== undefined);
    await session.runAlertAction(session.getState().alerts[0]!.id);
    expect(session.getState().settings.endpointModels).toEqual({
      'http://localhost:11434': 'mistral:7b-instruct-v0.3-q4_K_M',
    });
    expect(session.getState().settings.hfModel).toBe(DEFAULT_MODEL);
  });
});
