import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import type { ChatRepository, StorageChange } from '../../../src/storage/types.js';
import { conversation, message, useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: ChatRepository[] = [];

async function open(name: string): Promise<ChatRepository> {
  const repository = await openChatRepository({ name });
  opened.push(repository);
  return repository;
}

afterEach(() => {
  for (const repository of opened.splice(0)) repository.close();
});

/** Two repositories on one database stand for two tabs of the app: each hears what the other stores. */
async function twoTabs(): Promise<{ thisTab: ChatRepository; otherTab: ChatRepository; heard: StorageChange[] }> {
  const name = newDatabaseName();
  const thisTab = await open(name);
  const otherTab = await open(name);
  const heard: StorageChange[] = [];
  thisTab.subscribe((change) => heard.push(change));
  return { thisTab, otherTab, heard };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('changes from other tabs', () => {
  it('hears which conversation and message another tab wrote, and can read just that', async () => {
    const { thisTab, otherTab, heard } = await twoTabs();
    await otherTab.putConversation(conversation('c', 1));
    await otherTab.putMessage(message('m1', 'c', 2, { content: 'Hello from the other tab' }));
    await until(() => heard.length === 2);

    expect(heard).toEqual([{ conversationIds: ['c'] }, { conversationIds: ['c'], messageIds: ['m1'] }]);
    expect(await thisTab.getMessage('m1')).toMatchObject({ content: 'Hello from the other tab' });
  });

  it('hears deletions, branch changes, imports and settings', async () => {
    const { otherTab, heard } = await twoTabs();
    await otherTab.putConversation(conversation('c', 1));
    await otherTab.putMessage(message('m1', 'c', 2));
    await otherTab.putMessage(message('m2', 'c', 3, { parentId: null }));
    await otherTab.setActiveLeaf('c', 'm1');
    await otherTab.deleteMessage('m2');
    await otherTab.updateSettings(DEFAULT_SETTINGS);
    await otherTab.deleteConversation('c');
    await until(() => heard.length === 7);

    expect(heard.slice(3)).toEqual([
      { conversationIds: ['c'] },
      { conversationIds: ['c'], messageIds: ['m2'] },
      { conversationIds: [], settings: true },
      { conversationIds: ['c'] },
    ]);
  });

  it("does not report a tab's own writes to itself, and stops after unsubscribing", async () => {
    const { thisTab, otherTab, heard } = await twoTabs();
    const otherHeard: StorageChange[] = [];
    const unsubscribe = otherTab.subscribe((change) => otherHeard.push(change));
    await thisTab.putConversation(conversation('mine', 1));
    await until(() => otherHeard.length === 1);
    unsubscribe();
    await thisTab.putConversation(conversation('mine', 2));
    await otherTab.putConversation(conversation('theirs', 3));
    await until(() => heard.length === 1);

    expect(heard).toEqual([{ conversationIds: ['theirs'] }]);
    expect(otherHeard).toEqual([{ conversationIds: ['mine'] }]);
  });
});
