import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackup, parseBackup } from '../../../src/storage/backup.js';
import { STORAGE_MESSAGES } from '../../../src/storage/errors.js';
import { SEARCH_INDEX_BUILT_MEASURE } from '../../../src/storage/idb-search.js';
import type { Range } from '../../../src/storage/search-text.js';
import type { ChatRepository, SearchResult, StorageChange } from '../../../src/storage/types.js';
import { conversation, message, useTestRepositories } from './harness.js';

const { newDatabaseName, open } = useTestRepositories();

function highlighted(snippet: string, ranges: readonly Range[]): string[] {
  return ranges.map(([start, end]) => snippet.slice(start, end));
}

/** What a results list shows: conversation, then each match's highlighted words. */
function summary(results: readonly SearchResult[]): [string, (string | undefined)[], string[][]][] {
  return results.map((result) => [
    result.conversationId,
    result.matches.map((match) => match.messageId),
    result.matches.map((match) => highlighted(match.snippet, match.ranges)),
  ]);
}

async function library(repository: ChatRepository): Promise<void> {
  await repository.putConversation(conversation('paris', 100, 'Week-end à Paris'));
  await repository.putMessage(message('p1', 'paris', 110, { content: 'Où manger une CRÈME brûlée ?' }));
  await repository.putMessage(
    message('p2', 'paris', 120, { role: 'assistant', content: 'Essayez la crème brûlée du Café de Flore.' }),
  );
  // An alternative reply, on a branch that is not shown: still searched.
  await repository.putMessage(
    message('p2b', 'paris', 130, { role: 'assistant', parentId: 'p1', content: 'Une creme brulee ? Au Procope.' }),
  );
  await repository.putConversation(conversation('code', 200, 'Python'));
  await repository.putMessage(message('c1', 'code', 210, { content: 'How do I read a CSV file in Python?' }));
}

/** Where the last index was filled: in its worker, or on the page. */
function lastIndexInWorker(): boolean | undefined {
  const measure = performance.getEntriesByName(SEARCH_INDEX_BUILT_MEASURE).at(-1) as PerformanceMeasure | undefined;
  return (measure?.detail as { inWorker?: boolean } | undefined)?.inWorker;
}

afterEach(() => {
  vi.unstubAllGlobals();
  performance.clearMeasures(SEARCH_INDEX_BUILT_MEASURE);
});

// Every behaviour holds with the index in its worker and, where a browser has no workers, on the page.
describe.each([
  { where: 'in a worker', inWorker: true },
  { where: 'on the page', inWorker: false },
])('searchConversations, the index $where', ({ inWorker }) => {
  beforeEach(() => {
    if (!inWorker) vi.stubGlobal('Worker', undefined);
  });

  it('fills the index where it should', async () => {
    const repository = await open();
    await library(repository);
    await repository.prepareSearch();
    expect(lastIndexInWorker()).toBe(inWorker);
  });

  it('finds words in titles and every message, whatever their case and accents, and highlights them', async () => {
    const repository = await open();
    await library(repository);

    expect(summary(await repository.searchConversations('creme brulee'))).toEqual([
      [
        'paris',
        ['p1', 'p2', 'p2b'],
        [
          ['CRÈME', 'brûlée'],
          ['crème', 'brûlée'],
          ['creme', 'brulee'],
        ],
      ],
    ]);
    expect(summary(await repository.searchConversations('PARIS'))).toEqual([['paris', [undefined], [['Paris']]]]);
    expect(summary(await repository.searchConversations('cafe'))).toEqual([['paris', ['p2'], [['Café']]]]);
    expect(await repository.searchConversations('tokyo')).toEqual([]);
  });

  it('puts title matches first, then the most recently updated', async () => {
    const repository = await open();
    await library(repository);
    await repository.putMessage(message('c2', 'code', 220, { content: 'Is there a Python meetup in Paris?' }));
    expect((await repository.searchConversations('paris')).map((r) => r.conversationId)).toEqual(['paris', 'code']);
    expect((await repository.searchConversations('python')).map((r) => r.conversationId)).toEqual(['code']);
  });

  it('keeps up with every change made after the first search', async () => {
    const repository = await open();
    await library(repository);
    await repository.prepareSearch();

    await repository.putMessage(
      message('c2', 'code', 220, { role: 'assistant', content: 'Use pandas', status: 'streaming' }),
    );
    await repository.putMessage(
      message('c2', 'code', 220, { role: 'assistant', content: 'Use pandas.read_csv', updatedAt: 230 }),
    );
    expect(summary(await repository.searchConversations('read_csv'))).toEqual([['code', ['c2'], [['read_csv']]]]);

    await repository.renameConversation('code', 'Pandas questions');
    expect((await repository.searchConversations('pandas'))[0]?.matches[0]?.snippet).toBe('Pandas questions');

    await repository.deleteMessage('c2');
    expect(await repository.searchConversations('read_csv')).toEqual([]);

    await repository.deleteMessages('code');
    expect(await repository.searchConversations('csv')).toEqual([]);

    await repository.deleteConversation('paris');
    expect(await repository.searchConversations('brulee')).toEqual([]);

    const backup = parseBackup(
      JSON.stringify(
        createBackup({
          conversations: [conversation('imported', 500, 'Imported')],
          messages: [message('i1', 'imported', 510, { parentId: null, content: 'Zucchini bread' })],
        }),
      ),
    );
    if (!backup.ok) throw new Error(backup.message);
    await repository.importBackup(backup.data);
    expect((await repository.searchConversations('zucchini')).map((r) => r.conversationId)).toEqual(['imported']);
  });

  it('finds a message written while the index was being filled', async () => {
    const repository = await open();
    await library(repository);
    const preparing = repository.prepareSearch();
    const writing = repository.putMessage(message('c2', 'code', 220, { content: 'Written during the build: Quokka' }));
    await Promise.all([preparing, writing]);
    expect((await repository.searchConversations('quokka')).map((r) => r.conversationId)).toEqual(['code']);
  });

  it("finds what another tab wrote after this tab's first search", async () => {
    const name = newDatabaseName();
    const thisTab = await open(name);
    const otherTab = await open(name);
    await library(thisTab);
    await thisTab.prepareSearch();

    const heard = new Promise<StorageChange>((resolve) => thisTab.subscribe(resolve));
    await otherTab.putMessage(message('o1', 'code', 300, { content: 'Written in another tab: Axolotl' }));
    await heard;
    expect(summary(await thisTab.searchConversations('axolotl'))).toEqual([['code', ['o1'], [['Axolotl']]]]);
  });

  it('limits how many conversations and matches come back, and counts them all', async () => {
    const repository = await open();
    for (let i = 0; i < 5; i++) {
      await repository.putConversation(conversation(`c${i}`, i));
      for (let j = 0; j < 4; j++)
        await repository.putMessage(message(`c${i}-${j}`, `c${i}`, i * 10 + j, { content: 'echo' }));
    }
    const results = await repository.searchConversations('echo', { limit: 2, matchesPerConversation: 1 });
    expect(results.map((r) => [r.conversationId, r.matches.length, r.matchCount])).toEqual([
      ['c4', 1, 4],
      ['c3', 1, 4],
    ]);
  });

  it('keeps a long message to a one-line snippet around the match', async () => {
    const repository = await open();
    await repository.putConversation(conversation('c', 1));
    const long = `${'lorem ipsum '.repeat(100)}\n\nThe answer is Forty-two.\n\n${'dolor sit '.repeat(100)}`;
    await repository.putMessage(message('m', 'c', 2, { content: long }));
    const [match] = (await repository.searchConversations('forty'))[0]!.matches;
    expect(match!.snippet.length).toBeLessThan(170);
    expect(match!.snippet).not.toContain('\n');
    expect(highlighted(match!.snippet, match!.ranges)).toEqual(['Forty']);
  });
});

/** A worker whose script fails as soon as it is asked anything: blocked by a policy, or crashed. */
class FailingWorker extends EventTarget {
  static made = 0;
  constructor() {
    super();
    FailingWorker.made++;
  }
  postMessage(message: { type: string }): void {
    if (message.type === 'open') return;
    setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'Refused to load the script' })));
  }
  terminate(): void {}
}

describe('searchConversations when the worker fails', () => {
  it('answers from an index on the page, then keeps it there', async () => {
    FailingWorker.made = 0;
    vi.stubGlobal('Worker', FailingWorker);
    const repository = await open();
    await library(repository);

    expect(summary(await repository.searchConversations('cafe'))).toEqual([['paris', ['p2'], [['Café']]]]);
    expect(lastIndexInWorker()).toBe(false);
    await repository.putMessage(message('c2', 'code', 220, { content: 'Written after the worker failed: Quokka' }));
    expect((await repository.searchConversations('quokka')).map((r) => r.conversationId)).toEqual(['code']);
    expect(FailingWorker.made).toBe(1);
  });

  it("reports what the worker's database threw as a storage error, with the message for the user", async () => {
    /** A worker whose database is full: every request fails as IndexedDB would report it. */
    class FullDiskWorker extends EventTarget {
      postMessage(message: { type: string; id?: number }): void {
        if (message.id === undefined) return;
        const error = { name: 'QuotaExceededError', message: 'The quota has been exceeded.' };
        const data = { type: 'error', id: message.id, error };
        setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data })));
      }
      terminate(): void {}
    }
    vi.stubGlobal('Worker', FullDiskWorker);
    const repository = await open();
    await expect(repository.searchConversations('cafe')).rejects.toMatchObject({
      name: 'StorageError',
      kind: 'quota',
      userMessage: STORAGE_MESSAGES.quota,
    });
  });
});
