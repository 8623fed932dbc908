import { describe, expect, it, vi } from 'vitest';
import type { MessageRecord } from '../../../src/domain/records.js';
import { createStreamingWriter, type StreamingWriterOptions } from '../../../src/storage/streaming-writer.js';

/** A clock and timers that move only when the test says so. */
class FakeClock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  readonly options: Required<Pick<StreamingWriterOptions, 'now' | 'setTimer' | 'clearTimer'>> = {
    now: () => this.time,
    setTimer: (callback, delayMs) => {
      const id = this.#nextId++;
      this.#timers.set(id, { at: this.time + delayMs, callback });
      return id;
    },
    clearTimer: (handle) => {
      this.#timers.delete(handle as number);
    },
  };

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.#timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.#timers.delete(id);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
    }
    this.time = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A save whose writes finish when the test resolves them, or at once if `autoResolve`. */
function recordingSave(autoResolve = true) {
  const saved: string[] = [];
  const started: string[] = [];
  const finishers: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let maxConcurrent = 0;
  const save = vi.fn((message: MessageRecord) => {
    started.push(message.content);
    running++;
    maxConcurrent = Math.max(maxConcurrent, running);
    return new Promise<void>((resolve, reject) => {
      const finish = {
        resolve: () => {
          running--;
          saved.push(message.content);
          resolve();
        },
        reject: (error: unknown) => {
          running--;
          reject(error);
        },
      };
      if (autoResolve) finish.resolve();
      else finishers.push(finish);
    });
  });
  return {
    save,
    saved,
    started,
    finishNext: () => finishers.shift()?.resolve(),
    failNext: (error: unknown) => finishers.shift()?.reject(error),
    get maxConcurrent() {
      return maxConcurrent;
    },
  };
}

function reply(content: string): MessageRecord {
  return {
    id: 'r',
    conversationId: 'c',
    role: 'assistant',
    content,
    createdAt: 0,
    updatedAt: 0,
    status: 'streaming',
  };
}

/** Feeds one token every `everyMs`, as a stream would, building "t1 t2 t3 …". */
async function stream(
  writer: ReturnType<typeof createStreamingWriter>,
  clock: FakeClock,
  tokens: number,
  everyMs: number,
): Promise<void> {
  let content = '';
  for (let i = 1; i <= tokens; i++) {
    content += `${i === 1 ? '' : ' '}t${i}`;
    writer.update(reply(content));
    await clock.advance(everyMs);
  }
}

describe('createStreamingWriter', () => {
  it('writes the first state at once, before any time passes', async () => {
    const clock = new FakeClock();
    const { save, saved } = recordingSave();
    const writer = createStreamingWriter(save, clock.options);

    writer.update(reply('Hel'));
    await settle();

    expect(saved).toEqual(['Hel']);
  });

  it('writes a long stream a few times a second, never once per token', async () => {
    const clock = new FakeClock();
    const { save } = recordingSave();
    const writer = createStreamingWriter(save, { ...clock.options, intervalMs: 500 });

    // 200 tokens over 2 seconds.
    await stream(writer, clock, 200, 10);

    expect(save.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(save.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('writes the latest state in each interval, skipping the ones in between', async () => {
    const clock = new FakeClock();
    const { save, saved } = recordingSave();
    const writer = createStreamingWriter(save, { ...clock.options, intervalMs: 100 });

    writer.update(reply('a'));
    await clock.advance(10);
    writer.update(reply('ab'));
    writer.update(reply('abc'));
    await clock.advance(200);

    expect(saved).toEqual(['a', 'abc']);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('never starts a write while one is in flight, and never writes an older state after a newer one', async () => {
    const clock = new FakeClock();
    const storage = recordingSave(false);
    const writer = createStreamingWriter(storage.save, { ...clock.options, intervalMs: 100 });

    writer.update(reply('t1'));
    // A slow disk: the first write takes a whole second while tokens keep coming.
    await stream(writer, clock, 100, 10);
    expect(storage.started).toEqual(['t1']);

    storage.finishNext();
    await clock.advance(0);
    expect(storage.started).toHaveLength(2);
    expect(storage.started[1]).toMatch(/ t100$/);
    storage.finishNext();

    writer.update(reply('final'));
    const flushed = writer.flush();
    await clock.advance(0);
    storage.finishNext();
    await flushed;

    expect(storage.maxConcurrent).toBe(1);
    expect(storage.saved.at(-1)).toBe('final');
    const lengths = storage.saved.slice(0, -1).map((content) => content.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('flush writes the latest state now instead of at the end of the interval', async () => {
    const clock = new FakeClock();
    const { save, saved } = recordingSave();
    const writer = createStreamingWriter(save, { ...clock.options, intervalMs: 500 });

    writer.update(reply('Hello'));
    await clock.advance(10);
    writer.update(reply('Hello, wor'));
    await writer.flush();

    expect(clock.time).toBe(10);
    expect(saved).toEqual(['Hello', 'Hello, wor']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('flush waits for the write in flight, then writes what came after it', async () => {
    const clock = new FakeClock();
    const storage = recordingSave(false);
    const writer = createStreamingWriter(storage.save, clock.options);

    writer.update(reply('one'));
    writer.update(reply('one two'));
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(storage.started).toEqual(['one']);

    storage.finishNext();
    await settle();
    expect(storage.started).toEqual(['one', 'one two']);
    expect(flushed).toBe(false);

    storage.finishNext();
    await flushing;
    expect(storage.saved).toEqual(['one', 'one two']);
  });

  it('flush writes nothing when everything is already saved', async () => {
    const clock = new FakeClock();
    const { save } = recordingSave();
    const writer = createStreamingWriter(save, clock.options);

    writer.update(reply('done'));
    await writer.flush();
    await writer.flush();

    expect(save).toHaveBeenCalledTimes(1);
  });

  it('after dispose, writes nothing more', async () => {
    const clock = new FakeClock();
    const { save, saved } = recordingSave();
    const writer = createStreamingWriter(save, { ...clock.options, intervalMs: 100 });

    writer.update(reply('a'));
    writer.update(reply('ab'));
    writer.dispose();
    writer.update(reply('abc'));
    await clock.advance(1000);
    await writer.flush();

    expect(saved).toEqual(['a']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports a failed write, keeps that state, and saves it at the next flush', async () => {
    const clock = new FakeClock();
    const storage = recordingSave(false);
    const onError = vi.fn();
    const writer = createStreamingWriter(storage.save, { ...clock.options, intervalMs: 100, onError });
    const quota = new Error('quota');

    writer.update(reply('partial'));
    storage.failNext(quota);
    await clock.advance(1000);
    expect(onError).toHaveBeenCalledWith(quota);
    // No retry on the timer: a full disk would fail again and again.
    expect(storage.started).toEqual(['partial']);

    const flushed = writer.flush();
    await settle();
    storage.finishNext();
    await flushed;
    expect(storage.saved).toEqual(['partial']);
  });

  it('rejects flush when its write fails, so the caller can tell the user', async () => {
    const clock = new FakeClock();
    const storage = recordingSave(false);
    const writer = createStreamingWriter(storage.save, clock.options);

    writer.update(reply('first'));
    storage.finishNext();
    await settle();
    writer.update(reply('first second'));
    const flushed = writer.flush();
    await settle();
    storage.failNext(new Error('quota'));

    await expect(flushed).rejects.toThrow('quota');
  });

  it('resumes writing with the next update after a failure', async () => {
    const clock = new FakeClock();
    const storage = recordingSave(false);
    const writer = createStreamingWriter(storage.save, { ...clock.options, intervalMs: 100, onError: () => {} });

    writer.update(reply('a'));
    storage.failNext(new Error('busy'));
    await clock.advance(150);
    writer.update(reply('ab'));
    await settle();
    storage.finishNext();
    await settle();

    expect(storage.saved).toEqual(['ab']);
  });
});
