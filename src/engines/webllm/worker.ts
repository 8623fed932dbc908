/**
 * The dedicated worker that holds WebLLM's MLCEngine: the only place the 6 MB package is loaded, so the runtime, the
 * model weights and every GPU submission stay off the page's main thread. {@link LocalEngine} starts it on first use
 * and speaks to it through worker-protocol.ts.
 */

import { MLCEngine, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { watchDeviceLoss } from './device-loss.js';
import { workerScope } from '../../messaging/endpoint.js';
import { serveEngine, type WorkerResponse } from './worker-protocol.js';

// Before WebLLM asks for a device: it is created on the first reload.
const devices = watchDeviceLoss(typeof GPUAdapter === 'undefined' ? undefined : GPUAdapter.prototype);

// The page tells which models are on disk by reading Cache Storage itself (model-cache.ts): pin WebLLM to the Cache
// API backend that it re-implements, whatever WebLLM's default becomes.
const engine = new MLCEngine({ appConfig: { ...prebuiltAppConfig, cacheBackend: 'cache' } });

serveEngine(engine, workerScope<WorkerResponse>(), devices);
