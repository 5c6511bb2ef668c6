import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-web';
import type { DeviceName } from '../../core/types.ts';
import { sessionOptions, type ExternalDataFile, type OrtRuntime } from '../runtime.ts';

/**
 * onnxruntime-web's WASM kernels in Node (`--backend wasm`): the browser's CPU path, without a
 * browser.
 *
 * In Node this import resolves to `ort.node.min.mjs` on the plain `ort-wasm-simd-threaded.wasm`,
 * not the 27 MB asyncify build the browser worker uses for WebGPU. With the asyncify build,
 * V8's background TurboFan compile of the module (~40 CPU-seconds) blocks Node's event loop
 * after the first session: the next awaited fs call stalled 29–60 s (measured; same code path
 * as nodejs/node#36616). The plain build's compile is small enough not to stall.
 * The wasm must be handed over as bytes: fetching a file URL fails in Node. Threads work
 * (worker_threads): 2 threads gave 257 texts/s against 216 for 1 on the bench corpus (tiny q8,
 * 2 cores).
 */
export function ortWasmNodeRuntime(): OrtRuntime {
  const require = createRequire(import.meta.url);
  ort.env.wasm.wasmBinary = readFileSync(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  // Threads run on worker_threads; as many as the browser worker takes (up to 4).
  ort.env.wasm.numThreads = Math.min(4, availableParallelism());
  return {
    name: `onnxruntime-web ${ort.env.versions.web ?? ''} (wasm in Node)`.trim(),
    Tensor: ort.Tensor,
    devices: ['wasm'],
    createSession(model: Uint8Array, externalData: ExternalDataFile[], _device: DeviceName) {
      return ort.InferenceSession.create(model, sessionOptions('wasm', externalData));
    },
  };
}
