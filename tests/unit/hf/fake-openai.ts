/**
 * A fake OpenAI-compatible server behind an injected `fetch`: it answers with real `Response`s (SSE streams, JSON
 * errors) so the real @huggingface/inference client parses them, and it records every request it receives.
 */

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

export interface StreamHandle {
  /** Whether the connection was still open (body not finished) when the request's signal aborted. */
  closedByAbort: boolean;
}

export type Reply = (request: RecordedRequest) => Response | Promise<Response>;

const encoder = new TextEncoder();

export function deltaEvent(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    system_fingerprint: '',
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }],
    ...extra,
  };
}

export function finishEvent(
  reason: string,
  usage?: { prompt_tokens: number; completion_tokens: number },
): Record<string, unknown> {
  return {
    ...deltaEvent(''),
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: reason }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

function sseText(events: readonly unknown[]): string {
  return events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('');
}

/** A complete SSE reply ending with `data: [DONE]`. */
export function sse(events: readonly unknown[]): Reply {
  return () =>
    new Response(sseText([...events, '[DONE]']), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/**
 * An SSE reply that sends `events` and then keeps the connection open, as a model still generating would; like a
 * real fetch, aborting the request's signal errors the body with an AbortError.
 */
export function openStream(events: readonly unknown[], handle: StreamHandle): Reply {
  return (request) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(sseText(events)));
        request.signal?.addEventListener('abort', () => {
          handle.closedByAbort = true;
          controller.error(new DOMException('The operation was aborted.', 'AbortError'));
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
}

export function jsonError(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function textError(status: number, body: string): Reply {
  return () => new Response(body, { status, headers: { 'Content-Type': 'text/html' } });
}

export function networkFailure(): Reply {
  return () => {
    throw new TypeError('Failed to fetch');
  };
}

/** Serves `replies` in order, repeating the last one; `requests` lists what was asked. */
export function fakeServer(...replies: Reply[]): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const url = input instanceof Request ? input.url : input.toString();
    const request: RecordedRequest = {
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {},
      signal: init?.signal ?? undefined,
    };
    requests.push(request);
    const reply = replies[Math.min(requests.length, replies.length) - 1];
    if (reply === undefined) throw new Error('fakeServer was given no replies');
    return reply(request);
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}
