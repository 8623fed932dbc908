import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import { StorageError } from '../../../src/storage/errors.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import { DB_VERSION } from '../../../src/storage/migrations.js';
import { describeRepositoryContract } from '../../support/repository-contract.js';
import { conversation, openAtVersion, useTestRepositories } from './harness.js';

const { newDatabaseName, open, opened } = useTestRepositories();

describeRepositoryContract('IndexedDB repository', () => open());

describe('what survives reopening the database', () => {
  it('round-trips a conversation and survives reopening the database', async () => {
    const name = newDatabaseName();
    const first = await open(name);
    await first.putConversation(conversation('a', 10, 'Trip to Lyon'));
    first.close();

    const second = await open(name);
    expect(await second.getConversation('a')).toEqual(conversation('a', 10, 'Trip to Lyon'));
    expect(await second.getConversation('missing')).toBeUndefined();
  });

  it('keeps the tokens and every other setting across reopening, in this browser only', async () => {
    const name = newDatabaseName();
    const settings: Settings = {
      engine: 'local',
      hfToken: 'hf_abcdefghijklmnopqrstuvwxyz0123456789',
      hfModel: 'mistralai/Mistral-7B-Instruct-v0.3:together',
      provider: 'llamacpp',
      endpointUrl: 'http://localhost:8080/v1',
      endpointKeys: { 'http://localhost:8080': 'sk-local-secret' },
      endpointModels: { 'http://localhost:8080': 'mistral-7b-instruct-v0.3.Q4_K_M.gguf' },
      localModel: 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
      systemPrompt: 'Answer in French.',
      sampling: { temperature: 0.2, topP: 0.9, maxNewTokens: 1024, repetitionPenalty: 1.1, seed: 42 },
      lastPresetId: 'builtin:creative',
      keepAttachmentOriginals: true,
    };
    const first = await open(name);
    await first.updateSettings(settings);
    first.close();

    const second = await open(name);
    expect(await second.loadSettings()).toEqual(settings);
  });

  it('fills in the defaults for fields that stored settings from an older version lack', async () => {
    const name = newDatabaseName();
    const raw = await openAtVersion(name, 1);
    // Shaped like settings an earlier release saved: no endpoint fields, a sampling block missing newer knobs.
    await raw.put('settings', { engine: 'hosted', hfToken: 'hf_saved', sampling: { temperature: 1.3 } }, 'settings');
    raw.close();

    const repository = await open(name);
    expect(await repository.loadSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      engine: 'hosted',
      hfToken: 'hf_saved',
      sampling: { ...DEFAULT_SETTINGS.sampling, temperature: 1.3 },
    });
  });
});

describe('connection', () => {
  it('steps aside for a newer version of the app in another tab and says to reload', async () => {
    const name = newDatabaseName();
    const onVersionChange = vi.fn();
    const repository = await openChatRepository({ name, onVersionChange });
    opened.push(repository);
    await repository.putConversation(conversation('a', 1));

    // The other tab's upgrade would wait forever if this tab kept its connection open.
    const newerTab = await openDB(name, DB_VERSION + 1);
    newerTab.close();

    expect(onVersionChange).toHaveBeenCalledOnce();
    const notice: unknown = onVersionChange.mock.calls[0]?.[0];
    expect(notice).toBeInstanceOf(StorageError);
    expect(notice).toMatchObject({ kind: 'blocked', userMessage: expect.stringMatching(/reload/i) });
    await expect(repository.listConversations()).rejects.toMatchObject({ kind: 'blocked' });
  });

  it('reconnects after the browser closes the connection', async () => {
    const name = newDatabaseName();
    const connections: IDBDatabase[] = [];
    const realOpen = IDBFactory.prototype.open;
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(function (this: IDBFactory, ...args) {
      const request = realOpen.apply(this, args);
      request.addEventListener('success', () => connections.push(request.result));
      return request;
    });
    const repository = await open(name);
    await repository.putConversation(conversation('a', 1));

    // What the browser does when, say, the user clears site data in another window.
    const first = connections[0];
    first?.close();
    first?.dispatchEvent(new Event('close'));

    expect(await repository.getConversation('a')).toEqual(conversation('a', 1));
    expect(connections).toHaveLength(2);
  });

  it('fails every call with a StorageError once closed', async () => {
    const repository = await open();
    repository.close();

    await expect(repository.listConversations()).rejects.toBeInstanceOf(StorageError);
  });
});
