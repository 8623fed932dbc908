import { describe, expect, it, vi } from 'vitest';
import { leafAfterChoosing } from '../../../src/domain/branches.js';
import { linear, shown } from '../../support/repository-contract-branches.js';
import { message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

// The branch rules themselves are in the repository contract; these are what only a database adds.
describe('branches in IndexedDB', () => {
  it('links messages one after another and shows the last one, across reopening', async () => {
    const name = newDatabaseName();
    const first = await open(name);
    await linear(first);
    first.close();

    const repository = await open(name);
    expect((await repository.listMessages('c')).map((m) => [m.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
      ['u2', 'a1'],
      ['a2', 'u2'],
    ]);
    expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2 1/1']);
  });

  it('keeps the alternative chosen across reopening', async () => {
    const name = newDatabaseName();
    const repository = await open(name);
    await linear(repository);
    await repository.putMessage(message('a2b', 'c', 50, { role: 'assistant', parentId: 'u2' }));
    await repository.setActiveLeaf('c', leafAfterChoosing(await repository.listMessages('c'), 'a2')!);
    repository.close();
    expect(await shown(await open(name), 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2 1/2']);
  });

  it('keeps a message write all or nothing: neither the message nor the new leaf when the conversation fails', async () => {
    const repository = await open();
    await linear(repository);
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'conversations') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    await expect(repository.putMessage(message('a2b', 'c', 50, { parentId: 'u2' }))).rejects.toMatchObject({
      kind: 'quota',
    });
    vi.restoreAllMocks();
    expect(await repository.getMessage('a2b')).toBeUndefined();
    expect(await shown(repository, 'c')).toEqual(['u1 1/1', 'a1 1/1', 'u2 1/1', 'a2 1/1']);
  });
});
