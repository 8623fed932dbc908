/**
 * The dedicated worker that holds WebLLM's MLCEngine, so the 6.8 MB runtime, the model weights and every GPU
 * submission stay off the page's main thread. {@link LocalEngine} starts it on first use.
 */

import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();

// The global `addEventListener` is the worker's own here; typing it through the DOM lib keeps worker globals
// (DedicatedWorkerGlobalScope) out of the page's types, and both scopes deliver a MessageEvent.
addEventListener('message', (event: MessageEvent) => {
  handler.onmessage(event);
});
