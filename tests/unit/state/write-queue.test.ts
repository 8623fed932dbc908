import { describe, expect, test } from 'vitest';
import { WriteQueue } from '../../../src/state/write-queue.js';

/** A step that ends when the test says so, recording when it started. */
function heldStep(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`${name} started`);
      await done;
      log.push(`${name} ended`);
      return name;
    },
    finish: () => finish(),
  };
}

describe('WriteQueue', () => {
  test('runs steps one at a time, in the order queued', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const first = heldStep(log, 'write');
    const second = heldStep(log, 're-read');
    const writing = queue.write(first.run);
    const rereading = queue.exclusive(second.run);
    await Promise.resolve();
    expect(log).toEqual(['write started']);
    first.finish();
    second.finish();
    expect(await Promise.all([writing, rereading])).toEqual(['write', 're-read']);
    expect(log).toEqual(['write started', 'write ended', 're-read started', 're-read ended']);
  });

  test('counts writes while they wait or run, not re-reads', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const reread = heldStep(log, 're-read');
    const write = heldStep(log, 'write');
    const rereading = queue.exclusive(reread.run);
    const writing = queue.write(write.run);
    expect(queue.pendingWrites).toBe(1);
    reread.finish();
    write.finish();
    await Promise.all([rereading, writing]);
    expect(queue.pendingWrites).toBe(0);
  });

  test('a failed step rejects for its caller only; the next one still runs, and settled() waits for all', async () => {
    const queue = new WriteQueue();
    const failing = queue.write(() => Promise.reject(new Error('disk full')));
    let ran = false;
    const next = queue.exclusive(async () => {
      ran = true;
    });
    await expect(failing).rejects.toThrow('disk full');
    await queue.settled();
    expect(ran).toBe(true);
    await next;
    expect(queue.pendingWrites).toBe(0);
  });
});
