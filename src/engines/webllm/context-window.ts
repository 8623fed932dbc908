/**
 * Keeps a conversation inside the local model's context window (4,096 tokens for Mistral 7B in WebLLM) so that
 * WebLLM's ContextWindowSizeExceededError never reaches the user in normal use: the system prompt and the latest
 * turns stay, the oldest go, and the caller learns how many went so the UI can mark them.
 */

import type { ChatTurn } from '../types.js';

export interface ContextFitOptions {
  contextWindow: number;
  /** Room kept for the reply. */
  maxNewTokens: number;
  estimateTokens?: (text: string) => number;
}

export interface ContextFit {
  /** The system turn (if any) followed by the latest turns that fit, starting with a user turn. */
  turns: ChatTurn[];
  /** How many of the non-system turns, counted from the oldest, were left out. */
  omittedCount: number;
  /** Even the system prompt and the last turn alone exceed the whole window: the request cannot be sent. */
  tooLong: boolean;
}

/** Chat-template tokens around each turn ("[INST]", "[/INST]", "</s>" and the like). */
export const TOKENS_PER_TURN = 8;

/**
 * Deliberately pessimistic: English runs near 4 characters per token in Mistral's tokenizer, code and numbers nearer
 * 3, and a character outside ASCII (accents, CJK, emoji) can take one token or several byte-fallback tokens.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 3) + other * 2;
}

export function fitToContextWindow(turns: readonly ChatTurn[], options: ContextFitOptions): ContextFit {
  const estimate = options.estimateTokens ?? estimateTokens;
  const cost = (turn: ChatTurn): number => estimate(turn.content) + TOKENS_PER_TURN;
  const system = turns.filter((turn) => turn.role === 'system');
  const rest = turns.filter((turn) => turn.role !== 'system');

  const systemCost = system.reduce((sum, turn) => sum + cost(turn), 0);
  // A reply needs some room even when the user asks for more new tokens than the window holds.
  const replyRoom = Math.min(options.maxNewTokens, Math.floor(options.contextWindow / 2));
  const budget = options.contextWindow - replyRoom - systemCost;

  let start = rest.length;
  let used = 0;
  while (start > 0) {
    const next = rest[start - 1];
    if (!next) break;
    const nextCost = cost(next);
    if (used + nextCost > budget) break;
    used += nextCost;
    start -= 1;
  }
  // The template alternates user/assistant starting with the user: never open on an assistant turn.
  while (start < rest.length && rest[start]?.role !== 'user') start += 1;

  const last = rest[rest.length - 1];
  if (start === rest.length && last) {
    // Not even the last turn fits beside the reply room: send it alone if it fits the whole window at all.
    const tooLong = systemCost + cost(last) > options.contextWindow;
    return { turns: [...system, last], omittedCount: rest.length - 1, tooLong };
  }
  return { turns: [...system, ...rest.slice(start)], omittedCount: start, tooLong: false };
}

/** WebLLM's `ContextWindowSizeExceededError` text: "…number of prompt tokens: 5120; context window size: 4096…". */
const OVERFLOW_COUNT = /number of prompt tokens: (\d+)/;

/** The prompt's real length in tokens, as WebLLM counted it when it refused the prompt; `undefined` if not said. */
export function promptTokensOfOverflow(error: unknown): number | undefined {
  const text = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  const match = OVERFLOW_COUNT.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * An estimate corrected by what the tokenizer really counted for `sent`: `countedTokens` over what
 * {@link estimateTokens} made of the same turns, with a little room, since the older turns may run denser still.
 */
export function scaledEstimate(sent: readonly ChatTurn[], countedTokens: number): (text: string) => number {
  const estimated = sent.reduce((sum, turn) => sum + estimateTokens(turn.content) + TOKENS_PER_TURN, 0);
  const factor = Math.max(1, countedTokens / Math.max(1, estimated)) * 1.1;
  return (text) => Math.ceil(estimateTokens(text) * factor);
}
