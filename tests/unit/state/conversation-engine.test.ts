import { describe, expect, it } from 'vitest';
import { answeredBy, restoreChanges } from '../../../src/state/conversation-engine.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import type { MessageRecord } from '../../../src/domain/records.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { numberedAnswers, setup } from './session-setup.js';

const HOSTED: Settings = { ...DEFAULT_SETTINGS, engine: 'hosted', hfToken: 'hf_token' };
const OLLAMA: Settings = {
  ...HOSTED,
  provider: 'ollama',
  endpointUrl: 'http://localhost:11434/v1',
  endpointKeys: { 'http://localhost:11434': 'sk-ollama' },
};

function reply(fields: Partial<MessageRecord>): MessageRecord {
  return {
    id: 'r',
    conversationId: 'c',
    role: 'assistant',
    content: 'x',
    createdAt: 0,
    updatedAt: 0,
    status: 'complete',
    ...fields,
  };
}

describe('answeredBy and restoreChanges', () => {
  it('a hosted reply records its provider and endpoint; a local one only its engine and model', () => {
    expect(answeredBy(OLLAMA, 'mistral:7b')).toEqual({
      engine: 'hosted',
      model: 'mistral:7b',
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
    });
    expect(answeredBy(HOSTED, 'a/b')).toEqual({ engine: 'hosted', model: 'a/b', provider: 'huggingface' });
    expect(answeredBy(DEFAULT_SETTINGS, 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC')).toEqual({
      engine: 'local',
      model: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
    });
  });

  it('sends the next reply where the last one went, with no key among the changes', () => {
    const last = reply(answeredBy(OLLAMA, 'mistral:7b'));
    expect(restoreChanges(HOSTED, [last])).toEqual({
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
      endpointModels: { 'http://localhost:11434': 'mistral:7b' },
    });
    expect(
      restoreChanges({ ...OLLAMA, endpointModels: { 'http://localhost:11434': 'mistral:7b' } }, [last]),
    ).toBeNull();
    expect(restoreChanges(OLLAMA, [reply(answeredBy(HOSTED, 'a/b'))])).toEqual({
      provider: 'huggingface',
      endpointUrl: '',
      hfModel: 'a/b',
    });
    expect(restoreChanges(HOSTED, [reply({ engine: 'local', model: 'x' })])).toEqual({ engine: 'local' });
  });

  it('leaves the settings alone for a reply that recorded no provider (imported, or from an older version)', () => {
    expect(
      restoreChanges(HOSTED, [
        reply({ engine: 'hosted', model: 'evil/model', endpointUrl: 'https://attacker.example' }),
      ]),
    ).toBeNull();
    expect(restoreChanges(HOSTED, [])).toBeNull();
  });
});

describe('opening a conversation', () => {
  it('restores the engine, provider and model its last reply used; reopening at start changes nothing', async () => {
    const { session, repository } = setup(numberedAnswers());
    await session.start();
    await session.updateSettings({ engine: 'hosted', provider: 'ollama', endpointUrl: 'http://localhost:11434/v1' });
    await session.send('On Ollama');
    const onOllama = session.getState().activeConversationId!;
    await session.newConversation();
    await session.updateSettings({ provider: 'huggingface', endpointUrl: '' });
    await session.send('On the router');
    expect(session.getState().messages.at(-1)).toMatchObject({ provider: 'huggingface' });

    await session.openConversation(onOllama);
    expect(session.getState().settings).toMatchObject({
      provider: 'ollama',
      endpointUrl: 'http://localhost:11434/v1',
    });

    const restarted = setup(numberedAnswers(), { repository });
    await restarted.session.start();
    expect(restarted.session.getState().settings).toMatchObject({ provider: 'ollama' });
  });

  it('goes back to this device only where the model can run here', async () => {
    for (const localAvailable of [true, false]) {
      const onThisDevice = () =>
        new ScriptedEngine([{ delta: 'Hello' }], 'local', 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
      const { session } = setup(onThisDevice, { localAvailable });
      await session.start();
      await session.send('On this device');
      const onDevice = session.getState().activeConversationId!;
      await session.newConversation();
      await session.updateSettings({ engine: 'hosted' });

      await session.openConversation(onDevice);
      expect(session.getState().settings.engine).toBe(localAvailable ? 'local' : 'hosted');
    }
  });
});
