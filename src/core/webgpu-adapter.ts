import type { AdapterSummary } from './types.ts';

/**
 * A WebGPU adapter as plain data, and the rule that tells a software one: shared by the engine's
 * device choice (engine/device-choice.ts) and the page's choice of provider
 * (core/provider-choice.ts), so both call the same adapters "hardware". Core has no WebGPU
 * types: the browser's `GPU` is read through the few members below, which it has.
 */
export interface GpuLike {
  requestAdapter(options: { powerPreference: 'high-performance' }): Promise<GpuAdapterLike | null>;
}

export interface GpuAdapterLike {
  readonly info: {
    readonly vendor: string;
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
  };
  readonly features: { has(name: string): boolean };
  readonly limits: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };
}

/**
 * Asks for a WebGPU adapter and reduces it to plain data for the pure choices (device, dtype,
 * provider) and for info(). Undefined when WebGPU is absent or gives no adapter.
 */
export async function probeWebGpuAdapter(gpu: GpuLike | undefined): Promise<AdapterSummary | undefined> {
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

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;

/**
 * A software or fallback adapter (SwiftShader, llvmpipe, WARP) runs Qwen3 roughly 100× slower
 * than WASM (see ENVIRONMENT.md): for every choice it counts as no GPU.
 */
export function isSoftwareAdapter(adapter: AdapterSummary): boolean {
  if (adapter.isFallbackAdapter) return true;
  return SOFTWARE_RENDERERS.test([adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(' '));
}

export function describeAdapter(adapter: AdapterSummary): string {
  return (
    [adapter.vendor, adapter.architecture, adapter.description].filter((part) => part.length > 0).join(' / ') ||
    'unnamed adapter'
  );
}
