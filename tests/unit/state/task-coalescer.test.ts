import { describe, expect, test } from 'vitest';
import { TaskCoalescer } from '../../../src/state/task-coalescer.js';
import type { UnsavedReplyStore } from '../../../src/storage/unsaved-reply.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { setup, until } from './session-setup.js';

/** A coalescer whose later tasks run when the test says so. */
function coalescerWithManualTasks() {
  const tasks: (() => void)[] = [];
  let runs = 0;
  const coalescer = new TaskCoalescer(
    () => runs++,
    (callback) => tasks.push(callback),
  );
  const runTasks = (): void => {
    for (const task of tasks.splice(0)) task();
  };
  return { coalescer, runTasks, runs: () => runs, scheduled: () => tasks.length };
}

describe('TaskCoalescer', () => {
  test('many requests within a task run the action once, in a later task', () => {
    const { coalescer, runTasks, runs, scheduled } = coalescerWithManualTasks();
    coalescer.request();
    coalescer.request();
    coalescer.request();
    expect(runs()).toBe(0);
    expect(scheduled()).toBe(1);
    runTasks();
    expect(runs()).toBe(1);
    coalescer.request();
    runTasks();
    expect(runs()).toBe(2);
  });

  test('flush runs a waiting request now, once; with nothing waiting it does nothing', () => {
    const { coalescer, runTasks, runs } = coalescerWithManualTasks();
    coalescer.flush();
    expect(runs()).toBe(0);
    coalescer.request();
    coalescer.flush();
    expect(runs()).toBe(1);
    runTasks();
    expect(runs()).toBe(1);
  });

  test('cancel forgets a waiting request', () => {
    const { coalescer, runTasks, runs } = coalescerWithManualTasks();
    coalescer.request();
    coalescer.cancel();
    runTasks();
    coalescer.flush();
    expect(runs()).toBe(0);
  });
});

describe('a streaming reply, shown once per burst of tokens', () => {
  test('tokens that arrive within one task reach the state together, and none of the text is lost', async () => {
    const { session } = setup([{ delta: 'Once ' }, { delta: 'upon ' }, { delta: 'a time' }, { waitForAbort: true }]);
    await session.start();
    const replies: string[] = [];
    session.subscribe((state) => {
      const last = state.messages.at(-1);
      if (last?.role === 'assistant' && replies.at(-1) !== last.content) replies.push(last.content);
    });
    const sending = session.send('Tell me a story');
    await until(() => session.getState().messages.at(-1)?.content === 'Once upon a time');
    session.stop();
    await sending;
    // The empty reply is shown when it is made; the three tokens, which came in one task, are shown together.
    expect(replies).toEqual(['', 'Once upon a time']);
    expect(session.getState().messages.at(-1)).toMatchObject({ content: 'Once upon a time', status: 'stopped' });
  });

  test('a page being hidden writes, and leaves a copy of, the text that arrived but is not shown yet', async () => {
    const engine = new ControlledEngine();
    const unsaved: string[] = [];
    const unsavedReplies: UnsavedReplyStore = {
      save: (message) => {
        unsaved.push(message.content);
      },
      take: () => undefined,
      discard: () => undefined,
    };
    const { session, repository } = setup(() => engine, { unsavedReplies });
    await session.start();
    const sending = session.send('Tell me a story');
    engine.say('Once');
    await until(() => session.getState().messages.at(-1)?.content === 'Once');
    engine.say(' upon a time');
    // The token's microtasks run; the task that would show it has not come yet.
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    expect(session.getState().messages.at(-1)?.content).toBe('Once');

    await session.flushPending();

    expect(session.getState().messages.at(-1)?.content).toBe('Once upon a time');
    expect(unsaved).toEqual(['Once upon a time']);
    const saved = [...repository.messages.values()].find((message) => message.role === 'assistant');
    expect(saved?.content).toBe('Once upon a time');
    session.stop();
    await sending;
  });
});
