import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { EngineHandle, WebLlmEngineLike } from '../../../src/engines/webllm/local-engine.js';
import { deltaChunk, finalChunk, usageChunk } from './fixtures.js';

/** How one `reload()` behaves: progress reports, then success, a worker error string, or waiting forever. */
export interface ReloadScript {
  progress?: InitProgressReport[];
  outcome: 'ok' | 'hang' | { error: string };
}

/** How one `chat.completions.create()` stream behaves. */
export interface ReplyScript {
  tokens: string[];
  /** Prompt tokens reported in the usage chunk. */
  promptTokens?: number;
  /** Stream never produces the next token until interrupted (a slow GPU). */
  stallAfter?: number;
  /** Throw this worker error string instead of the token with this index. */
  errorAt?: { index: number; error: string };
}

/**
 * A WebWorkerMLCEngine stand-in that replays WebLLM's real shapes: progress through the init callback, errors as
 * "Name: message" strings, and chunks built like `makeStreamDeltaChunk` / `makeStreamFinalChunk` /
 * `makeStreamUsageChunk`. Like WebLLM, a stream resets the interrupt flag when it starts generating, and an
 * interrupted stream ends with finish_reason "abort" and a usage chunk.
 */
export class FakeWebLlmEngine implements WebLlmEngineLike {
  readonly reloads: string[] = [];
  readonly requests: ChatCompletionRequestStreaming[] = [];
  interruptCalls = 0;
  unloadCalls = 0;
  /** Streams read to their end (WebLLM releases the model lock only then). */
  streamsFinished = 0;
  private interrupted = false;
  private progressCallback: ((report: InitProgressReport) => void) | undefined;
  private wakeStalled: (() => void) | undefined;

  constructor(
    private readonly reloadScript: ReloadScript,
    private readonly replies: ReplyScript[] = [],
  ) {}

  setInitProgressCallback(callback: (report: InitProgressReport) => void): void {
    this.progressCallback = callback;
  }

  async reload(modelId: string): Promise<void> {
    this.reloads.push(modelId);
    for (const report of this.reloadScript.progress ?? []) {
      await Promise.resolve();
      this.progressCallback?.(report);
    }
    const { outcome } = this.reloadScript;
    if (outcome === 'hang') return new Promise<void>(() => undefined);
    if (outcome !== 'ok') return Promise.reject(outcome.error);
  }

  async unload(): Promise<void> {
    this.unloadCalls += 1;
  }

  interruptGenerate(): void {
    this.interruptCalls += 1;
    this.interrupted = true;
    this.wakeStalled?.();
  }

  readonly chat = {
    completions: {
      create: async (request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> => {
        this.requests.push(request);
        const script = this.replies.shift() ?? { tokens: [] };
        return this.stream(script);
      },
    },
  };

  private async *stream(script: ReplyScript): AsyncGenerator<ChatCompletionChunk> {
    // WebLLM awaits the model lock (a round trip to the worker here), then clears the interrupt flag: an interrupt
    // sent before that is lost.
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.interrupted = false;
    let emitted = 0;
    let reason: 'stop' | 'abort' = 'stop';
    for (const [index, token] of script.tokens.entries()) {
      if (this.interrupted) {
        reason = 'abort';
        break;
      }
      if (script.stallAfter !== undefined && index >= script.stallAfter) {
        await new Promise<void>((resolve) => {
          this.wakeStalled = resolve;
          if (this.interrupted) resolve();
        });
        reason = 'abort';
        break;
      }
      if (script.errorAt?.index === index) throw script.errorAt.error;
      await Promise.resolve();
      emitted += 1;
      yield deltaChunk(token);
    }
    yield finalChunk(reason);
    yield usageChunk(script.promptTokens ?? 42, emitted);
    this.streamsFinished += 1;
  }
}

export interface FakeFactory {
  create: () => Promise<EngineHandle>;
  engines: FakeWebLlmEngine[];
  terminated: number[];
  failWorker: (index: number, error: Error) => void;
}

/** Hands out one scripted engine per worker, as LocalEngine starts a fresh worker for every load attempt. */
export function fakeFactory(...engines: FakeWebLlmEngine[]): FakeFactory {
  const created: FakeWebLlmEngine[] = [];
  const terminated: number[] = [];
  const failures: ((error: Error) => void)[] = [];
  return {
    engines: created,
    terminated,
    failWorker: (index, error) => failures[index]?.(error),
    create: async () => {
      const engine = engines[created.length];
      if (!engine) throw new Error('No more scripted engines');
      const index = created.length;
      created.push(engine);
      const failed = new Promise<never>((_, reject) => {
        failures[index] = reject;
      });
      failed.catch(() => undefined);
      return { engine, failed, terminate: () => terminated.push(index) };
    },
  };
}
