/**
 * Bench-only page for bench/bench.ts. Both contenders run off the main thread: tabembed
 * through the public createEmbedder() (its own worker, Comlink), transformers.js's pipeline in
 * e2e/pages/transformers-worker.ts, and the query baseline, a bare session, in
 * e2e/pages/bare-session-worker.ts. Every timing is taken here, on the main thread, around the
 * call that returns the vectors to the page, so both include their worker round trip.
 */
import * as Comlink from 'comlink';
import { createEmbedder, type Embedder, type EmbedderInfo } from '../../src/client/index.ts';
import type { Dtype } from '../../src/core/types.ts';
import type { BareSessionWorkerApi } from './bare-session-worker.ts';
import type { TjsLoadOptions, TransformersWorkerApi } from './transformers-worker.ts';

let embedder: Embedder | undefined;
let worker: Worker | undefined;
let tjs: Comlink.Remote<TransformersWorkerApi> | undefined;

function tjsWorker(): Comlink.Remote<TransformersWorkerApi> {
  if (!tjs) {
    worker = new Worker(new URL('./transformers-worker.ts', import.meta.url), { type: 'module', name: 'transformers' });
    tjs = Comlink.wrap<TransformersWorkerApi>(worker);
  }
  return tjs;
}

let bare: Comlink.Remote<BareSessionWorkerApi> | undefined;

function bareWorker(): Comlink.Remote<BareSessionWorkerApi> {
  bare ??= Comlink.wrap<BareSessionWorkerApi>(
    new Worker(new URL('./bare-session-worker.ts', import.meta.url), { type: 'module', name: 'bare-session' }),
  );
  return bare;
}

/** The same thread count tabembed's worker picks (workers/embed.worker.ts), for a like-for-like run. */
const numThreads = (): number => (self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1);

export interface RunResult {
  ms: number;
  n: number;
  dims: number;
  /** The first rows' vectors, to check both contenders compute the same thing. */
  head: number[][];
  batches?: number;
}

function head(vectors: readonly ArrayLike<number>[], rows = 3): number[][] {
  return vectors.slice(0, rows).map((v) => Array.from(v));
}

const bench = {
  env: () => ({
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    numThreads: numThreads(),
  }),

  async tabembedLoad(
    url: string,
    dtype: Dtype,
    device: 'wasm' | 'webgpu',
  ): Promise<{ ms: number; info: EmbedderInfo }> {
    const t0 = performance.now();
    // The default load, as a user's first visit: each launch has a fresh profile, so the files are
    // downloaded into the OPFS cache and onnxruntime reads the weights from there (README, "The
    // graph is prepared…"), not from a copy of the file held in JavaScript.
    embedder = await createEmbedder({ model: { url }, dtype, device });
    return { ms: performance.now() - t0, info: embedder.info() };
  },
  async tabembedRun(texts: string[]): Promise<RunResult> {
    if (!embedder) throw new Error('tabembedLoad() first');
    const t0 = performance.now();
    const vectors = await embedder.embed(texts);
    const ms = performance.now() - t0;
    return { ms, n: vectors.length, dims: vectors[0]?.length ?? 0, head: head(vectors) };
  },
  async tabembedDispose(): Promise<void> {
    await embedder?.dispose();
    embedder = undefined;
  },

  async tjsLoad(options: Omit<TjsLoadOptions, 'numThreads'>): Promise<{ ms: number }> {
    return tjsWorker().load({ ...options, numThreads: numThreads() });
  },
  async tjsRun(texts: string[], batch: number): Promise<RunResult> {
    const t0 = performance.now();
    const out = await tjsWorker().run(texts, batch);
    const ms = performance.now() - t0;
    const rows = Array.from({ length: Math.min(3, texts.length) }, (_, i) =>
      out.vectors.subarray(i * out.dims, (i + 1) * out.dims),
    );
    return {
      ms,
      n: out.vectors.length / Math.max(1, out.dims),
      dims: out.dims,
      head: head(rows),
      batches: out.batches,
    };
  },
  async tjsInfo() {
    return tjsWorker().info();
  },

  /** The baseline: tabembed's onnxruntime build and prepared graph, in a worker of its own (bare-session-worker.ts). */
  async bareLoad(url: string, file: string, externalData: string[]): Promise<{ build: string }> {
    return bareWorker().load(url, file, externalData, numThreads());
  },
  /**
   * The warm query, tabembed's `embed([text])` and the bare `session.run` taken in turn, run by
   * run: both see the same moment of the machine, and the same state of V8's tiering (the
   * renderer shares one compiled onnxruntime wasm between the two workers, and its kernels move
   * from Liftoff to TurboFan code within the first second or so of use).
   */
  async queryPairs(
    text: string,
    ids: number[],
    padId: number,
    runs: number,
  ): Promise<{ tabembed: number[]; bare: number[] }> {
    if (!embedder) throw new Error('tabembedLoad() first');
    const tabembed: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await embedder.embed([text]);
      tabembed.push(performance.now() - t0);
      bare.push(...(await bareWorker().query(ids, padId, 1)));
    }
    return { tabembed, bare };
  },
  bareKernels: (texts: number[][], padId: number): Promise<number> => bareWorker().kernels(texts, padId),
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}

window.bench = bench;
document.body.dataset['ready'] = 'true';
