import * as ort from 'onnxruntime-web/webgpu';
import type { DeviceName } from '../core/types.ts';
import { sessionOptions, type ExternalDataFile, type OrtRuntime } from './runtime.ts';

/**
 * onnxruntime-web, the WebGPU build (it runs WASM too). `onnxruntime-web/webgpu` is the entry
 * @huggingface/transformers imports, so the worker bundle holds one copy of onnxruntime.
 */
export interface OrtWebSettings {
  /** Where the ort-wasm-*.{mjs,wasm} files are served: a folder URL, or each file's own URL. */
  wasmPaths?: string | { mjs: string; wasm: string };
  numThreads?: number;
}

export function ortWebRuntime(settings: OrtWebSettings = {}): OrtRuntime {
  if (settings.wasmPaths !== undefined) ort.env.wasm.wasmPaths = settings.wasmPaths;
  if (settings.numThreads !== undefined) ort.env.wasm.numThreads = settings.numThreads;
  return {
    name: `onnxruntime-web ${ort.env.versions.web ?? ''}`.trim(),
    Tensor: ort.Tensor,
    devices: ['webgpu', 'wasm'],
    createSession(model: Uint8Array, externalData: ExternalDataFile[], device: DeviceName, options = {}) {
      const onDevice = device === 'webgpu' && options.outputsOnDevice === true;
      return ort.InferenceSession.create(model, sessionOptions(device === 'webgpu' ? 'webgpu' : 'wasm', externalData, onDevice ? { preferredOutputLocation: 'gpu-buffer' } : {}));
    },
  };
}
