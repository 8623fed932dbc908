import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/domain/settings.js';
import { StorageError } from '../../../src/storage/errors.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import { DB_VERSION } from '../../../src/storage/migrations.js';
import { conversation, message, openAtVersion, useTestRepositories } from './harness.js';

const { newDatabaseName, open, opened } = useTestRepositories();

describe('conversations', () => {
  it('round-trips a conversation and survives reopening the database', async () => {
    const name = newDatabaseName();
    const first = await open(name);
    await first.putConversation(conversation('a', 10, 'Trip to Lyon'));
    first.close();

    const second = await open(name);
    expect(await second.getConversation('a')).toEqual(conversation('a', 10, 'Trip to Lyon'));
    expect(await second.getConversation('missing')).toBeUndefined();
  });

  it('lists conversations newest first', async () => {
    const repository = await open();
    await repository.putConversation(conversation('old', 100));
    await repository.putConversation(conversation('newest', 300));
    await repository.putConversation(conversation('middle', 200));

    expect((await repository.listConversations()).map((c) => c.id)).toEqual(['newest', 'middle', 'old']);
  });

  it('renames a conversation in place', async () => {
    const repository = await open();
    await repository.putConversation(conversation('a', 10, 'Untitled'));
    await repository.putConversation({ ...conversation('a', 10), title: 'Renamed' });

    const list = await repository.listConversations();
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toBe('Renamed');
  });

  it('deletes a conversation with all its messages and leaves other conversations alone', async () => {
    const repository = await open();
    await repository.putConversation(conversation('gone', 10));
    await repository.putConversation(conversation('kept', 20));
    await repository.putMessage(message('g1', 'gone', 1));
    await repository.putMessage(message('g2', 'gone', 2));
    await repository.putMessage(message('k1', 'kept', 3));

    await repository.deleteConversation('gone');

    expect(await repository.getConversation('gone')).toBeUndefined();
    expect(await repository.listMessages('gone')).toEqual([]);
    expect((await repository.listConversations()).map((c) => c.id)).toEqual(['kept']);
    expect((await repository.listMessages('kept')).map((m) => m.id)).toEqual(['k1']);
  });
});

describe('messages', () => {
  it('round-trips every field of a reply, including usage and the engine that wrote it', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    const reply = message('r', 'c', 5, {
      role: 'assistant',
      content: 'Bonjour ! **Gras** et `code`.',
      status: 'error',
      error: 'The connection dropped.',
      engine: 'local',
      model: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
      usage: { promptTokens: 12, completionTokens: 34, decodeTokensPerSecond: 8.5 },
    });
    await repository.putMessage(reply);

    // The first message of a conversation follows nothing.
    expect(await repository.listMessages('c')).toEqual([{ ...reply, parentId: null }]);
  });

  it("lists one conversation's messages oldest first, whatever order they were written in", async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    await repository.putConversation(conversation('other', 1));
    await repository.putMessage(message('third', 'c', 300));
    await repository.putMessage(message('first', 'c', 100));
    await repository.putMessage(message('elsewhere', 'other', 150));
    await repository.putMessage(message('second', 'c', 200));

    expect((await repository.listMessages('c')).map((m) => m.id)).toEqual(['first', 'second', 'third']);
  });

  it('reads the newest messages of a conversation alone, and says whether that was all of them', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    await repository.putConversation(conversation('other', 1));
    for (const createdAt of [100, 200, 300, 400, 500])
      await repository.putMessage(message(`m${createdAt}`, 'c', createdAt));
    await repository.putMessage(message('later elsewhere', 'other', 900));

    expect(await repository.listNewestMessages('c', 2)).toEqual({
      messages: [expect.objectContaining({ id: 'm400' }), expect.objectContaining({ id: 'm500' })],
      complete: false,
    });
    const all = await repository.listNewestMessages('c', 5);
    expect(all.complete).toBe(true);
    expect(all.messages).toEqual(await repository.listMessages('c'));
    expect(await repository.listNewestMessages('empty', 5)).toEqual({ messages: [], complete: true });
  });

  it('leaves out, together, messages created in the same millisecond as the newest one left out', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    for (const [id, createdAt] of [
      ['a', 100],
      ['b', 200],
      ['c', 200],
      ['d', 300],
    ] as const)
      await repository.putMessage(message(id, 'c', createdAt));

    const newest = await repository.listNewestMessages('c', 2);
    expect(newest.messages.map((m) => m.id)).toEqual(['d']);
    expect(newest.complete).toBe(false);
  });

  it('overwrites a streaming reply with its later state', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    await repository.putMessage(message('r', 'c', 5, { role: 'assistant', content: 'Hel', status: 'streaming' }));
    await repository.putMessage(
      message('r', 'c', 5, { role: 'assistant', content: 'Hello there', status: 'complete', updatedAt: 9 }),
    );

    const messages = await repository.listMessages('c');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ content: 'Hello there', status: 'complete' });
  });

  it('moves the conversation to the top of the list when a message is written, and never back in time', async () => {
    const repository = await open();
    await repository.putConversation(conversation('quiet', 100));
    await repository.putConversation(conversation('busy', 200));

    await repository.putMessage(message('m', 'quiet', 50, { updatedAt: 500 }));
    expect(await repository.getConversation('quiet')).toMatchObject({ updatedAt: 500 });
    expect((await repository.listConversations()).map((c) => c.id)).toEqual(['quiet', 'busy']);

    await repository.putMessage(message('late-edit', 'busy', 10, { updatedAt: 150 }));
    expect(await repository.getConversation('busy')).toMatchObject({ updatedAt: 200 });
  });

  it('deletes one message, or all of a conversation, keeping the conversation', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    await repository.putMessage(message('a', 'c', 1));
    await repository.putMessage(message('b', 'c', 2));
    await repository.putMessage(message('c1', 'c', 3));

    await repository.deleteMessage('b');
    expect((await repository.listMessages('c')).map((m) => m.id)).toEqual(['a', 'c1']);

    await repository.deleteMessages('c');
    expect(await repository.listMessages('c')).toEqual([]);
    expect(await repository.getConversation('c')).toBeDefined();
  });
});

describe('settings', () => {
  it('starts from the defaults', async () => {
    const repository = await open();
    expect(await repository.loadSettings()).toEqual(DEFAULT_SETTINGS);
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
