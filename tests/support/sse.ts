// The OpenAI chat-completions streaming wire format, shared by the local SSE server and by intercepted
// router.huggingface.co responses, so both fakes speak exactly what the real servers send.

export const DEFAULT_MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function tokenEvent(content: string, model = DEFAULT_MODEL, id = 'chatcmpl-test'): string {
  return sseEvent({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }],
  });
}

/** The finish chunk, then the usage chunk (OpenAI style: `choices: []`), then `[DONE]`. */
export function closingEvents(completionTokens: number, model = DEFAULT_MODEL, id = 'chatcmpl-test'): string {
  const created = Math.floor(Date.now() / 1000);
  return (
    sseEvent({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
    }) +
    sseEvent({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: completionTokens, total_tokens: 12 + completionTokens },
    }) +
    sseEvent('[DONE]')
  );
}

/** A mid-stream failure as OpenAI-compatible servers (and the HF router) send it: an `error` object, then EOF. */
export function errorEvent(message: string): string {
  return sseEvent({ error: { message, type: 'server_error' } });
}

/** A whole successful stream in one body, e.g. for `route.fulfill`. */
export function sseBody(tokens: readonly string[], model = DEFAULT_MODEL): string {
  return tokens.map((token) => tokenEvent(token, model)).join('') + closingEvents(tokens.length, model);
}
