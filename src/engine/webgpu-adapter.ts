import type { AdapterSummary } from '../core/types.ts';

/**
 * Asks the browser for a WebGPU adapter and reduces it to plain data for the pure choices in
 * device-choice.ts / dtype-choice.ts (and for info()). Undefined when WebGPU is absent.
 */
export async function probeWebGpuAdapter(gpu: GPU | undefined): Promise<AdapterSummary | undefined> {
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return undefined;
  const info = adapter.info;
  // isFallbackAdapter moved from GPUAdapter to GPUAdapterInfo; read whichever this browser has.
  const flag = (from: object): boolean | undefined =>
    'isFallbackAdapter' in from && typeof from.isFallbackAdapter === 'boolean' ? from.isFallbackAdapter : undefined;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: flag(info) ?? flag(adapter) ?? false,
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
