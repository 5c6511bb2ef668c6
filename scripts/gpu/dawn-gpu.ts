/**
 * WebGPU in Node through dawn.node (npm `webgpu`), installed as `navigator.gpu` and the GPU*
 * globals onnxruntime-web's WebGPU EP looks for. The package is loaded from a staged folder at
 * run time, never bundled: its index.js finds dawn.node next to itself.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

export interface DawnGpu {
  gpu: GPU;
  adapter: GPUAdapter | null;
  /** What Dawn said while looking, for the log (e.g. "Couldn't load Vulkan"). */
  note: string;
}

export async function installDawn(packageDir: string, log: (line: string) => void): Promise<DawnGpu> {
  const dawn = (await import(pathToFileURL(join(packageDir, 'index.js')).href)) as DawnModule;
  // Dawn's own toggles: keep its validation messages verbose so a failure names its cause.
  const flags = (process.env['DAWN_FLAGS'] ?? 'enable-dawn-features=allow_unsafe_apis').split(/\s+/).filter(Boolean);
  log(`dawn.node: create(${JSON.stringify(flags)})`);
  const gpu = dawn.create(flags);
  Object.assign(globalThis, dawn.globals);
  // Node 21+ has a read-only navigator; replace it with one that carries gpu.
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...(globalThis as { navigator?: object }).navigator, gpu },
    configurable: true,
    writable: true,
  });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const note = adapter
    ? `adapter: ${JSON.stringify(adapterInfo(adapter))}`
    : 'no adapter (no Vulkan driver reachable, or only a software one Dawn skips)';
  log(`dawn.node: ${note}`);
  return { gpu, adapter, note };
}

export function adapterInfo(adapter: GPUAdapter): Record<string, unknown> {
  const { vendor, architecture, device, description } = adapter.info;
  return {
    vendor,
    architecture,
    device,
    description,
    features: [...adapter.features].sort(),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
