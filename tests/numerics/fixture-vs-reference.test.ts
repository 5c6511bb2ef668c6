/**
 * The generated tiny Qwen3 fixture, run through onnxruntime (node native and web WASM) on a
 * LEFT-PADDED batch, must give each row's last-position hidden state that an independent
 * float64 reference computes on that row's UNPADDED ids. Agreement therefore covers
 * embedding, RMSNorm, q/k norm, RoPE, GQA, the causal and padding masks, SwiGLU and the
 * quantised weight layouts at once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.js';
import { loadReferenceWeights, type ReferenceWeights } from '../reference/onnx-weights.js';
import { leftPaddedBatch, lastPositions, testSequences } from '../reference/padded-batch.js';
import { cosine, maxAbsDiff, qwen3Forward } from '../reference/qwen3-forward.js';
import { readReferenceConfig, type ReferenceConfig } from '../reference/reference-config.js';
import { halfToNumber } from '../reference/tensor-data.js';

const OUT_DIR = 'public/models';
const MODEL_DIR = join(OUT_DIR, 'qwen3-tiny');
const NOPAST_DIR = join(OUT_DIR, 'qwen3-tiny-nopast');
/**
 * The tiny model's q4f16 export lives outside public/: the e2e suite relies on the public fixture
 * lacking model_q4f16.onnx (a forced dtype the repo lacks must fail), and WebGPU's auto choice
 * would otherwise move to it.
 */
const Q4F16_DIR = join(tmpdir(), 'tabembed-fixture-q4f16', 'qwen3-tiny');
/** Different lengths so rows carry 0, 23, 35 and 38 pad tokens; every row ends in EOS. */
const ROWS = testSequences([17, 5, 40, 2]);
const BATCH = leftPaddedBatch(ROWS);

/**
 * Thresholds on cos(onnxruntime row, reference row), the reference running on the very
 * weights stored in the file (dequantised for q4/q8, fp16-decoded for fp16):
 * - fp32: float32 vs float64 arithmetic only.
 * - q4: MatMulNBits with accuracy_level 0 multiplies in float32 with the dequantised
 *   weight, so only float32 rounding remains.
 * - q8: DynamicQuantizeLinear rounds every projection INPUT to 256 levels per tensor (the
 *   whole padded batch shares one scale), an error the weight-only reference cannot see.
 *   Measured min cos 0.99966 (1 - cos = 3.4e-4) on node and WASM with the default seed;
 *   0.997 allows ~9× that error. (For scale: the same tokens reordered score 0.85.)
 * - fp16: activations stored in float16 (≈ 3 significant digits) through 3 layers, with
 *   norms and softmax in float32; measured min cos 0.9999997 (1 - cos = 3e-7); 0.9999
 *   leaves a wide margin for other CPUs' fp16 kernels.
 * - q4f16: the fp16 graph with MatMulNBits on float16 activations and float16 scales; the
 *   reference multiplies with the same dequantised weights, so only float16 rounding remains,
 *   as in fp16. Measured min cos 0.9999998 (1 - cos = 1.6e-7) on node and WASM; 0.9999 as for fp16.
 */
const THRESHOLD = { fp32: 0.99999, q4: 0.9999, q8: 0.997, fp16: 0.9999, q4f16: 0.9999 } as const;

type Dtype = keyof typeof THRESHOLD;
type Backend = 'onnxruntime-node' | 'onnxruntime-web wasm';

interface Case {
  label: string;
  dir: string;
  file: string;
  dtype: Dtype;
  backend: Backend;
}

const CASES: Case[] = [
  { label: 'fp32', dir: MODEL_DIR, file: 'model.onnx', dtype: 'fp32', backend: 'onnxruntime-node' },
  { label: 'q4', dir: MODEL_DIR, file: 'model_q4.onnx', dtype: 'q4', backend: 'onnxruntime-node' },
  { label: 'q8', dir: MODEL_DIR, file: 'model_quantized.onnx', dtype: 'q8', backend: 'onnxruntime-node' },
  { label: 'fp16', dir: MODEL_DIR, file: 'model_fp16.onnx', dtype: 'fp16', backend: 'onnxruntime-node' },
  { label: 'nopast fp32', dir: NOPAST_DIR, file: 'model.onnx', dtype: 'fp32', backend: 'onnxruntime-node' },
  { label: 'q4f16', dir: Q4F16_DIR, file: 'model_q4f16.onnx', dtype: 'q4f16', backend: 'onnxruntime-node' },
  { label: 'fp32', dir: MODEL_DIR, file: 'model.onnx', dtype: 'fp32', backend: 'onnxruntime-web wasm' },
  { label: 'q4', dir: MODEL_DIR, file: 'model_q4.onnx', dtype: 'q4', backend: 'onnxruntime-web wasm' },
  { label: 'q8', dir: MODEL_DIR, file: 'model_quantized.onnx', dtype: 'q8', backend: 'onnxruntime-web wasm' },
  { label: 'fp16', dir: MODEL_DIR, file: 'model_fp16.onnx', dtype: 'fp16', backend: 'onnxruntime-web wasm' },
  { label: 'nopast fp32', dir: NOPAST_DIR, file: 'model.onnx', dtype: 'fp32', backend: 'onnxruntime-web wasm' },
  { label: 'q4f16', dir: Q4F16_DIR, file: 'model_q4f16.onnx', dtype: 'q4f16', backend: 'onnxruntime-web wasm' },
];

interface RunResult {
  last: Float64Array[];
  outputs: Record<string, { dims: readonly number[]; finite: boolean }>;
}

function toNumbers(tensor: ort.Tensor): ArrayLike<number> {
  const data = tensor.data;
  if (tensor.type === 'float16' && data instanceof Uint16Array) return Array.from(data, halfToNumber);
  if (data instanceof Float32Array) return data;
  throw new Error(`unexpected output type ${tensor.type}`);
}

function configureWasm(): void {
  // In Node, onnxruntime-web resolves to dist/ort.node.min.mjs, which loads the plain
  // ort-wasm-simd-threaded build; it cannot fetch() a file URL, so hand it the bytes.
  const require = createRequire(import.meta.url);
  ortWeb.env.wasm.wasmBinary = readFileSync(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  ortWeb.env.wasm.numThreads = 1;
}

async function runFixture(c: Case, cfg: ReferenceConfig): Promise<RunResult> {
  const modelPath = join(c.dir, 'onnx', c.file);
  const dataPath = `${modelPath}_data`;
  // Like the real export, only the KV-layout fp32 and fp16 files keep weights outside.
  const hasData = c.dir === MODEL_DIR && (c.dtype === 'fp32' || c.dtype === 'fp16');
  const externalData = hasData ? [{ path: `${c.file}_data`, data: new Uint8Array(readFileSync(dataPath)) }] : undefined;
  // Both packages share onnxruntime-common: the execution provider name picks the backend
  // ('cpu' → onnxruntime-node's native binding, 'wasm' → onnxruntime-web).
  const session =
    c.backend === 'onnxruntime-node'
      ? await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] })
      : await ortWeb.InferenceSession.create(new Uint8Array(readFileSync(modelPath)), {
          executionProviders: ['wasm'],
          externalData,
        });
  try {
    const { batch, total } = BATCH;
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', BATCH.inputIds, [batch, total]);
      else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', BATCH.attentionMask, [batch, total]);
      else if (name === 'position_ids') feeds[name] = new ort.Tensor('int64', BATCH.positionIds, [batch, total]);
      else if (name.startsWith('past_key_values.')) {
        const dims = [batch, cfg.numKvHeads, 0, cfg.headDim];
        feeds[name] =
          c.dtype === 'fp16' || c.dtype === 'q4f16'
            ? new ort.Tensor('float16', new Uint16Array(0), dims)
            : new ort.Tensor('float32', new Float32Array(0), dims);
      } else throw new Error(`unexpected graph input ${name}`);
    }
    const out = await session.run(feeds);
    const outputs: RunResult['outputs'] = {};
    for (const [name, tensor] of Object.entries(out)) {
      outputs[name] = { dims: tensor.dims, finite: Array.prototype.every.call(toNumbers(tensor), Number.isFinite) };
    }
    const hidden = out.last_hidden_state;
    if (hidden === undefined) throw new Error('no last_hidden_state output');
    return { last: lastPositions(toNumbers(hidden), batch, total, cfg.hiddenSize), outputs };
  } finally {
    await session.release();
  }
}

describe('tiny Qwen3 fixture against the float64 reference', () => {
  let cfg: ReferenceConfig;
  let fp32Weights: ReferenceWeights;
  const minCos: string[] = [];
  const fp32Outputs: RunResult['outputs'][] = [];

  beforeAll(async () => {
    await generateFixture({ outDir: OUT_DIR });
    await generateFixture({ outDir: join(Q4F16_DIR, '..'), variants: ['q4f16'] });
    cfg = readReferenceConfig(MODEL_DIR);
    fp32Weights = await loadReferenceWeights(MODEL_DIR, 'model.onnx');
    configureWasm();
  }, 60_000);

  afterAll(() => {
    console.log(`fixture vs reference, min cos over ${ROWS.length} left-padded rows:\n  ${minCos.join('\n  ')}`);
  });

  it.each(CASES)(
    '$label through $backend gives every padded row the hidden state of its unpadded sequence',
    async (c) => {
      const weights =
        c.dtype === 'fp32' && c.dir === MODEL_DIR ? fp32Weights : await loadReferenceWeights(c.dir, c.file);
      const { last, outputs } = await runFixture(c, cfg);
      if (c.label === 'fp32' && c.backend === 'onnxruntime-node') fp32Outputs.push(outputs);
      const reference = ROWS.map((ids) => qwen3Forward(weights, cfg, ids).at(-1) ?? new Float64Array(0));
      const cosines = reference.map((ref, r) => cosine(last[r] ?? new Float64Array(0), ref));
      const diffs = reference.map((ref, r) => maxAbsDiff(last[r] ?? new Float64Array(0), ref));
      const worst = Math.min(...cosines);
      minCos.push(
        `${`${c.label} / ${c.backend}`.padEnd(34)} cos ${worst.toFixed(7)}  1-cos ${(1 - worst).toExponential(1)}  max|Δ| ${Math.max(...diffs).toExponential(2)}`,
      );
      expect(Object.values(outputs).every((o) => o.finite)).toBe(true);
      for (const cos of cosines) expect(cos).toBeGreaterThanOrEqual(THRESHOLD[c.dtype]);
    },
    30_000,
  );

  it('returns present.{i}.key|value as [batch, kv_heads, total_sequence_length, head_dim]', () => {
    const outputs = fp32Outputs[0];
    expect(outputs).toBeDefined();
    for (let i = 0; i < cfg.numLayers; i++) {
      for (const kind of ['key', 'value']) {
        expect(outputs?.[`present.${i}.${kind}`]?.dims).toEqual([
          BATCH.batch,
          cfg.numKvHeads,
          BATCH.total,
          cfg.headDim,
        ]);
      }
    }
  });

  it('is position-sensitive: the same tokens reordered give a last-token cosine below 0.99', () => {
    const ids = ROWS[0] ?? [];
    const reordered = [...ids.slice(0, -1).reverse(), ids.at(-1) ?? 0];
    const cos = cosine(
      qwen3Forward(fp32Weights, cfg, ids).at(-1) ?? [],
      qwen3Forward(fp32Weights, cfg, reordered).at(-1) ?? [],
    );
    console.log(`reference, tokens reordered: cos ${cos.toFixed(4)}`);
    expect(cos).toBeLessThan(0.99);
  });

  it('tells sequences apart: one extra leading token gives a last-token cosine below 0.99', () => {
    const ids = ROWS[0] ?? [];
    const cos = cosine(
      qwen3Forward(fp32Weights, cfg, ids).at(-1) ?? [],
      qwen3Forward(fp32Weights, cfg, [1234, ...ids]).at(-1) ?? [],
    );
    console.log(`reference, one token inserted: cos ${cos.toFixed(4)}`);
    expect(cos).toBeLessThan(0.99);
  });

  it('ignores a uniform position offset, because RoPE only sees relative positions', () => {
    const ids = ROWS[0] ?? [];
    const cos = cosine(
      qwen3Forward(fp32Weights, cfg, ids).at(-1) ?? [],
      qwen3Forward(fp32Weights, cfg, ids, { positionOffset: 9 }).at(-1) ?? [],
    );
    expect(cos).toBeGreaterThan(0.9999999);
  });
});
