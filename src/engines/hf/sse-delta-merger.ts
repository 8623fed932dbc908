/**
 * Joins a batch's run of plain text deltas into one server-sent event, in the fetch worker, before the batch goes to
 * the page. A fast model sends one OpenAI-style chunk per token, and the page pays per event: the body stream wakes
 * its reader, @huggingface/inference splits the lines, parses the JSON and yields through its generators, and the
 * engine yields again. One event per batch carrying the batch's text costs the page the same as one token.
 *
 * Only what means exactly the same joined is joined: consecutive `data:` events whose JSON differs in nothing but the
 * text of `choices[0].delta.content` (same id, model, created, fingerprint, role, no finish reason, usage or log
 * probabilities). Everything else (the first chunk with its role, the last with its finish reason, usage, `[DONE]`,
 * error events, comments, named events, anything not JSON) passes as it came, in its place. A stream with carriage
 * returns passes untouched. An event is only passed on once it is complete, which no reader could act on sooner.
 */

interface ChatChunk {
  choices: [{ index: 0; delta: { content: string; role?: string }; finish_reason?: null; logprobs?: null }];
  usage?: null;
}

/** What a joinable event holds besides its text, as one comparable string; `undefined` when it cannot be joined. */
function joinableShape(event: string): { shape: string; parsed: ChatChunk } | undefined {
  if (!event.startsWith('data: ') || event.includes('\n')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.slice(6));
  } catch {
    return undefined;
  }
  if (!isPlainDelta(parsed)) return undefined;
  const [choice] = parsed.choices;
  // All but the text, in the order it came (stringify leaves out what is undefined).
  const shape = JSON.stringify([
    { ...parsed, choices: undefined },
    { ...choice, delta: undefined },
    { ...choice.delta, content: undefined },
  ]);
  return { shape, parsed };
}

const CHOICE_KEYS: ReadonlySet<string> = new Set(['index', 'delta', 'finish_reason', 'logprobs']);
const DELTA_KEYS: ReadonlySet<string> = new Set(['content', 'role']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainDelta(value: unknown): value is ChatChunk {
  if (!isRecord(value) || 'error' in value || (value.usage !== undefined && value.usage !== null)) return false;
  const { choices } = value;
  if (!Array.isArray(choices) || choices.length !== 1) return false;
  const [choice] = choices as unknown[];
  if (!isRecord(choice) || choice.index !== 0 || !Object.keys(choice).every((key) => CHOICE_KEYS.has(key)))
    return false;
  if ((choice.finish_reason ?? null) !== null || (choice.logprobs ?? null) !== null) return false;
  const { delta } = choice;
  if (!isRecord(delta) || typeof delta.content !== 'string') return false;
  if (delta.role !== undefined && typeof delta.role !== 'string') return false;
  return Object.keys(delta).every((key) => DELTA_KEYS.has(key));
}

export class SseDeltaMerger {
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  /** Text after the last complete event, held until its end comes. */
  #tail = '';
  /** Once a carriage return is seen, everything passes as it came. */
  #verbatim = false;

  /** The complete events of `bytes` (and of what was held), with runs of plain deltas joined; may be empty. */
  push(bytes: Uint8Array): Uint8Array {
    const text = this.#tail + this.#decoder.decode(bytes, { stream: true });
    if (this.#verbatim || text.includes('\r')) {
      this.#verbatim = true;
      this.#tail = '';
      return this.#encoder.encode(text);
    }
    const end = text.lastIndexOf('\n\n');
    if (end < 0) {
      this.#tail = text;
      return new Uint8Array(0);
    }
    this.#tail = text.slice(end + 2);
    return this.#encoder.encode(joinRuns(text.slice(0, end).split('\n\n')));
  }

  /** Whatever was held: the stream ended (an unfinished last event passes as it came). */
  finish(): Uint8Array {
    const rest = this.#tail + this.#decoder.decode();
    this.#tail = '';
    return this.#encoder.encode(rest);
  }
}

/** The events, each followed by its blank line, with each run of joinable events written as one. */
function joinRuns(events: readonly string[]): string {
  let out = '';
  let run: { shape: string; first: ChatChunk; text: string; count: number; raw: string } | undefined;
  const closeRun = () => {
    if (!run) return;
    if (run.count === 1) out += `${run.raw}\n\n`;
    else {
      const [choice] = run.first.choices;
      const joined = { ...run.first, choices: [{ ...choice, delta: { ...choice.delta, content: run.text } }] };
      out += `data: ${JSON.stringify(joined)}\n\n`;
    }
    run = undefined;
  };
  for (const event of events) {
    const joinable = joinableShape(event);
    if (joinable && run?.shape === joinable.shape) {
      run.text += joinable.parsed.choices[0].delta.content;
      run.count++;
      continue;
    }
    closeRun();
    if (joinable) {
      const { shape, parsed } = joinable;
      run = { shape, first: parsed, text: parsed.choices[0].delta.content, count: 1, raw: event };
    } else out += `${event}\n\n`;
  }
  closeRun();
  return out;
}
