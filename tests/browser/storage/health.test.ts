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
    // Chromium breaks usage down, so the database's own share can be shown.
    expect(usage.indexedDbBytes).not.toBeNull();
    expect(usage.modelsBytes).toBe(0);
    expect(usage.persisted).toBe(await navigator.storage.persisted());
  });

  it('"Downloaded models" counts WebLLM’s caches only, not the service worker’s copy of the app', async () => {
    const repository = await openChatRepository({ name: newDatabaseName() });
    opened.push(repository);
    const precache = await caches.open('workbox-precache-v2-http://localhost/');
    await precache.put('/assets/app.js', new Response(new Uint8Array(2 * 1024 * 1024)));
    try {
      expect((await estimateUsage(repository)).modelsBytes).toBe(0);

      const shard = new Uint8Array(3000);
      await (
        await caches.open('webllm/model')
      ).put(
        'https://huggingface.co/mlc-ai/Fake-MLC/resolve/main/params_shard_0.bin',
        new Response(shard, { headers: { 'content-length': String(shard.byteLength) } }),
      );
      // A response without Content-Length is measured by its body.
      await (
        await caches.open('webllm/config')
      ).put(
        'https://huggingface.co/mlc-ai/Fake-MLC/resolve/main/mlc-chat-config.json',
        new Response(new Blob(['{"ok":true}'])),
      );
      expect((await estimateUsage(repository)).modelsBytes).toBe(3000 + '{"ok":true}'.length);
    } finally {
      await Promise.all(
        ['workbox-precache-v2-http://localhost/', 'webllm/model', 'webllm/config'].map((name) => caches.delete(name)),
      );
    }
  });

  it('asks for persistent storage and reports what the browser decided', async () => {
    const granted = await requestPersistentStorage();
    expect(granted).toBe(await navigator.storage.persisted());
  });
});
