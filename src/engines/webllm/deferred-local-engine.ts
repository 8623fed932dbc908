import type { ChatChunk, ChatRequest, EngineError } from '../types.js';
import { localEngineError } from './errors.js';
import type { LocalEngine, LoadOptions } from './local-engine.js';
import type { LocalEngineLike } from './local-model-deps.js';

/**
 * The local engine, its code (worker client, context fitting, progress parsing) loaded with the first model load
 * rather than with the first screen. Until then no model is loaded, which is all the service asks of it before.
 */
export class DeferredLocalEngine implements LocalEngineLike {
  readonly kind = 'local' as const;
  #engine: LocalEngine | undefined;
  #loadingCode: Promise<LocalEngine> | undefined;

  get model(): string {
    return this.#engine?.model ?? '';
  }

  get isLoaded(): boolean {
    return this.#engine?.isLoaded ?? false;
  }

  async load(modelId: string, options?: LoadOptions): Promise<void> {
    const engine = await (this.#loadingCode ??= import('./local-engine.js').then(
      ({ LocalEngine }) => (this.#engine = new LocalEngine()),
      (error: unknown) => {
        // Offline before the chunk was cached, say: the next load tries again.
        this.#loadingCode = undefined;
        throw error;
      },
    ));
    await engine.load(modelId, options);
  }

  async unload(reason?: EngineError): Promise<void> {
    await this.#engine?.unload(reason);
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    if (!this.#engine) throw localEngineError('model-not-loaded');
    yield* this.#engine.chat(request, signal);
  }
}
