/**
 * A worker engine while LocalEngine uses it: the promise that ends every wait on it when it goes away, and how it
 * is let go.
 */

import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import type { EngineError } from '../types.js';
import type { EngineHandle } from './local-engine.js';
import type { WebLlmEngineLike } from './worker-protocol.js';

export interface ActiveEngine {
  handle: EngineHandle;
  /** Rejects with {@link ENGINE_CLOSED} when we end the worker, or with the worker's error when it dies. */
  gone: Promise<never>;
  /**
   * Set before the engine is unloaded on purpose: a reply failing after that was cut off, not broken. An EngineError
   * says why it was cut off (another tab took the GPU); `true` ends the reply as stopped.
   */
  closing: EngineError | true | undefined;
  close(): void;
}

/** What `gone` rejects with when LocalEngine itself ends the worker. */
export const ENGINE_CLOSED = new Error('The local engine was closed');

export function activate(handle: EngineHandle): ActiveEngine {
  let reject = (_reason: unknown): void => undefined;
  const gone = new Promise<never>((_, rejectGone) => {
    reject = rejectGone;
    handle.failed?.catch(rejectGone);
  });
  gone.catch(() => undefined);
  let closed = false;
  return {
    handle,
    gone,
    closing: undefined,
    close: () => {
      if (closed) return;
      closed = true;
      reject(ENGINE_CLOSED);
      handle.terminate();
    },
  };
}

/**
 * Reads a stopped reply to its end. An interrupt that reaches WebLLM before its prefill starts is reset by it, so the
 * interrupt is repeated with every chunk until the stream ends.
 */
export async function drain(
  pending: Promise<IteratorResult<ChatCompletionChunk>>,
  pull: () => Promise<IteratorResult<ChatCompletionChunk>>,
  engine: WebLlmEngineLike,
  gone: Promise<never>,
): Promise<void> {
  try {
    let result = await Promise.race([pending, gone]);
    while (!result.done) {
      engine.interruptGenerate();
      result = await Promise.race([pull(), gone]);
    }
  } catch {
    // A failing or closed stream holds nothing more.
  }
}
