import type { ChatEngine, ChatChunk, ChatRequest } from '../../../src/engines/types.js';
import type { EngineKind } from '../../../src/domain/generation.js';

export type Step = ChatChunk | { error: Error } | { waitForAbort: true } | { retry: true };

/**
 * A ChatEngine that replays a script of chunks, errors and pauses. `waitForAbort` parks the stream until the
 * caller aborts, the way a real connection stays open mid-reply.
 */
export class ScriptedEngine implements ChatEngine {
  readonly requests: ChatRequest[] = [];
  readonly signals: AbortSignal[] = [];

  constructor(
    private readonly script: Step[],
    readonly kind: EngineKind = 'hosted',
    readonly model = 'mistralai/Mistral-7B-Instruct-v0.3',
  ) {}

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    this.requests.push(request);
    this.signals.push(signal);
    for (const step of this.script) {
      await Promise.resolve();
      if ('error' in step) throw step.error;
      if ('retry' in step) {
        request.onRetry?.({ attempt: 1, maxAttempts: 3, delayMs: 2000, reason: 'Model is loading' });
        continue;
      }
      if ('waitForAbort' in step) {
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        return;
      }
      yield step;
    }
  }
}

/** A ChatEngine the test drives word by word: `say` sends text, `end` finishes; the stream waits in between. */
export class ControlledEngine implements ChatEngine {
  readonly kind: EngineKind = 'hosted';
  readonly model = 'mistralai/Mistral-7B-Instruct-v0.3';
  readonly requests: ChatRequest[] = [];
  readonly #queue: (ChatChunk | 'end')[] = [];
  #wake: (() => void) | null = null;

  say(delta: string): void {
    this.#queue.push({ delta });
    this.#wake?.();
  }

  end(): void {
    this.#queue.push('end');
    this.#wake?.();
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    this.requests.push(request);
    for (;;) {
      while (this.#queue.length === 0) {
        if (signal.aborted) return;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const next = this.#queue.shift()!;
      if (next === 'end') return;
      yield next;
    }
  }
}
