import type { AdapterSummary, DeviceName } from '../core/types.ts';
import { chooseDevice } from './device-choice.ts';

/**
 * The onnxruntime-web 1.30 build a browser worker loads. All three run the same C++ kernels;
 * they differ in whether they carry the WebGPU EP and in how its C++ waits for the GPU (a
 * promise in JS), and that decides how fast their CPU kernels run:
 *  - `jspi` (`onnxruntime-web/jspi`, 16.8 MB wasm): suspends through WebAssembly JS Promise
 *    Integration, a browser feature, so the wasm needs no instrumentation. WebGPU EP, and WASM
 *    as fast as the plain build's; its loader can also await reads, so external data may be a
 *    Blob (`blobExternalData`). Needs `WebAssembly.Suspending` (Chromium ≥ 137).
 *  - `asyncify` (`onnxruntime-web/webgpu`, 26.8 MB): Emscripten's asyncify rewrites every
 *    function that may suspend so it can unwind and rewind its stack. WebGPU EP, but its WASM
 *    took up to 3× the CPU time per batch on the tiny model, and its module is the slowest to
 *    compile (README "Decisions worth knowing" has the measurements).
 *  - `plain` (`onnxruntime-web/wasm`, 14.2 MB): no WebGPU EP; WASM at full speed.
 */
export type OrtWebBuild = 'jspi' | 'asyncify' | 'plain';

export interface OrtWebBuildDecision {
  build: OrtWebBuild;
  reason: string;
}

/**
 * JSPI wherever the browser has it: one build serves WebGPU, the WASM probe at load, the backend
 * race and the WASM fallback, all at full speed, and reads weights from a Blob. (The plain build
 * ran WASM batches no faster, within this machine's noise, and created sessions 1–2.5 s sooner,
 * but it cannot read a Blob.) Without JSPI, the device decides (`chooseDevice`, the same rule the
 * engine applies): asyncify only when the model will run on WebGPU, whose probe and fallback then
 * run on asyncify's slower WASM; the plain build otherwise.
 *
 * @example
 *   chooseOrtWebBuild('auto', undefined, true)  // { build: 'jspi', reason: 'the browser has JSPI …' }
 *   chooseOrtWebBuild('auto', undefined, false) // { build: 'plain', reason: 'no JSPI, and the device is wasm (no WebGPU adapter is available)' }
 */
export function chooseOrtWebBuild(
  requested: DeviceName | 'auto',
  adapter: AdapterSummary | undefined,
  hasJspi: boolean,
): OrtWebBuildDecision {
  if (hasJspi)
    return {
      build: 'jspi',
      reason: 'the browser has JSPI (WebAssembly.Suspending): one build for WebGPU and full-speed WASM',
    };
  const device = chooseDevice(requested, adapter);
  if (device.device === 'webgpu')
    return { build: 'asyncify', reason: `no JSPI, and the device is webgpu (${device.reason})` };
  return { build: 'plain', reason: `no JSPI, and the device is ${device.device} (${device.reason})` };
}

/** Whether this JS engine offers WebAssembly JS Promise Integration, the test onnxruntime-web's JSPI build makes itself. */
export function hasJspi(): boolean {
  return typeof WebAssembly !== 'undefined' && 'Suspending' in WebAssembly;
}
