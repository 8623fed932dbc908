import { describe, expect, test, vi } from 'vitest';
import {
  onMessage,
  onRequest,
  onWorkerFailure,
  replyWhenDone,
  type ErrorReply,
  type MessageSource,
} from '../../../src/engines/messaging/endpoint.js';

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
  type Reply = { id: number; type: 'done' } | ErrorReply;

  test('posts the protocol’s own done once the task has finished', async () => {
    const posted: Reply[] = [];

    await replyWhenDone<Reply>(
      (reply) => posted.push(reply),
      4,
      async () => undefined,
      { id: 4, type: 'done' },
    );

    expect(posted).toEqual([{ id: 4, type: 'done' }]);
  });

  test('posts one error reply, encoded, when the task throws', async () => {
    const posted: Reply[] = [];

    await replyWhenDone<Reply>(
      (reply) => posted.push(reply),
      5,
      () => Promise.reject(new TypeError('Failed to fetch')),
      { id: 5, type: 'done' },
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
});
