import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import type { MessageEndpoint } from '../../../src/messaging/endpoint.js';
import { UNREADABLE_ERROR_MESSAGE } from '../../../src/messaging/error-codec.js';
import { WorkerEngineClient } from '../../../src/engines/webllm/worker-client.js';
import { serveEngine, type WorkerRequest, type WorkerResponse } from '../../../src/engines/webllm/worker-protocol.js';
import { WORKER_ERROR_NAME } from '../../../src/engines/webllm/errors.js';
import { deltaChunk } from './fixtures.js';
import { FakeWebLlmEngine } from './fake-webllm.js';

/** A worker the test plays by hand: it sees what the client sent and says whatever the test makes it say. */
function handPlayedWorker() {
  const sent: WorkerRequest[] = [];
  const listeners: ((event: MessageEvent) => void)[] = [];
  const endpoint: MessageEndpoint<WorkerRequest> = {
    postMessage: (request) => sent.push(request),
    addEventListener: (_type, listener) => listeners.push(listener),
  };
  const say = (data: unknown): void => listeners.forEach((listener) => listener({ data } as MessageEvent));
  return { client: new WorkerEngineClient(endpoint), sent, say };
}

const settled = (promise: Promise<unknown>): Promise<string> =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 20)),
  ]);

function workerStopped(): Error {
  const error = new Error('The model worker stopped: a message could not be read');
  error.name = WORKER_ERROR_NAME;
  return error;
}

describe('the page’s side of the model worker, against a worker that misbehaves', () => {
  test('answers for ids it never sent, and messages that are not ours, change nothing', async () => {
    const { client, sent, say } = handPlayedWorker();
    const loading = client.reload('Mistral-7B');
    const { id } = sent[0]!;

    say({ id: id + 100, type: 'done' });
    say({ id: id + 100, type: 'error', error: { name: 'DeviceLostError', message: 'lost' } });
    say({ id: String(id), type: 'done' });
    say({ type: 42, id });
    say(null);
    say('done');
    say({ id, type: 'something-new' });

    expect(await settled(loading)).toBe('pending');
    say({ id, type: 'done' });
    expect(await settled(loading)).toBe('resolved');
  });

  test('an error whose payload is malformed still fails the call, with a message that says so', async () => {
    const { client, sent, say } = handPlayedWorker();
    const loading = client.reload('Mistral-7B');

    say({ id: sent[0]!.id, type: 'error', error: 'DeviceLostError' });

    await expect(loading).rejects.toThrow(UNREADABLE_ERROR_MESSAGE);
  });

  test('a worker that dies mid-reply ends the reply and every waiting call with the reason, and refuses later ones', async () => {
    const { client, sent, say } = handPlayedWorker();
    const stream = await client.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const loading = client.reload('Mistral-7B');
    say({ id: sent[0]!.id, type: 'chunks', chunks: [deltaChunk('Hel')] });
    const reason = workerStopped();

    client.close(reason);

    const read: ChatCompletionChunk[] = [];
    const outcome = (async () => {
      for await (const chunk of stream) read.push(chunk);
    })();
    await expect(outcome).rejects.toBe(reason);
    expect(read.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['Hel']);
    await expect(loading).rejects.toBe(reason);
    await expect(client.unload()).rejects.toBe(reason);
    expect(sent.map((request) => request.type)).toEqual(['chat', 'reload']);
  });
});

describe('the worker’s side, sent messages that are not requests', () => {
  test('ignores them, and still answers the next real request', async () => {
    const engine = new FakeWebLlmEngine({ outcome: 'ok' });
    const posted: WorkerResponse[] = [];
    const listeners: ((event: MessageEvent) => void)[] = [];
    serveEngine(engine, {
      postMessage: (response) => posted.push(response),
      addEventListener: (_type, listener) => listeners.push(listener),
    });
    const send = (data: unknown): void => listeners.forEach((listener) => listener({ data } as MessageEvent));

    send({ type: 'reload', modelId: 'no-id' });
    send({ id: 'one', type: 'unload' });
    send(undefined);
    send({ id: 3, type: 'format-disk' });
    send({ id: 4, type: 'reload', modelId: 'Mistral-7B' });

    await expect.poll(() => posted).toEqual([{ id: 4, type: 'done' }]);
    expect(engine.reloads).toEqual(['Mistral-7B']);
    expect(engine.unloadCalls).toBe(0);
  });
});
