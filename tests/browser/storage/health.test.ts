import { afterEach, describe, expect, it } from 'vitest';
import { estimateUsage, requestPersistentStorage } from '../../../src/storage/health.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { conversation, message, useTestDatabases } from './harness.js';

const newDatabaseName = useTestDatabases();
const opened: ChatRepository[] = [];

afterEach(() => {
  for (const repository of opened.splice(0)) repository.close();
});

describe('storage health in Chromium', () => {
  it('measures the conversations and reads what the browser says about its storage', async () => {
    const repository = await openChatRepository({ name: newDatabaseName() });
    opened.push(repository);
    const empty = await estimateUsage(repository);
    expect(empty).toMatchObject({ conversationCount: 0, messageCount: 0, conversationsBytes: 0 });

    await repository.putConversation(conversation('c', 1));
    const longText = 'é'.repeat(50_000);
    await repository.putMessage(message('m', 'c', 2, { content: longText }));
    const usage = await estimateUsage(repository);

    expect(usage).toMatchObject({ conversationCount: 1, messageCount: 1 });
    // Two UTF-8 bytes per "é", plus the fields around it.
    expect(usage.conversationsBytes).toBeGreaterThan(100_000);
    expect(usage.conversationsBytes).toBeLessThan(101_000);
    expect(usage.quota).toBeGreaterThan(0);
    expect(usage.totalUsage).toBeGreaterThanOrEqual(0);
    // Chromium breaks usage down, so conversations and models can be shown apart.
    expect(usage.indexedDbBytes).not.toBeNull();
    expect(usage.modelsBytes).not.toBeNull();
    expect(usage.persisted).toBe(await navigator.storage.persisted());
  });

  it('asks for persistent storage and reports what the browser decided', async () => {
    const granted = await requestPersistentStorage();
    expect(granted).toBe(await navigator.storage.persisted());
  });
});
