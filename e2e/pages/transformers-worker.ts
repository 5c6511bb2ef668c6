/**
 * Bench-only module worker: the contender. Runs @huggingface/transformers' feature-extraction
 * pipeline exactly as its model card shows (pooling 'last_token', normalize), off the main thread
 * like tabembed's worker.
 * Driven by e2e/pages/bench-page.ts over Comlink.
 */
import * as Comlink from 'comlink';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web/webgpu';

// transformers.js points wasmPaths at a CDN on import; this app serves ort's runtime at /ort/
// (vite.config.ts; the bench serves the app at the root).
const ORT_PATH = new URL('/ort/', self.location.href).href;

export interface TjsLoadOptions {
  modelId: string;
  localModelPath: string;
  dtype: 'fp32' | 'fp16' | 'q8' | 'q4';
  device: 'wasm' | 'webgpu';
  numThreads: number;
}

export interface TjsRunResult {
  ms: number;
  /** [n × dims], row-major. */
  vectors: Float32Array;
  dims: number;
  batches: number;
}

let extractor: FeatureExtractionPipeline | undefined;

function configure(numThreads: number): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.backends.onnx.wasm!.wasmPaths = ORT_PATH;
  env.backends.onnx.wasm!.numThreads = numThreads;
  ort.env.wasm.wasmPaths = ORT_PATH;
  ort.env.wasm.numThreads = numThreads;
}

const api = {
  info() {
    return {
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      ortWeb: ort.env.versions.web ?? '',
      transformers: env.version,
    };
  },

  async load(options: TjsLoadOptions): Promise<{ ms: number }> {
    configure(options.numThreads);
    env.localModelPath = options.localModelPath;
    const t0 = performance.now();
    extractor = await pipeline('feature-extraction', options.modelId, { dtype: options.dtype, device: options.device });
    return { ms: performance.now() - t0 };
  },

  /** `batch` 0 = the whole list in one call (transformers.js's default use). */
  async run(texts: string[], batch: number): Promise<TjsRunResult> {
    if (!extractor) throw new Error('load() first');
    const size = batch > 0 ? batch : texts.length;
    const t0 = performance.now();
    let vectors: Float32Array | undefined;
    let dims = 0;
    let batches = 0;
    for (let i = 0; i < texts.length; i += size) {
      const out = await extractor(texts.slice(i, i + size), { pooling: 'last_token', normalize: true });
      dims = out.dims[1] ?? 0;
      vectors ??= new Float32Array(texts.length * dims);
      vectors.set(out.data as Float32Array, i * dims);
      out.dispose();
      batches++;
    }
    const ms = performance.now() - t0;
    const result = { ms, vectors: vectors ?? new Float32Array(0), dims, batches };
    return Comlink.transfer(result, [result.vectors.buffer]);
  },

  async dispose(): Promise<void> {
    await extractor?.dispose();
    extractor = undefined;
  },
};

export type TransformersWorkerApi = typeof api;
Comlink.expose(api);
