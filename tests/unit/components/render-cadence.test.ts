import { describe, expect, test } from 'vitest';
import { afterCurrentTask, RenderCadence } from '../../../src/components/render-cadence.js';

describe('RenderCadence', () => {
  test('lets the first render through at once', () => {
    expect(new RenderCadence(0.1, 150).delay(1000)).toBe(0);
  });

  test('spaces renders so they take no more than their share of the time', () => {
    const cadence = new RenderCadence(0.1, 150);
    // A render from 1000 to 1005: 5 ms, so 45 ms of other work come before the next one.
    cadence.record(1000, 1005);
    expect(cadence.delay(1010)).toBe(40);
    expect(cadence.delay(1050)).toBe(0);
    expect(cadence.delay(1070)).toBe(0);
  });

  test('never holds a render back longer than the longest delay after the last one started', () => {
    const cadence = new RenderCadence(0.05, 150);
    cadence.record(0, 40); // 40 ms: 760 ms before the next one by its share alone.
    expect(cadence.delay(50)).toBe(100);
    expect(cadence.delay(120)).toBe(30);
    expect(cadence.delay(150)).toBe(0);
    // A state that comes long after the last render is not held back at all.
    expect(cadence.delay(400)).toBe(0);
  });

  test('after a reset, the next render waits for nothing', () => {
    const cadence = new RenderCadence(0.1, 150);
    cadence.record(0, 10);
    expect(cadence.delay(20)).toBeGreaterThan(0);
    cadence.reset();
    expect(cadence.delay(20)).toBe(0);
  });

  test('refuses a share that could not be kept', () => {
    expect(() => new RenderCadence(0, 150)).toThrow(RangeError);
    expect(() => new RenderCadence(1.5, 150)).toThrow(RangeError);
  });
});

describe('afterCurrentTask', () => {
  test('calls back after the current task and its microtasks, not during them', async () => {
    const order: string[] = [];
    const called = new Promise<void>((resolve) =>
      afterCurrentTask(() => {
        order.push('task');
        resolve();
      }),
    );
    await Promise.resolve().then(() => order.push('microtask'));
    order.push('sync');
    await called;
    expect(order).toEqual(['microtask', 'sync', 'task']);
  });
});
