/**
 * Which GPU devices were lost in the model worker, and why. WebLLM does not say: when an allocation fails, tvmjs's
 * `tryCreateBuffer` destroys the device, the runtime's `device.lost` handler disposes the runtime, and the next call
 * into it throws "Object has already been disposed" rather than a DeviceLostError. Watching every device WebLLM asks
 * for lets the engine name the real cause.
 */

export interface DeviceLoss {
  /** `GPUDeviceLostInfo.reason`: "destroyed" (what tvmjs does on a failed allocation) or "unknown" (a driver reset). */
  reason: string;
  /** The browser's own words, e.g. "Device was destroyed."; may be empty. */
  message: string;
}

export interface DeviceLossSource {
  onLost(listener: (loss: DeviceLoss) => void): void;
}

type RequestDevice = GPUAdapter['requestDevice'];

/**
 * Wraps `requestDevice` on `adapterPrototype` (the worker's `GPUAdapter.prototype`) so that every device created
 * afterwards reports its loss. WebLLM asks for its device through that method (`detectGPUDevice`), on each load.
 */
export function watchDeviceLoss(adapterPrototype: { requestDevice: RequestDevice } | undefined): DeviceLossSource {
  const listeners = new Set<(loss: DeviceLoss) => void>();
  if (adapterPrototype) {
    const requestDevice = adapterPrototype.requestDevice;
    adapterPrototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
      const device = await requestDevice.call(this, descriptor);
      void device.lost.then((info) => {
        const loss = { reason: String(info.reason ?? 'unknown'), message: info.message || '' };
        for (const listener of listeners) listener(loss);
      });
      return device;
    };
  }
  return { onLost: (listener) => listeners.add(listener) };
}
