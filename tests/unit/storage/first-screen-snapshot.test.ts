import { describe, expect, test } from 'vitest';
import type { ConversationRecord } from '../../../src/domain/records.js';
import {
  FirstScreenSnapshotWriter,
  readFirstScreenSnapshot,
  SNAPSHOT_ENTRIES,
  SNAPSHOT_KEY,
  SNAPSHOT_MAX_CHARS,
  SNAPSHOT_TITLE_CHARS,
} from '../../../src/storage/first-screen-snapshot.js';

class MemoryStore {
  readonly items = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function conversation(id: string, title = `Title ${id}`, updatedAt = 1_000): ConversationRecord {
  return { id, title, createdAt: 1, updatedAt, activeLeafId: 'leaf' };
}

describe('the first-screen snapshot', () => {
  test('round-trips the newest titles and the open conversation, and nothing else', () => {
    const store = new MemoryStore();
    new FirstScreenSnapshotWriter(store).update([conversation('a'), conversation('b', 'Plans', 2_000)], 'b');
    expect(readFirstScreenSnapshot(store)).toEqual({
      conversations: [
        { id: 'a', title: 'Title a', updatedAt: 1_000 },
        { id: 'b', title: 'Plans', updatedAt: 2_000 },
      ],
      openConversationId: 'b',
    });
    expect(store.items.get(SNAPSHOT_KEY)).not.toContain('leaf');
  });

  test('keeps only the first entries, cuts long titles, and forgets an open conversation it does not list', () => {
    const store = new MemoryStore();
    const many = Array.from({ length: SNAPSHOT_ENTRIES + 10 }, (_, i) => conversation(`c${i}`, 'x'.repeat(500)));
    new FirstScreenSnapshotWriter(store).update(many, `c${SNAPSHOT_ENTRIES + 5}`);
    const snapshot = readFirstScreenSnapshot(store);
    expect(snapshot?.conversations).toHaveLength(SNAPSHOT_ENTRIES);
    expect(snapshot?.conversations[0]?.title).toHaveLength(SNAPSHOT_TITLE_CHARS);
    expect(snapshot?.openConversationId).toBeNull();
  });

  test('writes only when what it would store changes', () => {
    const store = new MemoryStore();
    const writer = new FirstScreenSnapshotWriter(store);
    const list = [conversation('a')];
    writer.update(list, 'a');
    writer.update(list, 'a');
    writer.update([conversation('a')], 'a');
    expect(store.writes).toBe(1);
    writer.update([conversation('a', 'Renamed')], 'a');
    expect(store.writes).toBe(2);
    writer.clear();
    expect(readFirstScreenSnapshot(store)).toBeNull();
  });

  test.each([
    ['not JSON', '{"v":1,'],
    ['another version', JSON.stringify({ v: 2, conversations: [], open: null })],
    ['no list', JSON.stringify({ v: 1, open: null })],
    ['an entry without a title', JSON.stringify({ v: 1, conversations: [{ id: 'a', updatedAt: 1 }], open: null })],
    ['a title that is not text', JSON.stringify({ v: 1, conversations: [{ id: 'a', title: {}, updatedAt: 1 }] })],
    ['a bad date', JSON.stringify({ v: 1, conversations: [{ id: 'a', title: 't', updatedAt: 'now' }], open: null })],
    ['a duplicate id', JSON.stringify({ v: 1, conversations: [entry('a'), entry('a')], open: null })],
    ['an open id it does not list', JSON.stringify({ v: 1, conversations: [entry('a')], open: 'b' })],
    ['too many entries', JSON.stringify({ v: 1, conversations: many(SNAPSHOT_ENTRIES + 1), open: null })],
    ['an oversized value', `{"v":1,"conversations":[],"open":null,"pad":"${'x'.repeat(SNAPSHOT_MAX_CHARS)}"}`],
    ['a bare value', 'null'],
  ])('ignores a snapshot with %s', (_, stored) => {
    const store = new MemoryStore();
    store.items.set(SNAPSHOT_KEY, stored);
    expect(readFirstScreenSnapshot(store)).toBeNull();
  });

  test('storage that refuses access reads as no snapshot and is never written', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readFirstScreenSnapshot(refusing)).toBeNull();
    const writer = new FirstScreenSnapshotWriter(refusing);
    expect(() => writer.update([conversation('a')], null)).not.toThrow();
    expect(() => writer.clear()).not.toThrow();
    expect(readFirstScreenSnapshot(null)).toBeNull();
  });
});

function entry(id: string) {
  return { id, title: 't', updatedAt: 1 };
}

function many(count: number) {
  return Array.from({ length: count }, (_, i) => entry(`c${i}`));
}
