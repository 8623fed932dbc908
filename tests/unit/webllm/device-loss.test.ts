import { expect, test, vi } from 'vitest';
import { watchDeviceLoss } from '../../../src/engines/webllm/device-loss.js';

/** A GPUAdapter prototype whose devices can be lost on demand, as `device.lost` resolves in a browser. */
function fakeAdapterPrototype() {
  const losers: ((info: Partial<GPUDeviceLostInfo>) => void)[] = [];
  const prototype = {
    requestDevice: vi.fn(async function (this: unknown, _descriptor?: GPUDeviceDescriptor) {
      return {
        lost: new Promise<Partial<GPUDeviceLostInfo>>((resolve) => losers.push(resolve)),
      } as unknown as GPUDevice;
    }),
  };
  return { prototype, lose: (index: number, info: Partial<GPUDeviceLostInfo>) => losers[index]?.(info) };
}

test('every device requested after the wrap reports its loss with the reason and the browser’s message', async () => {
  const { prototype, lose } = fakeAdapterPrototype();
  const original = prototype.requestDevice;
  const source = watchDeviceLoss(prototype as unknown as { requestDevice: GPUAdapter['requestDevice'] });
  const losses: unknown[] = [];
  source.onLost((loss) => losses.push(loss));

  const adapter = {};
  const descriptor = { requiredFeatures: [] };
  await prototype.requestDevice.call(adapter, descriptor);
  expect(original).toHaveBeenCalledWith(descriptor);
  expect(original.mock.contexts[0]).toBe(adapter);

  lose(0, { reason: 'destroyed', message: 'Device was destroyed.' });
  await vi.waitFor(() => expect(losses).toEqual([{ reason: 'destroyed', message: 'Device was destroyed.' }]));
});

test('a loss without a reason or message is still reported', async () => {
  const { prototype, lose } = fakeAdapterPrototype();
  const losses: unknown[] = [];
  watchDeviceLoss(prototype as unknown as { requestDevice: GPUAdapter['requestDevice'] }).onLost((loss) =>
    losses.push(loss),
  );
  await prototype.requestDevice();
  lose(0, {});
  await vi.waitFor(() => expect(losses).toEqual([{ reason: 'unknown', message: '' }]));
});

test('without WebGPU in the worker there is nothing to wrap', () => {
  expect(() => watchDeviceLoss(undefined).onLost(() => undefined)).not.toThrow();
});
