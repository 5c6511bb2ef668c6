/**
 * Bench-only module worker: the contender. Runs @huggingface/transformers' feature-extraction
 * pipeline exactly as its model card shows (pooling 'last_token', normalize), off the main thread
 * like tabembed's worker, plus a bare onnxruntime-web session for the query-overhead baseline.
 * Driven by e2e/pages/bench-page.ts over Comlink.
 */
import * as Comlink from 'comlink';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web/webgpu';
import { leftPad } from '../../src/core/left-pad.ts';

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
let bare: { session: ort.InferenceSession; kvHeads: number; headDim: number; pastType: 'float32' | 'float16' } | undefined;

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
    return { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, ortWeb: ort.env.versions.web ?? '', transformers: env.version };
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

  /** A bare InferenceSession on the same file tabembed loads, with the same options. */
  async bareLoad(modelUrl: string, file: string, externalData: string[], numThreads: number): Promise<void> {
    configure(numThreads);
    const base = new URL(modelUrl, self.location.href);
    const config = (await (await fetch(new URL('config.json', base))).json()) as Record<string, number>;
    const fetchBytes = async (path: string): Promise<Uint8Array> => new Uint8Array(await (await fetch(new URL(path, base))).arrayBuffer());
    const model = await fetchBytes(`onnx/${file}`);
    const data = await Promise.all(externalData.map(async (name) => ({ path: name, data: await fetchBytes(`onnx/${name}`) })));
    const session = await ort.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      ...(data.length > 0 ? { externalData: data } : {}),
    });
    const hidden = config['hidden_size'] ?? 0;
    const heads = config['num_attention_heads'] ?? 1;
    bare = {
      session,
      kvHeads: config['num_key_value_heads'] ?? heads,
      headDim: config['head_dim'] ?? hidden / heads,
      pastType: file.includes('fp16') ? 'float16' : 'float32',
    };
  },

  /** ms of each `session.run` on the one query's tensors (built once, as tabembed builds them). */
  async bareQuery(ids: number[], padId: number, runs: number): Promise<number[]> {
    if (!bare) throw new Error('bareLoad() first');
    const { session, kvHeads, headDim, pastType } = bare;
    const batch = leftPad([ids], padId);
    const shape = [batch.rows, batch.length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', batch.inputIds, shape),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, shape),
    };
    if (session.inputNames.includes('position_ids')) feeds['position_ids'] = new ort.Tensor('int64', batch.positionIds, shape);
    for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values'))) {
      feeds[name] = pastType === 'float16' ? new ort.Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim]) : new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const output = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : (session.outputNames[0] ?? '');
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const out = await session.run(feeds, [output]);
      times.push(performance.now() - t0);
      out[output]?.dispose();
    }
    return times;
  },
};

export type TransformersWorkerApi = typeof api;
Comlink.expose(api);
