import type { AdapterSummary, DeviceName } from '../core/types.ts';
import { describeAdapter, isSoftwareAdapter } from '../core/webgpu-adapter.ts';

export interface DeviceDecision {
  device: DeviceName;
  reason: string;
}

/**
 * `'auto'` takes WebGPU only on a real GPU: a software or fallback adapter (SwiftShader, llvmpipe,
 * WARP) runs Qwen3 roughly 100× slower than WASM (see ENVIRONMENT.md), so it gets WASM.
 * A forced `'webgpu'` is honoured on any adapter, software ones included.
 */
export function chooseDevice(requested: DeviceName | 'auto', adapter: AdapterSummary | undefined): DeviceDecision {
  switch (requested) {
    case 'wasm':
      return { device: 'wasm', reason: 'wasm was requested' };
    case 'cpu':
      return { device: 'cpu', reason: 'native CPU (onnxruntime-node) was requested' };
    case 'webgpu':
      if (!adapter) return { device: 'webgpu', reason: 'webgpu was requested but no adapter is available' };
      return { device: 'webgpu', reason: `webgpu was requested (adapter: ${describeAdapter(adapter)})` };
    case 'auto': {
      if (!adapter) return { device: 'wasm', reason: 'no WebGPU adapter is available' };
      if (isSoftwareAdapter(adapter)) {
        return {
          device: 'wasm',
          reason: `the WebGPU adapter is a software renderer (${describeAdapter(adapter)}), slower than WASM`,
        };
      }
      return { device: 'webgpu', reason: `a hardware WebGPU adapter is available (${describeAdapter(adapter)})` };
    }
    default: {
      const unreachable: never = requested;
      throw new Error(`unknown device ${String(unreachable)}`);
    }
  }
}
