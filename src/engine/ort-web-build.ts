import type { AdapterSummary, DeviceName } from '../core/types.ts';
import { chooseDevice } from './device-choice.ts';

/**
 * The onnxruntime-web 1.30 build a browser worker loads. All three run the same C++ kernels;
 * they differ in how the WebGPU EP's C++ waits for the GPU (a promise in JS), and that decides
 * how fast the CPU kernels run:
 *  - `jspi` (`onnxruntime-web/jspi`, 16.8 MB wasm): suspends through WebAssembly JS Promise
 *    Integration, a browser feature, so the wasm needs no instrumentation. WebGPU EP and WASM
 *    both, at full CPU speed. Needs `WebAssembly.Suspending` (Chromium ≥ 137).
 *  - `asyncify` (`onnxruntime-web/webgpu`, 26.8 MB): Emscripten's asyncify rewrites every
 *    function that may suspend so it can unwind and rewind its stack. WebGPU EP and WASM both,
 *    but that instrumentation makes the CPU kernels several times slower (issue 13's
 *    measurements in README "Decisions worth knowing").
 *  - `plain` (`onnxruntime-web/wasm`, 14.2 MB): no WebGPU EP; WASM at full speed.
 */
export type OrtWebBuild = 'jspi' | 'asyncify' | 'plain';

export interface OrtWebBuildDecision {
  build: OrtWebBuild;
  reason: string;
}

/**
 * JSPI wherever the browser has it: one build serves WebGPU, the WASM probe at load and the WASM
 * fallback, all at full speed. Without JSPI, the device decides: asyncify only when the model
 * will run on WebGPU (its canary and fallback then run on asyncify's slower WASM), the plain
 * build otherwise. The device is decided by `chooseDevice`, the same rule the engine applies.
 *
 * @example
 *   chooseOrtWebBuild('auto', undefined, true)  // { build: 'jspi', reason: 'the browser has JSPI …' }
 *   chooseOrtWebBuild('auto', undefined, false) // { build: 'plain', reason: 'no JSPI, and the device is wasm …' }
 */
export function chooseOrtWebBuild(requested: DeviceName | 'auto', adapter: AdapterSummary | undefined, hasJspi: boolean): OrtWebBuildDecision {
  if (hasJspi) return { build: 'jspi', reason: 'the browser has JSPI (WebAssembly.Suspending): one build for WebGPU and full-speed WASM' };
  const device = chooseDevice(requested, adapter);
  if (device.device === 'webgpu') return { build: 'asyncify', reason: `no JSPI, and the device is webgpu (${device.reason})` };
  return { build: 'plain', reason: `no JSPI, and the device is ${device.device} (${device.reason})` };
}

/** Whether this JS engine offers WebAssembly JS Promise Integration, the test onnxruntime-web's JSPI build makes itself. */
export function hasJspi(): boolean {
  return typeof WebAssembly !== 'undefined' && 'Suspending' in WebAssembly;
}
