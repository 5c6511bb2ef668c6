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
  const legacy = adapter as unknown as { isFallbackAdapter?: boolean };
  const infoFlag = info as unknown as { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: infoFlag.isFallbackAdapter ?? legacy.isFallbackAdapter ?? false,
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
