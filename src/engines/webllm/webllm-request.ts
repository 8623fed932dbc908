/** Our chat request as WebLLM's, and WebLLM's stream chunks as ours. */

import type { ChatCompletionMessageParam, ChatCompletionRequestStreaming, CompletionUsage } from '@mlc-ai/web-llm';
import type { ChatTurn, FinishReason } from '../types.js';
import type { SamplingParams, Usage } from '../../domain/generation.js';

/** WebLLM's request, with settings a form may leave out of range pulled back into what WebLLM accepts. */
export function toWebLlmRequest(messages: readonly ChatTurn[], params: SamplingParams): ChatCompletionRequestStreaming {
  const request: ChatCompletionRequestStreaming = {
    messages: messages.map((turn): ChatCompletionMessageParam => ({ role: turn.role, content: turn.content })),
    stream: true,
    stream_options: { include_usage: true },
    temperature: Math.max(0, params.temperature),
    top_p: params.topP > 0 && params.topP <= 1 ? params.topP : 1,
    max_tokens: Math.max(1, Math.floor(params.maxNewTokens)),
    repetition_penalty: params.repetitionPenalty > 0 ? params.repetitionPenalty : 1,
  };
  // WebLLM rejects a seed that is not an integer (SeedTypeError).
  if (params.seed !== null && Number.isInteger(params.seed)) request.seed = params.seed;
  return request;
}

export function toFinishReason(reason: string): FinishReason {
  if (reason === 'length' || reason === 'abort') return reason;
  return 'stop';
}

export function toUsage(usage: CompletionUsage): Usage {
  const result: Usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  const extra = usage.extra as Partial<CompletionUsage['extra']> | undefined;
  if (typeof extra?.time_to_first_token_s === 'number') {
    result.timeToFirstTokenMs = Math.round(extra.time_to_first_token_s * 1000);
  }
  if (typeof extra?.prefill_tokens_per_s === 'number') result.prefillTokensPerSecond = extra.prefill_tokens_per_s;
  if (typeof extra?.decode_tokens_per_s === 'number') result.decodeTokensPerSecond = extra.decode_tokens_per_s;
  return result;
}

/**
 * MLC's `mistral_default` template puts the system prompt straight before the first user message, with no separator;
 * the Hugging Face template ends it with a blank line. Adding it here gives both engines the same prompt.
 */
export function separateSystemPrompt(turn: ChatTurn): ChatTurn {
  if (turn.role !== 'system' || turn.content === '' || turn.content.endsWith('\n\n')) return turn;
  return { role: 'system', content: `${turn.content.replace(/\s+$/, '')}\n\n` };
}
