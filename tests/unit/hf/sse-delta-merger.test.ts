import { describe, expect, test } from 'vitest';
import { SseDeltaMerger } from '../../../src/engines/hf/sse-delta-merger.js';
import { deltaEvent, finishEvent } from './fake-openai.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A chunk as a server without a role on every delta sends it (TGI, vLLM after the first chunk). */
function plainDelta(content: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-7',
    object: 'chat.completion.chunk',
    created: 1_700_000_123,
    model: 'mistralai/Mistral-7B-Instruct-v0.3',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
}

const data = (event: unknown): string => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`;

/** Every event the merger passes on, read back as a client would: the JSON of each `data:` line, or its text. */
function eventsOf(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      const payload = event.replace(/^data: /, '');
      try {
        return JSON.parse(payload) as unknown;
      } catch {
        return payload;
      }
    });
}

function run(chunks: readonly string[]): string {
  const merger = new SseDeltaMerger();
  const out = chunks.map((chunk) => decoder.decode(merger.push(encoder.encode(chunk)), { stream: true }));
  return out.join('') + decoder.decode(merger.finish());
}

describe('SseDeltaMerger', () => {
  test('a batch of text deltas becomes one event with their text, everything else about it unchanged', () => {
    const out = run([data(plainDelta('Alfama')) + data(plainDelta(' first,')) + data(plainDelta(' then Belém.'))]);

    expect(eventsOf(out)).toEqual([plainDelta('Alfama first, then Belém.')]);
  });

  test('the role chunk, the finish chunk with usage, [DONE] and an error event pass as sent, in their places', () => {
    const role = { ...plainDelta(''), choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
    const finish = finishEvent('stop', { prompt_tokens: 9, completion_tokens: 3 });
    const error = { error: { message: 'The model crashed mid-stream' } };
    const sent =
      data(role) +
      data(plainDelta('One')) +
      data(plainDelta(' two')) +
      data(error) +
      data(plainDelta(' three')) +
      data(finish) +
      data('[DONE]');

    expect(eventsOf(run([sent]))).toEqual([role, plainDelta('One two'), error, plainDelta(' three'), finish, '[DONE]']);
  });

  test('deltas that differ in anything but their text are not joined', () => {
    const otherId = { ...plainDelta(' b'), id: 'chatcmpl-8' };
    const withLogprobs = {
      ...plainDelta(' c'),
      choices: [{ index: 0, delta: { content: ' c' }, logprobs: { content: [] }, finish_reason: null }],
    };
    const secondChoice = {
      ...plainDelta(' d'),
      choices: [{ index: 1, delta: { content: ' d' }, finish_reason: null }],
    };
    const withToolCall = {
      ...plainDelta(''),
      choices: [{ index: 0, delta: { content: '', tool_calls: [{ index: 0 }] }, finish_reason: null }],
    };
    const events = [plainDelta('a'), otherId, withLogprobs, secondChoice, withToolCall];

    expect(eventsOf(run([events.map(data).join('')]))).toEqual(events);
  });

  test('an event cut across reads (a character split in its bytes) is held until it is whole', () => {
    const merger = new SseDeltaMerger();
    const bytes = encoder.encode(data(plainDelta('café')) + data(plainDelta(' ☕')));
    // Between the two bytes of the é in café (0xc3 0xa9).
    const cut = bytes.indexOf(0xa9);

    const first = merger.push(bytes.slice(0, cut));
    const second = merger.push(bytes.slice(cut));

    expect(first.byteLength).toBe(0);
    expect(eventsOf(decoder.decode(second))).toEqual([plainDelta('café ☕')]);
    expect(merger.finish().byteLength).toBe(0);
  });

  test('named events, comments, multi-line data and text that is not JSON pass exactly as they came', () => {
    const sent = [
      ': keep-alive\n\n',
      'event: ping\ndata: {}\n\n',
      'data: {"choices":\ndata: []}\n\n',
      'data: not json\n\n',
      data(plainDelta('x')),
      '\n\n',
      data(plainDelta('y')),
    ].join('');

    const out = run([sent]);

    expect(out).toBe(sent);
  });

  test('a stream with carriage returns passes untouched, and an unfinished last event is passed at the end', () => {
    const crlf = `data: ${JSON.stringify(plainDelta('a'))}\r\n\r\ndata: ${JSON.stringify(plainDelta('b'))}\r\n\r\n`;
    expect(run([crlf.slice(0, 10), crlf.slice(10)])).toBe(crlf);

    const unfinished = data(plainDelta('a')) + data(plainDelta('b')) + 'data: {"choi';
    expect(run([unfinished])).toBe(data(plainDelta('ab')) + 'data: {"choi');
  });

  test('the shared fake deltas (a role on each) join too, keeping the role', () => {
    expect(eventsOf(run([data(deltaEvent('Yes')) + data(deltaEvent(', I am'))]))).toEqual([deltaEvent('Yes, I am')]);
  });
});
