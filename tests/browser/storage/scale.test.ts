import { afterEach, describe, expect, it } from 'vitest';
import { visiblePath } from '../../../src/domain/branches.js';
import { openChatRepository } from '../../../src/storage/idb-repository.js';
import type { ChatRepository } from '../../../src/storage/types.js';
import { useTestDatabases } from './harness.js';
import { LARGE_DATABASE, seedLargeDatabase } from './seed.js';

const newDatabaseName = useTestDatabases();
const opened: ChatRepository[] = [];

afterEach(() => {
  for (const repository of opened.splice(0)) repository.close();
});

async function timed<T>(times: [string, number][], label: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const result = await work();
  times.push([label, performance.now() - start]);
  return result;
}

// Informational: the times are printed for the reader and the bench, never asserted (machines are noisy).
describe('at the scale of the bench: 1,000 conversations of 100 messages and one of 5,000', () => {
  it('lists, opens, searches and measures everything, and logs how long each took', async () => {
    const times: [string, number][] = [];
    const name = newDatabaseName();
    const seeded = await timed(times, `seed ${LARGE_DATABASE.conversations * 100 + 5_000} messages`, () =>
      seedLargeDatabase(name, LARGE_DATABASE),
    );
    const repository = await timed(times, 'open the database', () => openChatRepository({ name }));
    opened.push(repository);

    const list = await timed(times, 'list 1,001 conversations', () => repository.listConversations());
    expect(list).toHaveLength(1_001);
    expect(list[0]?.id).toBe(seeded.longConversationId);

    const longId = seeded.longConversationId!;
    const long = await timed(times, 'read the 5,000-message conversation', () => repository.listMessages(longId));
    const path = await timed(times, 'its visible path', () => visiblePath(long, list[0]?.activeLeafId));
    expect(path).toHaveLength(5_000);

    await timed(times, 'build the search index (first search only)', () => repository.prepareSearch());
    const rare = await timed(times, `search "${seeded.rareWord.toLowerCase()}" (100 hits)`, () =>
      repository.searchConversations(seeded.rareWord.toLowerCase(), { limit: 200 }),
    );
    expect(rare).toHaveLength(seeded.rareWordConversations);
    expect(rare[0]?.matches[0]?.snippet).toContain(seeded.rareWord);

    const accented = await timed(times, 'search "patisserie" (accent-insensitive)', () =>
      repository.searchConversations('PATISSERIE'),
    );
    expect(accented).toHaveLength(seeded.accentedWordConversations);

    const common = await timed(times, 'search "water" (common word, 50 of many)', () =>
      repository.searchConversations('water'),
    );
    expect(common).toHaveLength(50);
    await timed(times, 'search "grow study" (two words)', () => repository.searchConversations('grow study'));
    const none = await timed(times, 'search "xylophone" (no match)', () => repository.searchConversations('xylophone'));
    expect(none).toEqual([]);

    await repository.putMessage({
      id: 'late',
      conversationId: longId,
      role: 'user',
      content: 'A xylophone at last',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      status: 'complete',
    });
    const afterWrite = await timed(times, 'search "xylophone" after writing it', () =>
      repository.searchConversations('xylophone'),
    );
    expect(afterWrite.map((result) => result.conversationId)).toEqual([longId]);

    const size = await timed(times, 'measure the conversations', () => repository.measureConversations());
    expect(size.messages).toBe(seeded.messageCount + 1);

    const table = times.map(([label, ms]) => `  ${ms.toFixed(1).padStart(9)} ms  ${label}`).join('\n');
    // eslint-disable-next-line no-console -- the point of this test is to show these numbers
    console.info(`Storage at scale (${(size.approximateBytes / 1e6).toFixed(1)} MB of text):\n${table}`);
  }, 120_000);
});
