import { describe, expect, test } from 'vitest';
import { PendingCalls } from '../../../src/messaging/pending-calls.js';

/** A call that records how it ended. */
function recordingTable() {
  const ended: [string, Error][] = [];
  const calls = new PendingCalls<string>((call, error) => ended.push([call, error]));
  return { calls, ended };
}

describe('PendingCalls', () => {
  test('gives each call its own id and finds it by that id, until its end is taken', () => {
    const { calls } = recordingTable();

    const first = calls.add('reload');
    const second = calls.add('chat');

    expect(first).not.toBe(second);
    expect(calls.get(second)).toBe('chat');
    expect(calls.take(first)).toBe('reload');
    expect(calls.get(first)).toBeUndefined();
    expect(calls.take(first)).toBeUndefined();
    expect(calls.get(second)).toBe('chat');
  });

  test('an id it is not waiting on (never sent, already ended, or missing) finds nothing and fails nothing', () => {
    const { calls, ended } = recordingTable();
    const id = calls.add('chat');

    calls.fail(999, new Error('stray'));
    calls.fail(undefined, new Error('no id'));
    expect(calls.take(undefined)).toBeUndefined();

    expect(ended).toEqual([]);
    expect(calls.get(id)).toBe('chat');
  });

  test('fail ends one call with its error, once', () => {
    const { calls, ended } = recordingTable();
    const id = calls.add('chat');
    const error = new Error('DeviceLostError');

    calls.fail(id, error);
    calls.fail(id, new Error('again'));

    expect(ended).toEqual([['chat', error]]);
  });

  test('a worker that dies fails every call waiting; a new worker can carry the next ones', () => {
    const { calls, ended } = recordingTable();
    calls.add('first');
    calls.add('second');
    const died = new TypeError('The network worker stopped: it crashed');

    calls.failAll(died);
    const next = calls.add('third');

    expect(ended).toEqual([
      ['first', died],
      ['second', died],
    ]);
    expect(calls.get(next)).toBe('third');
  });

  test('once closed, every call waiting and every later one fails with the first reason', () => {
    const { calls, ended } = recordingTable();
    calls.add('waiting');
    const workerStopped = new Error('The model worker stopped: its script failed to load');

    calls.close(workerStopped);
    calls.close(new Error('ended again'));
    const later = calls.add('later');

    expect(later).toBeUndefined();
    expect(ended).toEqual([
      ['waiting', workerStopped],
      ['later', workerStopped],
    ]);
  });
});
