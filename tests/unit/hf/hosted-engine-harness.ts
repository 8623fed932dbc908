/** The hosted engine over the fake OpenAI-compatible server, and what its tests share. */
import { createHostedEngine, type HostedEngineConfig } from '../../../src/engines/hf/hosted-engine.js';
import { EngineError, type ChatChunk, type ChatRequest, type ChatTurn } from '../../../src/engines/types.js';
import type { SamplingParams } from '../../../src/domain/generation.js';
import { deltaEvent, fakeServer, finishEvent, sse, type Reply } from './fake-openai.js';

export const TOKEN = 'hf_secretTokenValue123456';
export const ROUTER_URL = 'https://router.huggingface.co/v1/chat/completions';

export const SAMPLING: SamplingParams = {
  temperature: 0.7,
  topP: 0.95,
  maxNewTokens: 256,
  repetitionPenalty: 1,
  seed: null,
};

const HISTORY: ChatTurn[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hello' },
  { role: 'assistant', content: '' },
  { role: 'user', content: 'Are you there?' },
];

export function setup(settings: Partial<HostedEngineConfig>, ...replies: Reply[]) {
  const server = fakeServer(...replies);
  const delays: number[] = [];
  const engine = createHostedEngine({
    hfToken: TOKEN,
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    endpointUrl: '',
    provider: 'huggingface',
    endpointKeys: {},
    fetch: server.fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    isOnline: () => true,
    ...settings,
  });
  return { engine, requests: server.requests, delays };
}

export function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: HISTORY, params: SAMPLING, ...overrides };
}

export async function collect(
  iterable: AsyncIterable<ChatChunk>,
): Promise<{ chunks: ChatChunk[]; text: string; error?: EngineError }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of iterable) chunks.push(chunk);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { chunks, text: chunks.map((chunk) => chunk.delta ?? '').join(''), error };
  }
  return { chunks, text: chunks.map((chunk) => chunk.delta ?? '').join('') };
}

export function firstRequest<T>(requests: T[]): T {
  const first = requests[0];
  if (first === undefined) throw new Error('no request was made');
  return first;
}

export const REPLY = sse([
  deltaEvent('Yes'),
  deltaEvent(', I am'),
  deltaEvent(' here.'),
  finishEvent('stop', { prompt_tokens: 21, completion_tokens: 5 }),
]);
