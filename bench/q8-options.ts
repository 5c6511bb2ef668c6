/**
 * Which CPU dtype gives batch-independent vectors at what speed (issue 11): the q8 export as
 * published (per-tensor activation quantisers), the same graph after the engine's per-row rewrite
 * (src/engine/graph/), q4 (MatMulNBits, weight-only) and fp32, each through a bare onnxruntime
 * session on identical left-padded batches, on onnxruntime-node and on onnxruntime-web's WASM in
 * Node (the browser's kernels). Prints and writes bench/q8-options.md.
 *
 *     npx tsx bench/q8-options.ts [--model <dir>] [--runs N]
 *
 * Default model: the real-width fixture preset qwen3-0.6b-2l (npm run fixture -- --preset
 * qwen3-0.6b-2l). Per batch shape: median ms of N runs after one warm-up; "cos vs fp32": the
 * worst cosine of a row's last-token state against the fp32 graph's; "alone vs batched": the
 * worst cosine of a row run alone against the same row in the batch.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { cosine } from '../src/core/cosine.ts';
import { leftPad } from '../src/core/left-pad.ts';
import { prepareGraph } from '../src/engine/graph/prepare-graph.ts';
import { argValue, ROOT } from './bench-args.ts';

const MODEL = argValue('--model') ?? join(tmpdir(), 'tbench-models/qwen3-wide-2l');
const RUNS = Number(argValue('--runs') ?? 7);
const SHAPES = [
  { rows: 1, length: 32 },
  { rows: 8, length: 128 },
] as const;

type Option = 'q8 per-tensor (as published)' | 'q8 per-row (engine rewrite)' | 'q4' | 'fp32';
const OPTIONS: { name: Option; file: string; data?: string; rewrite: boolean }[] = [
  { name: 'q8 per-tensor (as published)', file: 'model_quantized.onnx', rewrite: false },
  { name: 'q8 per-row (engine rewrite)', file: 'model_quantized.onnx', rewrite: true },
  { name: 'q4', file: 'model_q4.onnx', rewrite: true },
  { name: 'fp32', file: 'model.onnx', data: 'model.onnx_data', rewrite: true },
];

interface Config {
  hidden_size: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
}

const config = JSON.parse(readFileSync(join(MODEL, 'config.json'), 'utf8')) as Config;
const require = createRequire(import.meta.url);
ortWeb.env.wasm.wasmBinary = readFileSync(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
ortWeb.env.wasm.numThreads = Math.min(4, availableParallelism());

/** Deterministic token rows: row r of a shape has length - 3r tokens (some padding), the last one EOS. */
function rowsOf(shape: { rows: number; length: number }): number[][] {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: shape.rows }, (_, r) => [
    ...Array.from({ length: Math.max(2, shape.length - 3 * r) - 1 }, () => 1000 + (next() % 100000)),
    151643,
  ]);
}

type Session = ortNode.InferenceSession;

async function openSession(backend: 'native' | 'wasm', option: (typeof OPTIONS)[number]): Promise<Session> {
  const file = new Uint8Array(readFileSync(join(MODEL, 'onnx', option.file)));
  const data = option.data
    ? [{ path: option.data, data: new Uint8Array(readFileSync(join(MODEL, 'onnx', option.data))) }]
    : [];
  const prepared = option.rewrite ? await prepareGraph(file, option.file, data) : { graph: file, externalData: data };
  const options = {
    executionProviders: [backend === 'native' ? 'cpu' : 'wasm'],
    graphOptimizationLevel: 'all' as const,
    externalData: prepared.externalData,
  };
  return backend === 'native'
    ? ortNode.InferenceSession.create(prepared.graph, options)
    : ortWeb.InferenceSession.create(prepared.graph, options);
}

/** Last-token hidden state of each row. */
async function run(session: Session, backend: 'native' | 'wasm', rows: number[][]): Promise<Float32Array[]> {
  const Tensor = backend === 'native' ? ortNode.Tensor : ortWeb.Tensor;
  const batch = leftPad(rows, 151643);
  const shape = [batch.rows, batch.length];
  const feeds: Record<string, ortNode.Tensor> = {
    input_ids: new Tensor('int64', batch.inputIds, shape),
    attention_mask: new Tensor('int64', batch.attentionMask, shape),
  };
  if (session.inputNames.includes('position_ids'))
    feeds['position_ids'] = new Tensor('int64', batch.positionIds, shape);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    feeds[name] = new Tensor('float32', new Float32Array(0), [
      batch.rows,
      config.num_key_value_heads,
      0,
      config.head_dim,
    ]);
  }
  const out = (await session.run(feeds, ['last_hidden_state']))['last_hidden_state'];
  const data = out?.data as Float32Array;
  const h = config.hidden_size;
  return rows.map((_, r) => data.slice(((r + 1) * batch.length - 1) * h, (r + 1) * batch.length * h));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Result {
  option: Option;
  ms: number[];
  vsFp32: number;
  alone: number;
}

/**
 * Options run in pairs, their runs interleaved (A, B, A, B, …), so a busy machine slows both
 * alike and the pair's ratio holds; the q8 pair is the comparison that matters, and four
 * sessions of a 0.6B-wide model would not fit one wasm heap.
 */
const PAIRS: Option[][] = [
  ['fp32', 'q4'],
  ['q8 per-tensor (as published)', 'q8 per-row (engine rewrite)'],
];

async function measure(backend: 'native' | 'wasm', names: Option[], fp32: Float32Array[][]): Promise<Result[]> {
  const options = names.map((name) => OPTIONS.find((o) => o.name === name) ?? OPTIONS[0]!);
  const sessions = await Promise.all(options.map((option) => openSession(backend, option)));
  const results: Result[] = options.map((option) => ({ option: option.name, ms: [], vsFp32: 1, alone: 1 }));
  for (const [s, shape] of SHAPES.entries()) {
    const rows = rowsOf(shape);
    const times: number[][] = options.map(() => []);
    for (const [i, session] of sessions.entries()) {
      const vectors = await run(session, backend, rows);
      const result = results[i]!;
      if (result.option === 'fp32') fp32[s] = vectors;
      vectors.forEach((v, r) => (result.vsFp32 = Math.min(result.vsFp32, cosine(v, fp32[s]?.[r] ?? v))));
      if (rows.length > 1) {
        const single = await run(session, backend, [rows.at(-1) ?? []]);
        result.alone = Math.min(
          result.alone,
          cosine(single[0] ?? new Float32Array(), vectors.at(-1) ?? new Float32Array()),
        );
      }
    }
    for (let r = 0; r < RUNS; r++) {
      for (const [i, session] of sessions.entries()) {
        const started = performance.now();
        await run(session, backend, rows);
        times[i]!.push(performance.now() - started);
      }
    }
    times.forEach((t, i) => results[i]!.ms.push(median(t)));
  }
  for (const session of sessions) await session.release();
  for (const r of results)
    console.log(
      `${backend} ${r.option}: ${r.ms.map((m) => m.toFixed(1)).join(' / ')} ms, cos vs fp32 ${r.vsFp32.toFixed(6)}, alone vs batched ${r.alone.toFixed(9)}`,
    );
  return results;
}

async function main(): Promise<void> {
  if (!existsSync(join(MODEL, 'onnx/model_quantized.onnx')))
    throw new Error(`${MODEL} lacks model_quantized.onnx: run npm run fixture -- --preset qwen3-0.6b-2l`);
  const load = [loadavg()[0] ?? NaN];
  const lines: string[] = [];
  for (const backend of ['native', 'wasm'] as const) {
    const fp32: Float32Array[][] = [];
    const results: Result[] = [];
    for (const pair of PAIRS) results.push(...(await measure(backend, pair, fp32)));
    const byOption = new Map(results.map((r) => [r.option, r]));
    const perRow = byOption.get('q8 per-row (engine rewrite)');
    const perTensor = byOption.get('q8 per-tensor (as published)');
    lines.push(`| **${backend === 'native' ? 'onnxruntime-node' : 'onnxruntime-web WASM in Node'}** | | | | |`);
    for (const option of OPTIONS) {
      const r = byOption.get(option.name);
      if (r)
        lines.push(
          `| ${r.option} | ${r.ms.map((m) => m.toFixed(1)).join(' | ')} | ${r.vsFp32.toFixed(6)} | ${r.alone.toFixed(9)} |`,
        );
    }
    if (perRow && perTensor)
      lines.push(
        `| per-row ÷ per-tensor time | ${perRow.ms.map((m, i) => (m / (perTensor.ms[i] ?? NaN)).toFixed(3)).join(' | ')} | | |`,
      );
  }
  load.push(loadavg()[0] ?? NaN);
  const header = `| option | ms ${SHAPES.map((s) => `${s.rows}×${s.length}`).join(' | ms ')} | cos vs fp32 | alone vs batched |\n|---|${SHAPES.map(() => '---|').join('')}---|---|`;
  const md = [
    '# q8 options on the CPU',
    '',
    `Written by \`npx tsx bench/q8-options.ts\` (see its header) on ${new Date().toISOString().slice(0, 10)}: model \`${MODEL.replace(tmpdir(), '<tmpdir>')}\`, ${RUNS} interleaved runs per shape (median), ${ortWeb.env.wasm.numThreads} WASM threads, load average ${load.map((l) => l.toFixed(1)).join(' → ')}. Rows are timed in pairs (fp32 with q4, the two q8 graphs together); compare times within a pair.`,
    '',
    header,
    ...lines,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench/q8-options.md'), md);
  console.log(`\n${md}`);
}

await main();
process.exit(0);
