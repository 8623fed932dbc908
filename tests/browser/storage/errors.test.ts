import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { conversation, message, useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: ChatRepository[] = [];

async function open(name = newDatabaseName()): Promise<ChatRepository> {
  const repository = await openChatRepository({ name });
  opened.push(repository);
  return repository;
}

/** Every write fails the way a full disk makes IndexedDB fail, until the returned function is called. */
function fillTheDisk(): () => void {
  const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  });
  return () => put.mockRestore();
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  for (const repository of opened.splice(0)) repository.close();
});

describe('a full disk', () => {
  it('fails a message write with a quota error and loses nothing already saved', async () => {
    const name = newDatabaseName();
    const repository = await open(name);
    await repository.putConversation(conversation('c', 100));
    await repository.putMessage(message('q', 'c', 110));
    await repository.putMessage(message('r', 'c', 120, { role: 'assistant', content: 'Partial', status: 'streaming' }));
    const before = {
      conversations: await repository.listConversations(),
      messages: await repository.listMessages('c'),
    };

    const freeTheDisk = fillTheDisk();
    const failures = [
      repository.putMessage(
        message('r', 'c', 120, { role: 'assistant', content: 'Partial reply, longer', updatedAt: 999 }),
      ),
      repository.putMessage(message('new', 'c', 130, { updatedAt: 999 })),
      repository.putConversation({ ...conversation('c', 100), title: 'Renamed' }),
    ];
    for (const failure of failures) {
      await expect(failure).rejects.toMatchObject({ kind: 'quota', userMessage: STORAGE_MESSAGES.quota });
      await expect(failure).rejects.toBeInstanceOf(StorageError);
    }
    freeTheDisk();

    repository.close();
    const reopened = await open(name);
    expect(await reopened.listConversations()).toEqual(before.conversations);
    expect(await reopened.listMessages('c')).toEqual(before.messages);
  });

  it('keeps a message write all or nothing: no message is saved when its conversation cannot be updated', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 100));
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'conversations') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    });

    await expect(repository.putMessage(message('m', 'c', 200))).rejects.toMatchObject({ kind: 'quota' });
    vi.restoreAllMocks();

    expect(await repository.listMessages('c')).toEqual([]);
    expect(await repository.getConversation('c')).toEqual(conversation('c', 100));
  });

  it('fails a settings save with a quota error and keeps the settings saved before', async () => {
    const repository = await open();
    const saved = { ...DEFAULT_SETTINGS, hfToken: 'hf_saved_before' };
    await repository.updateSettings(saved);

    const freeTheDisk = fillTheDisk();
    await expect(repository.updateSettings({ ...saved, hfToken: 'hf_never_saved' })).rejects.toMatchObject({
      kind: 'quota',
    });
    freeTheDisk();

    expect(await repository.loadSettings()).toEqual(saved);
  });
});

describe('storage the browser refuses', () => {
  it('reports unavailable storage when IndexedDB does not exist', async () => {
    vi.stubGlobal('indexedDB', undefined);

    await expect(openChatRepository({ name: newDatabaseName() })).rejects.toMatchObject({
      kind: 'unavailable',
      userMessage: STORAGE_MESSAGES.unavailable,
    });
  });

  it('reports unavailable storage when the browser refuses to open a database', async () => {
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(() => {
      throw new DOMException('Access to IndexedDB is denied in this context.', 'SecurityError');
    });

    const failure = openChatRepository({ name: newDatabaseName() });
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('reports unavailable storage when the browser cannot open its database files', async () => {
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(() => {
      throw new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError');
    });

    await expect(openChatRepository({ name: newDatabaseName() })).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
