import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import type { DeviceLoss, DeviceLossSource } from '../../../src/engines/webllm/device-loss.js';
import type { EngineHandle, WebLlmEngineLike } from '../../../src/engines/webllm/local-engine.js';
import { WorkerEngineClient } from '../../../src/engines/webllm/worker-client.js';
import { serveEngine, type WorkerRequest, type WorkerResponse } from '../../../src/engines/webllm/worker-protocol.js';
import { fakeMessageChannel } from '../messaging/fake-channel.js';
import { deltaChunk, finalChunk, usageChunk } from './fixtures.js';

/**
 * What WebLLM throws: a "Name: message" string as WebLLM's own worker forwards errors, or an Error as MLCEngine
 * throws them inside our worker.
 */
export type WebLlmFailure = string | Error;

/** How one `reload()` behaves: progress reports, then success, an error, or waiting forever. */
export interface ReloadScript {
  progress?: InitProgressReport[];
  /** The GPU device is lost after the progress reports (tvmjs destroys it when an allocation fails). */
  loseDevice?: DeviceLoss;
  outcome: 'ok' | 'hang' | { error: WebLlmFailure };
}

/** How one `chat.completions.create()` stream behaves. */
export interface ReplyScript {
  tokens: string[];
  /** Prompt tokens reported in the usage chunk. */
  promptTokens?: number;
  /** Stream never produces the next token until interrupted (a slow GPU). */
  stallAfter?: number;
  /** Throw this error instead of the token with this index. */
  errorAt?: { index: number; error: WebLlmFailure };
  /** Lose the GPU device just before the error of `errorAt`. */
  loseDevice?: DeviceLoss;
  /** Ignore interrupts for this long after the stream starts, as WebLLM does during a prefill. */
  prefillMs?: number;
}

/**
 * A WebLLM engine stand-in (for the worker client in the page, or for MLCEngine in the worker) that replays WebLLM's
 * real shapes: progress through the init callback, errors as "Name: message" strings or named Errors, and chunks built like `makeStreamDeltaChunk` / `makeStreamFinalChunk` /
 * `makeStreamUsageChunk`. Like WebLLM, a stream resets the interrupt flag when it starts generating, and an
 * interrupted stream ends with finish_reason "abort" and a usage chunk.
 */
export class FakeWebLlmEngine implements WebLlmEngineLike, DeviceLossSource {
  readonly reloads: string[] = [];
  readonly requests: ChatCompletionRequestStreaming[] = [];
  interruptCalls = 0;
  unloadCalls = 0;
  /** Streams read to their end (WebLLM releases the model lock only then). */
  streamsFinished = 0;
  private interrupted = false;
  private progressCallback: ((report: InitProgressReport) => void) | undefined;
  private wakeStalled: (() => void) | undefined;
  private readonly lossListeners: ((loss: DeviceLoss) => void)[] = [];
  /** The device loss this engine went through, as the worker would have seen it. */
  lostDevice: DeviceLoss | undefined;

  constructor(
    private readonly reloadScript: ReloadScript,
    private readonly replies: ReplyScript[] = [],
  ) {}

  setInitProgressCallback(callback: (report: InitProgressReport) => void): void {
    this.progressCallback = callback;
  }

  onLost(listener: (loss: DeviceLoss) => void): void {
    this.lossListeners.push(listener);
  }

  loseDevice(loss: DeviceLoss): void {
    this.lostDevice = loss;
    for (const listener of this.lossListeners) listener(loss);
  }

  async reload(modelId: string): Promise<void> {
    this.reloads.push(modelId);
    for (const report of this.reloadScript.progress ?? []) {
      await Promise.resolve();
      this.progressCallback?.(report);
    }
    if (this.reloadScript.loseDevice) this.loseDevice(this.reloadScript.loseDevice);
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
    if (script.prefillMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, script.prefillMs));
      this.interrupted = false;
    }
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
      if (script.errorAt?.index === index) {
        if (script.loseDevice) this.loseDevice(script.loseDevice);
        throw script.errorAt.error;
      }
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
  return scriptedFactory(engines, (engine) => ({ engine, end: () => undefined, deviceLoss: () => engine.lostDevice }));
}

/**
 * Like {@link fakeFactory}, but each scripted engine sits in a "worker" behind the real protocol: served by
 * `serveEngine` at one end of a channel, reached through `WorkerEngineClient` at the other, as worker.ts and
 * createWorkerEngine() wire them.
 */
export function workerProtocolFactory(...engines: FakeWebLlmEngine[]): FakeFactory {
  return scriptedFactory(engines, (engine) => {
    const channel = fakeMessageChannel<WorkerRequest, WorkerResponse>();
    serveEngine(engine, channel.worker, engine);
    const client = new WorkerEngineClient(channel.page);
    return {
      engine: client,
      deviceLoss: () => client.deviceLoss,
      end: (reason) => {
        channel.close();
        client.close(reason);
      },
    };
  });
}

function scriptedFactory(
  engines: FakeWebLlmEngine[],
  connect: (engine: FakeWebLlmEngine) => {
    engine: WebLlmEngineLike;
    end: (reason: Error) => void;
    deviceLoss: () => DeviceLoss | undefined;
  },
): FakeFactory {
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
      const connection = connect(engine);
      const failed = new Promise<never>((_, reject) => {
        failures[index] = (error) => {
          connection.end(error);
          reject(error);
        };
      });
      failed.catch(() => undefined);
      return {
        engine: connection.engine,
        failed,
        deviceLoss: connection.deviceLoss,
        terminate: () => {
          terminated.push(index);
          connection.end(new DOMException('The model worker was ended.', 'AbortError'));
        },
      };
    },
  };
}
