import type { DeviceChoice, Dtype } from '../../core/choices.ts';
import { knownModelFits, type KnownModelFit } from '../../core/model-fit.ts';
import { isSoftwareAdapter, probeWebGpuAdapter } from '../../core/webgpu-adapter.ts';

/**
 * Whether this browser can hold each Qwen3-Embedding model, for the picker: the same pure check
 * the load makes (core/model-fit.ts), on this page's adapter and `navigator.deviceMemory`, with
 * sizes estimated from the models' shapes (nothing is fetched). The device is the one the load
 * takes: the page's `?device=`, or for `auto` WebGPU on a hardware adapter and WASM otherwise (the
 * rule of engine/device-choice.ts, which a software adapter decides: core/webgpu-adapter.ts).
 * The dtype is the page's `?dtype=`, or for `auto` q4: the smallest export on WASM, and on WebGPU
 * the first preference without shader-f16 (with it, q4f16 is smaller still, so q4 fitting means
 * it fits too).
 */
export async function modelFitsHere(device: DeviceChoice, dtype: Dtype | 'auto'): Promise<KnownModelFit[]> {
  const adapter = device === 'wasm' ? undefined : await probeWebGpuAdapter(navigator.gpu);
  const runsOn = device === 'auto' ? (adapter && !isSoftwareAdapter(adapter) ? 'webgpu' : 'wasm') : device;
  const memory: unknown = Reflect.get(navigator, 'deviceMemory');
  return knownModelFits(dtype === 'auto' ? 'q4' : dtype, {
    device: runsOn,
    adapter,
    deviceMemoryGiB: typeof memory === 'number' && memory > 0 ? memory : undefined,
  });
}
