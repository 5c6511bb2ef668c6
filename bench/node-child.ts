/**
 * The child side of a Node run: one contender (tabembed or transformers.js) in its own process,
 * so memory peaks never mix. node-runs.ts spawns this file with a job file; it prints one
 * tagged JSON line with the result.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toModelIds } from '../src/core/model-ids.ts';
import { buildPrompt } from '../src/core/prompt.ts';
import { FILE_OF, type Dtype } from './bench-args.ts';

const require = createRequire(import.meta.url);
export const RESULT_TAG = '@@BENCH_RESULT@@';

export type Job =
  | { kind: 'tabembed'; model: string; dtype: Dtype; backend: 'native' | 'wasm'; textsFile: string; reps: number }
  | {
      kind: 'tjs';
      modelRoot: string;
      modelId: string;
      dtype: Dtype;
      runtime: 'node' | 'wasm';
      batch: number;
      textsFile: string;
      reps: number;
    }
  | {
      kind: 'query';
      model: string;
      dtype: Dtype;
      backend: 'native' | 'wasm';
      text: string;
      runs: number;
      /** Texts whose bare session.run time, one per run, is the kernels' floor (`kernelMs`). */
      textsFile?: string;
    };

export interface ChildResult {
  ok: boolean;
  error?: string;
  loadMs?: number;
  ms?: number;
  n?: number;
  tokens?: number;
  batches?: number;
  head?: number[][];
  /** VmHWM: the process's peak resident set, load included. */
  peakRss?: number;
  /** VmRSS once loaded and warmed up. */
  rssLoaded?: number;
  /** CPU time (user + system) over the measured phase. */
  cpuMs?: number;
  tabembedTimes?: number[];
  bareTimes?: number[];
  /** Query jobs with texts: the bare session.run time summed over them, one text per run. */
  kernelMs?: number;
}

export function procStatus(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function cpuMsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function tjsPipeline(job: Extract<Job, { kind: 'tjs' }>) {
  if (job.runtime === 'wasm') {
    // transformers.js in Node always picks onnxruntime-node, unless a runtime is handed over
    // through this symbol. Give it onnxruntime-web configured like tabembed's --backend wasm
    // (plain wasm build, bytes, the same thread count); local wasmPaths keep it off its CDN default.
    const ortWeb = await import('onnxruntime-web');
    const wasm = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
    ortWeb.env.wasm.wasmBinary = readFileSync(wasm);
    ortWeb.env.wasm.wasmPaths = `${pathToFileURL(dirname(wasm)).href}/`;
    ortWeb.env.wasm.numThreads = Math.min(4, availableParallelism());
    (globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ortWeb;
  }
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = job.modelRoot.endsWith('/') ? job.modelRoot : `${job.modelRoot}/`;
  return job.runtime === 'wasm'
    ? pipeline('feature-extraction', job.modelId, {
        dtype: job.dtype,
        device: 'auto',
        session_options: { executionProviders: ['wasm'] },
      })
    : pipeline('feature-extraction', job.modelId, { dtype: job.dtype, device: 'cpu' });
}

export async function runChild(job: Job): Promise<ChildResult> {
  if (job.kind === 'query') return runQueryChild(job);
  const texts = (JSON.parse(readFileSync(job.textsFile, 'utf8')) as string[]).slice();
  // One unmeasured pass over the texts: V8 tiers wasm kernels up from Liftoff to TurboFan while
  // they run (ENVIRONMENT.md), and a measured run should find them settled, whoever runs them.
  const warm = texts;
  const t0 = performance.now();
  if (job.kind === 'tabembed') {
    const { createNodeEmbedder } = await import('../src/node/node-embedder.ts');
    const engine = await createNodeEmbedder({ model: job.model, dtype: job.dtype, backend: job.backend });
    const loadMs = performance.now() - t0;
    await engine.embed(warm);
    const rssLoaded = procStatus('VmRSS');
    let ms = Infinity;
    let cpuMs = NaN;
    let out = await engine.embed(warm);
    for (let rep = 0; rep < job.reps; rep++) {
      const c0 = cpuMsNow();
      const t1 = performance.now();
      out = await engine.embed(texts);
      const took = performance.now() - t1;
      if (took < ms) [ms, cpuMs] = [took, cpuMsNow() - c0];
    }
    const head = [0, 1, 2].map((i) => Array.from(out.vectors.subarray(i * out.dimensions, (i + 1) * out.dimensions)));
    const tokens = out.tokens.reduce((a, b) => a + b, 0);
    await engine.dispose();
    return { ok: true, loadMs, ms, n: texts.length, tokens, head, rssLoaded, cpuMs, peakRss: procStatus('VmHWM') };
  }
  const extractor = await tjsPipeline(job);
  const loadMs = performance.now() - t0;
  (await extractor(warm, { pooling: 'last_token', normalize: true })).dispose();
  const rssLoaded = procStatus('VmRSS');
  const size = job.batch > 0 ? job.batch : texts.length;
  let head: number[][] = [];
  let batches = 0;
  let ms = Infinity;
  let cpuMs = NaN;
  for (let rep = 0; rep < job.reps; rep++) {
    const c0 = cpuMsNow();
    const t1 = performance.now();
    head = [];
    batches = 0;
    for (let i = 0; i < texts.length; i += size) {
      const out = await extractor(texts.slice(i, i + size), { pooling: 'last_token', normalize: true });
      const dims = out.dims[1] ?? 0;
      const data = out.data as Float32Array;
      for (let r = 0; head.length < 3 && r < (out.dims[0] ?? 0); r++)
        head.push(Array.from(data.subarray(r * dims, (r + 1) * dims)));
      out.dispose();
      batches++;
    }
    const took = performance.now() - t1;
    if (took < ms) [ms, cpuMs] = [took, cpuMsNow() - c0];
  }
  await extractor.dispose();
  return { ok: true, loadMs, ms, n: texts.length, head, batches, rssLoaded, cpuMs, peakRss: procStatus('VmHWM') };
}

/** Warm single short query: tabembed's embed() vs a bare session.run on the same tensors, interleaved. */
async function runQueryChild(job: Extract<Job, { kind: 'query' }>): Promise<ChildResult> {
  const { createNodeEmbedder } = await import('../src/node/node-embedder.ts');
  const { leftPad } = await import('../src/core/left-pad.ts');
  const engine = await createNodeEmbedder({ model: job.model, dtype: job.dtype, backend: job.backend });
  const tokenizer = await loadTokenizer(job.model);
  const ids = toModelIds(tokenizer, buildPrompt(job.text, 'document'), tokenizer.eosId, 8192);
  const config = JSON.parse(readFileSync(join(job.model, 'config.json'), 'utf8')) as Record<string, number>;
  const { file, external } = FILE_OF[job.dtype];
  const options = { graphOptimizationLevel: 'all' as const };
  // The engine configured the runtime (wasm binary, threads) on this same module instance.
  const ort = job.backend === 'native' ? await import('onnxruntime-node') : await import('onnxruntime-web');
  // The graph tabembed runs (src/engine/graph/: per-row q8 activations), as Chromium's bare session uses it.
  const { prepareGraph } = await import('../src/engine/graph/prepare-graph.ts');
  const prepared = await prepareGraph(
    readFileSync(join(job.model, 'onnx', file)),
    file,
    external.map((path) => ({ path, data: readFileSync(join(job.model, 'onnx', path)) })),
  );
  const externalData = prepared.externalData.map(({ path, data }) => {
    if (!(data instanceof Uint8Array)) throw new Error(`prepareGraph gave ${path} as a Blob; bytes were expected`);
    return { path, data };
  });
  const session = await ort.InferenceSession.create(prepared.graph, {
    ...options,
    executionProviders: [job.backend === 'native' ? 'cpu' : 'wasm'],
    ...(externalData.length > 0 ? { externalData } : {}),
  });
  const kv = config['num_key_value_heads'] ?? 1;
  const headDim = config['head_dim'] ?? (config['hidden_size'] ?? 0) / (config['num_attention_heads'] ?? 1);
  /** One text's feeds, left-padded as tabembed pads them. */
  const feedsOf = (textIds: number[]): Record<string, InstanceType<typeof ort.Tensor>> => {
    const batch = leftPad([textIds], tokenizer.eosId);
    const shape = [1, batch.length];
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      input_ids: new ort.Tensor('int64', batch.inputIds, shape),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, shape),
    };
    if (session.inputNames.includes('position_ids'))
      feeds['position_ids'] = new ort.Tensor('int64', batch.positionIds, shape);
    for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values')))
      feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, kv, 0, headDim]);
    return feeds;
  };
  const feeds = feedsOf(ids);
  const output = session.outputNames.includes('last_hidden_state')
    ? 'last_hidden_state'
    : (session.outputNames[0] ?? '');
  const tabembedTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < job.runs + 5; i++) {
    let t = performance.now();
    await engine.embed([job.text]);
    const a = performance.now() - t;
    t = performance.now();
    const out = await session.run(feeds, [output]);
    const b = performance.now() - t;
    out[output]?.dispose();
    if (i >= 5) {
      tabembedTimes.push(a);
      bareTimes.push(b);
    }
  }
  // The kernels' floor on the texts (as bare-session-worker.ts `kernels` measures it in Chromium).
  let kernelMs: number | undefined;
  if (job.textsFile) {
    kernelMs = 0;
    for (const text of JSON.parse(readFileSync(job.textsFile, 'utf8')) as string[]) {
      const textFeeds = feedsOf(toModelIds(tokenizer, buildPrompt(text, 'document'), tokenizer.eosId, 8192));
      const t = performance.now();
      const out = await session.run(textFeeds, [output]);
      kernelMs += performance.now() - t;
      out[output]?.dispose();
    }
  }
  await session.release();
  await engine.dispose();
  return {
    ok: true,
    tabembedTimes,
    bareTimes,
    n: ids.length,
    peakRss: procStatus('VmHWM'),
    ...(kernelMs === undefined ? {} : { kernelMs }),
  };
}

/**
 * Imported on demand: load-tokenizer imports @huggingface/transformers, which picks its
 * onnxruntime once, at import — a child running transformers.js on onnxruntime-web must hand
 * that over before anything imports it.
 */
export async function loadTokenizer(modelDir: string) {
  const { createTokenizer } = await import('../src/model/load-tokenizer.ts');
  return createTokenizer(
    JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')),
    JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')),
    join(modelDir, 'tokenizer.json'),
  );
}

/** Entry: `node-child.ts <job.json>`; a failure is a result too, so the parent always gets a line. */
async function childMain(jobFile: string): Promise<void> {
  let result: ChildResult;
  try {
    result = await runChild(JSON.parse(readFileSync(jobFile, 'utf8')) as Job);
  } catch (error) {
    result = {
      ok: false,
      error: (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 400) ?? '',
      peakRss: procStatus('VmHWM'),
    };
  }
  process.stdout.write(`${RESULT_TAG}${JSON.stringify(result)}\n`);
  process.exit(0);
}

if (process.argv[1] === import.meta.filename && process.argv[2]) void childMain(process.argv[2]);
