/** What a reply is generated with, and what generating it cost: shared by every layer. */

export type EngineKind = 'local' | 'hosted';

/** Sampling settings as the user sets them; each engine maps them onto its own request. */
export interface SamplingParams {
  temperature: number;
  topP: number;
  maxNewTokens: number;
  repetitionPenalty: number;
  /** `null` means "no seed": sampling is not reproducible. */
  seed: number | null;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Local engine only: measured by WebLLM. */
  timeToFirstTokenMs?: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
}
