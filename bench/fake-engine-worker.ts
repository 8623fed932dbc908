// The model worker of the local path with WebLLM swapped for a fake that writes the bench's Markdown-heavy reply at a
// steady rate: the real worker protocol (serveEngine) carries its chunks to the page. Bench only; the app's worker
// is src/engines/webllm/worker.ts.
import type { ChatCompletionChunk, ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';
import { workerScope } from '../src/messaging/endpoint.js';
import { serveEngine, type WebLlmEngineLike, type WorkerResponse } from '../src/engines/webllm/worker-protocol.js';
import { markdownHeavyTokens } from './stream-tokens.mjs';

/** A 7B model on a good GPU writes about this many tokens a second. */
const TOKENS_PER_SECOND = 200;

function chunkOf(content: string, finished: boolean): ChatCompletionChunk {
  return {
    id: 'bench',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'bench-fake',
    choices: [
      { index: 0, delta: finished ? {} : { content }, finish_reason: finished ? 'stop' : null, logprobs: null },
    ],
  };
}

async function* reply(tokenCount: number, interrupted: () => boolean): AsyncGenerator<ChatCompletionChunk> {
  const start = performance.now();
  for (const [index, token] of markdownHeavyTokens(tokenCount).entries()) {
    if (interrupted()) break;
    // On a schedule rather than a fixed pause after each token, so timer lateness does not slow the rate down.
    const due = start + (index * 1000) / TOKENS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    yield chunkOf(token, false);
  }
  yield chunkOf('', true);
}

let interrupted = false;
const engine: WebLlmEngineLike = {
  reload: () => Promise.resolve(),
  unload: () => Promise.resolve(),
  interruptGenerate: () => {
    interrupted = true;
  },
  setInitProgressCallback: () => undefined,
  chat: {
    completions: {
      create: (request: ChatCompletionRequestStreaming) => {
        interrupted = false;
        // The bench asks for its reply's length as max_tokens.
        return Promise.resolve(reply(request.max_tokens ?? 1_000, () => interrupted));
      },
    },
  },
};

serveEngine(engine, workerScope<WorkerResponse>());
