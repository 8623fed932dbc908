/** LocalEngine over the fake WebLLM engine, and what its tests share. */
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import type { ChatChunk, ChatRequest, ChatTurn } from '../../../src/engines/types.js';
import type { SamplingParams } from '../../../src/domain/generation.js';
import { DEFAULT_SAMPLING } from '../../../src/domain/settings.js';
import { MISTRAL } from './fixtures.js';
import { FakeWebLlmEngine, fakeFactory, type ReplyScript } from './fake-webllm.js';

export const OK = { outcome: 'ok' } as const;

export function request(messages: readonly ChatTurn[], params: Partial<SamplingParams> = {}): ChatRequest {
  return { messages, params: { ...DEFAULT_SAMPLING, ...params } };
}

export const HELLO = request([{ role: 'user', content: 'Hello' }]);

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export async function loadedEngine(...replies: ReplyScript[]) {
  const engine = new FakeWebLlmEngine(OK, replies);
  const factory = fakeFactory(engine);
  const local = new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 });
  await local.load(MISTRAL);
  return { local, engine, factory };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
