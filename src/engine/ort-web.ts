import * as ort from 'onnxruntime-web/webgpu';
import type { DeviceName } from '../core/types.ts';
import type { ExternalDataFile, OrtRuntime } from './runtime.ts';

/**
 * onnxruntime-web, the WebGPU build (it runs WASM too). `onnxruntime-web/webgpu` is the entry
 * @huggingface/transformers imports, so the worker bundle holds one copy of onnxruntime.
 */
export interface OrtWebSettings {
  /** Where the ort-wasm-*.{mjs,wasm} files are served, when the bundler does not place them. */
  wasmPaths?: string;
  /** The wasm binary itself (Node, where fetching a file URL fails). */
  wasmBinary?: Uint8Array;
  numThreads?: number;
}

export function ortWebRuntime(settings: OrtWebSettings = {}, devices: readonly DeviceName[] = ['webgpu', 'wasm']): OrtRuntime {
  if (settings.wasmPaths !== undefined) ort.env.wasm.wasmPaths = settings.wasmPaths;
  if (settings.wasmBinary !== undefined) ort.env.wasm.wasmBinary = settings.wasmBinary;
  if (settings.numThreads !== undefined) ort.env.wasm.numThreads = settings.numThreads;
  return {
    name: `onnxruntime-web ${ort.env.versions.web ?? ''}`.trim(),
    Tensor: ort.Tensor,
    devices,
    createSession(model: Uint8Array, externalData: ExternalDataFile[], device: DeviceName, options = {}) {
      return ort.InferenceSession.create(model, {
        executionProviders: [device === 'webgpu' ? 'webgpu' : 'wasm'],
        graphOptimizationLevel: 'all',
        ...(device === 'webgpu' && options.outputsOnDevice ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
        ...(externalData.length > 0 ? { externalData } : {}),
      });
    },
  };
}
