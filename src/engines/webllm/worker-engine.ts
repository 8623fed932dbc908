/**
 * The real engine handle: WebLLM's MLCEngine in a dedicated worker (worker.ts), reached through the worker client.
 * The worker, and WebLLM inside it, are fetched on the first load only.
 */

import { onWorkerFailure } from '../../messaging/endpoint.js';
import { WORKER_ERROR_NAME } from './errors.js';
import type { EngineHandle } from './local-engine.js';
import { WorkerEngineClient } from './worker-client.js';

/** The default factory of LocalEngine. */
export async function createWorkerEngine(): Promise<EngineHandle> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const engine = new WorkerEngineClient(worker);
  const failed = new Promise<never>((_, reject) => {
    onWorkerFailure(worker, (detail) => {
      const error = new Error(`The model worker stopped: ${detail}`);
      error.name = WORKER_ERROR_NAME;
      engine.close(error);
      reject(error);
    });
  });
  failed.catch(() => undefined);
  const terminate = (): void => {
    worker.terminate();
    engine.close(new DOMException('The model worker was ended.', 'AbortError'));
  };
  return { engine, failed, deviceLoss: () => engine.deviceLoss, terminate };
}
