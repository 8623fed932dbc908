import { describe, expect, it } from 'vitest';
import {
  serveRpc,
  WorkerRpc,
  WorkerStoppedError,
  type CallContext,
  type RpcResponse,
} from '../../../src/documents/worker-rpc.js';
import type { MessageEndpoint } from '../../../src/messaging/endpoint.js';

/** A worker and its global scope as two ends of a MessageChannel, so both sides run in this test. */
function fakeWorker<Call, Result, Progress>(
  handle: (call: Call, context: CallContext<Progress>) => Promise<Result> | Result,
): { worker: Worker; terminated: () => boolean } {
  const channel = new MessageChannel();
  const scope = channel.port2 as unknown as MessageEndpoint<RpcResponse<Result, Progress>>;
  serveRpc(scope, handle);
  channel.port1.start();
  channel.port2.start();
  let terminated = false;
  const worker = Object.assign(channel.port1, {
    terminate: () => {
      terminated = true;
      channel.port1.close();
    },
  }) as unknown as Worker;
  return { worker, terminated: () => terminated };
}

describe('WorkerRpc and serveRpc', () => {
  it('starts the worker on the first call only, and answers each call by its id', async () => {
    let started = 0;
    const rpc = new WorkerRpc<number, number>(() => {
      started += 1;
      return fakeWorker<number, number, never>(async (value) => value * 2).worker;
    });
    expect(started).toBe(0);
    await expect(Promise.all([rpc.call(1), rpc.call(2), rpc.call(3)])).resolves.toEqual([2, 4, 6]);
    expect(started).toBe(1);
    rpc.terminate();
  });

  it('passes progress on before the result', async () => {
    const rpc = new WorkerRpc<number, string, number>(
      () =>
        fakeWorker<number, string, number>(async (count, { progress }) => {
          for (let step = 1; step <= count; step += 1) progress(step);
          return 'done';
        }).worker,
    );
    const steps: number[] = [];
    await expect(rpc.call(3, { onProgress: (step) => steps.push(step) })).resolves.toBe('done');
    expect(steps).toEqual([1, 2, 3]);
    rpc.terminate();
  });

  it('rejects with what the handler threw, its name and message across the shared codec', async () => {
    const rpc = new WorkerRpc<null, null>(
      () =>
        fakeWorker<null, null, never>(() => {
          throw new RangeError('no room');
        }).worker,
    );
    const rejected = await rpc.call(null).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(Error);
    expect(String(rejected)).toBe('RangeError: no room');
    rpc.terminate();
  });

  it('rejects the calls a failed worker carried with a WorkerStoppedError, and starts a new one for the next', async () => {
    const workers: Worker[] = [];
    const rpc = new WorkerRpc<number, number>(() => {
      const { worker } = fakeWorker<number, number, never>((value) =>
        value < 0 ? new Promise<number>(() => {}) : value,
      );
      workers.push(worker);
      return worker;
    });
    const carried = rpc.call(-1);
    const failure = Object.assign(new Event('error', { cancelable: true }), { message: 'Uncaught SyntaxError' });
    workers[0]!.dispatchEvent(failure);
    await expect(carried).rejects.toEqual(new WorkerStoppedError('The worker stopped: Uncaught SyntaxError'));
    // Handled here, so the page does not report it again as its own uncaught error.
    expect(failure.defaultPrevented).toBe(true);
    await expect(rpc.call(2)).resolves.toBe(2);
    expect(workers).toHaveLength(2);
    rpc.terminate();
  });

  it('cancels in the worker when the signal aborts, and rejects with its reason', async () => {
    let workerSawAbort: Promise<boolean> = Promise.resolve(false);
    const rpc = new WorkerRpc<null, string>(
      () =>
        fakeWorker<null, string, never>((_call, { signal }) => {
          workerSawAbort = new Promise((resolve) => signal.addEventListener('abort', () => resolve(true)));
          return new Promise<string>(() => {});
        }).worker,
    );
    const controller = new AbortController();
    const call = rpc.call(null, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await expect(workerSawAbort).resolves.toBe(true);
    rpc.terminate();
  });

  it('rejects calls in flight when stopped, and starts a new worker for the next', async () => {
    const workers: { terminated: () => boolean }[] = [];
    const rpc = new WorkerRpc<null, string>(() => {
      const fake = fakeWorker<null, string, never>(() => new Promise<string>(() => {}));
      workers.push(fake);
      return fake.worker;
    });
    const call = rpc.call(null);
    rpc.terminate();
    await expect(call).rejects.toBeInstanceOf(WorkerStoppedError);
    expect(workers[0]!.terminated()).toBe(true);
    void rpc.call(null).catch(() => {});
    expect(workers).toHaveLength(2);
    rpc.terminate();
  });
});
