import { describe, expect, test, vi } from 'vitest';
import {
  onMessage,
  onRequest,
  onWorkerFailure,
  replyWhenDone,
  watchWorker,
  type ErrorReply,
  type MessageSource,
} from '../../../src/messaging/endpoint.js';

/** A source whose messages the test delivers by hand, as a worker's would arrive. */
function scriptedSource() {
  const listeners: ((event: MessageEvent) => void)[] = [];
  const source: MessageSource = { addEventListener: (_type, listener) => listeners.push(listener) };
  const deliver = (data: unknown): void => listeners.forEach((listener) => listener({ data } as MessageEvent));
  return { source, deliver };
}

const NOT_OURS: [string, unknown][] = [
  ['nothing', undefined],
  ['null', null],
  ['a string', 'done'],
  ['an object without a type', { id: 1 }],
  ['a type that is no string', { type: 3, id: 1 }],
  ['an id that is a string', { type: 'done', id: '1' }],
  ['an id that is no whole number', { type: 'done', id: 1.5 }],
];

describe('onMessage and onRequest', () => {
  test.each(NOT_OURS)('%s is not a message of ours and is dropped', (_label, data) => {
    const { source, deliver } = scriptedSource();
    const heard = vi.fn();
    onMessage(source, heard);
    onRequest(source, heard);

    deliver(data);

    expect(heard).not.toHaveBeenCalled();
  });

  test('a message with a type, with or without an id, is heard; a request only with one', () => {
    const { source, deliver } = scriptedSource();
    const messages: unknown[] = [];
    const requests: unknown[] = [];
    onMessage(source, (message) => messages.push(message));
    onRequest(source, (request) => requests.push(request));

    deliver({ type: 'ready' });
    deliver({ type: 'chunk', id: 2, chunk: {} });

    expect(messages).toEqual([{ type: 'ready' }, { type: 'chunk', id: 2, chunk: {} }]);
    expect(requests).toEqual([{ type: 'chunk', id: 2, chunk: {} }]);
  });
});

describe('replyWhenDone', () => {
  type Reply = { id: number; type: 'done'; results: string[] } | ErrorReply;

  test('posts the protocol’s own reply, made from what the task gave, once it has finished', async () => {
    const posted: Reply[] = [];

    await replyWhenDone<Reply, string[]>(
      (reply) => posted.push(reply),
      4,
      async () => ['café'],
      (results) => ({ id: 4, type: 'done', results }),
    );

    expect(posted).toEqual([{ id: 4, type: 'done', results: ['café'] }]);
  });

  test('posts one error reply, encoded, when the task throws', async () => {
    const posted: Reply[] = [];

    await replyWhenDone<Reply, string[]>(
      (reply) => posted.push(reply),
      5,
      () => Promise.reject(new TypeError('Failed to fetch')),
      (results) => ({ id: 5, type: 'done', results }),
    );

    expect(posted).toEqual([{ id: 5, type: 'error', error: { name: 'TypeError', message: 'Failed to fetch' } }]);
  });
});

describe('onWorkerFailure', () => {
  const failing = (event: Event) => {
    const worker = new EventTarget();
    const details: string[] = [];
    onWorkerFailure(worker as Worker, (detail) => details.push(detail));
    worker.dispatchEvent(event);
    return details;
  };

  test('says what the worker’s error says', () => {
    expect(failing(Object.assign(new Event('error'), { message: 'Uncaught SyntaxError' }))).toEqual([
      'Uncaught SyntaxError',
    ]);
  });

  test('an error without a message is a script that failed to load', () => {
    expect(failing(new Event('error'))).toEqual(['its script failed to load']);
  });

  test('a message that cannot be read is a failure too', () => {
    expect(failing(new Event('messageerror'))).toEqual(['a message could not be read']);
  });

  test('the error is handled there, so the page does not report it again as its own', () => {
    const event = new Event('error', { cancelable: true });
    failing(event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('watchWorker', () => {
  type FromWorker = { type: 'ready' } | { type: 'done'; id: number };

  /** A worker the test drives: it delivers what the test says and records being terminated. */
  function watched(startTimeoutMs = 1_000) {
    const target = new EventTarget();
    const worker = Object.assign(target, { terminate: vi.fn() }) as unknown as Worker & { terminate: () => void };
    const seen: string[] = [];
    const end = watchWorker<FromWorker>(worker, {
      startTimeoutMs,
      onReady: () => seen.push('ready'),
      onMessage: (message) => seen.push(`${message.type} ${message.id}`),
      onFailure: (detail) => seen.push(`failed: ${detail}`),
    });
    const deliver = (data: unknown) => target.dispatchEvent(new MessageEvent('message', { data }));
    return { worker, seen, end, deliver, fail: () => target.dispatchEvent(new Event('error')) };
  }

  test('says ready, then passes on every message of ours after it, and no start timeout follows', () => {
    vi.useFakeTimers();
    try {
      const { worker, seen, deliver } = watched();
      deliver({ type: 'ready' });
      deliver({ type: 'done', id: 1 });
      deliver('not ours');
      vi.advanceTimersByTime(5_000);

      expect(seen).toEqual(['ready', 'done 1']);
      expect(worker.terminate).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  test('a worker that does not say ready in time is ended and said to have failed, once', () => {
    vi.useFakeTimers();
    try {
      const { worker, seen, fail } = watched(1_000);
      vi.advanceTimersByTime(1_000);
      fail();

      expect(seen).toEqual(['failed: it did not start']);
      expect(worker.terminate).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a worker that fails after it started is ended and said to have failed', () => {
    const { worker, seen, deliver, fail } = watched();
    deliver({ type: 'ready' });
    fail();

    expect(seen).toEqual(['ready', 'failed: its script failed to load']);
    expect(worker.terminate).toHaveBeenCalledTimes(1);
  });

  test('ending it on purpose is no failure, and what comes after is not said', () => {
    vi.useFakeTimers();
    try {
      const { worker, seen, end, fail } = watched();
      end();
      fail();
      vi.advanceTimersByTime(5_000);

      expect(seen).toEqual([]);
      expect(worker.terminate).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
