/**
 * Float64 Qwen3 forward pass over unpadded sequences, written from the HF modelling code
 * (Qwen3Model) and sharing nothing with the ONNX graph: no padding, no KV cache, positions
 * 0…S-1 per sequence, causal attention by loop bounds instead of an additive mask.
 */
import type { Matrix, ReferenceLayer, ReferenceWeights } from './onnx-weights.js';
import type { LayerByLayerWeights } from './weight-source.js';
import type { ReferenceConfig } from './reference-config.js';

/**
 * ys[t] = xs[t] · W for every row vector xs[t]. W is walked once for all rows (a 4B layer's
 * matrix is 200 MB in float64), and each y[t][c] still sums x[t][r]·W[r][c] over r in rising
 * order, the very additions a one-row product makes, so the result does not depend on which
 * rows share a call.
 */
function matRows(xs: readonly Float64Array[], w: Matrix): Float64Array[] {
  const ys = xs.map(() => new Float64Array(w.cols));
  for (let r = 0; r < w.rows; r++) {
    const row = w.data.subarray(r * w.cols, (r + 1) * w.cols);
    for (let t = 0; t < xs.length; t++) {
      const xr = xs[t]?.[r] ?? 0;
      if (xr === 0) continue;
      const y = ys[t] ?? new Float64Array(0);
      // Indices are in range by construction; `!` instead of `?? 0` here is 1.5× faster on a 4B layer.
      for (let c = 0; c < w.cols; c++) y[c] = y[c]! + xr * row[c]!;
    }
  }
  return ys;
}

/** weight ⊙ x / sqrt(mean(x²) + eps) over x[offset … offset+n), in place into `out`. */
function rmsNormInto(
  x: Float64Array,
  offset: number,
  n: number,
  weight: Float64Array,
  eps: number,
  out: Float64Array,
): void {
  let sumSq = 0;
  for (let i = 0; i < n; i++) sumSq += (x[offset + i] ?? 0) ** 2;
  const inv = 1 / Math.sqrt(sumSq / n + eps);
  for (let i = 0; i < n; i++) out[offset + i] = (x[offset + i] ?? 0) * inv * (weight[i] ?? 0);
}

function rmsNorm(x: Float64Array, weight: Float64Array, eps: number): Float64Array {
  const out = new Float64Array(x.length);
  rmsNormInto(x, 0, x.length, weight, eps, out);
  return out;
}

/** RoPE, rotate-half convention, on every head of a [heads·D] vector at position `pos`. */
function rope(x: Float64Array, heads: number, headDim: number, pos: number, theta: number): Float64Array {
  const out = new Float64Array(x.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    const base = h * headDim;
    for (let j = 0; j < half; j++) {
      const angle = pos * theta ** ((-2 * j) / headDim);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const a = x[base + j] ?? 0;
      const b = x[base + j + half] ?? 0;
      out[base + j] = a * c - b * s;
      out[base + j + half] = b * c + a * s;
    }
  }
  return out;
}

const silu = (v: number): number => v / (1 + Math.exp(-v));

export interface ForwardOptions {
  /** Position of the first token (default 0); RoPE is relative, so outputs should not move. */
  positionOffset?: number;
  /**
   * 'per-row-int8': every projection input is first rounded as a per-token symmetric 8-bit
   * quantiser would: scale = max|x| / 127 over the token's vector, x ↦ round(x / scale) · scale,
   * ties to even. That is the arithmetic tabembed's q8 path promises (src/engine/graph/
   * row-quantization.ts), written here from its definition, not from that code.
   */
  activations?: 'exact' | 'per-row-int8';
  /** Called after each layer (a 4B forward on this machine's CPU takes minutes). */
  onLayer?: (done: number, of: number) => void;
}

/** Math.round rounds ties up; ONNX Round (like IEEE) rounds them to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function quantizeRow(x: Float64Array): Float64Array {
  let max = 0;
  for (const v of x) max = Math.max(max, Math.abs(v));
  if (max === 0) return x;
  const scale = max / 127;
  return x.map((v) => roundHalfEven(v / scale) * scale);
}

/**
 * Returns the final-norm hidden state of every position ([seq][hidden], float64).
 * Example: `qwen3Forward(w, cfg, [9707, 151643]).at(-1)` is the embedding of that text.
 */
export function qwen3Forward(
  weights: ReferenceWeights,
  config: ReferenceConfig,
  ids: readonly number[],
  options: ForwardOptions = {},
): Float64Array[] {
  const held: LayerByLayerWeights = {
    vocabSize: weights.embed.rows,
    layerCount: weights.layers.length,
    embedRow: (id) => weights.embed.data.slice(id * config.hiddenSize, (id + 1) * config.hiddenSize),
    layer: (i) => {
      const layer = weights.layers[i];
      if (!layer) throw new Error(`no layer ${i}`);
      return layer;
    },
    finalNorm: () => weights.finalNorm,
  };
  return qwen3ForwardLayerByLayer(held, config, [ids], options)[0] ?? [];
}

/**
 * The same forward for several unpadded sequences at once, asking `weights` for each layer once
 * and in order, so a streaming source (weight-source.ts) holds one layer at a time. Every
 * sequence is computed on its own (its own positions from 0, causal attention within it); the
 * floats are those `qwen3Forward` gives each sequence alone.
 */
export function qwen3ForwardLayerByLayer(
  weights: LayerByLayerWeights,
  config: ReferenceConfig,
  sequences: readonly (readonly number[])[],
  options: ForwardOptions = {},
): Float64Array[][] {
  const eps = config.rmsNormEps;
  const offset = options.positionOffset ?? 0;
  const project =
    options.activations === 'per-row-int8'
      ? (xs: Float64Array[], w: Matrix): Float64Array[] => matRows(xs.map(quantizeRow), w)
      : matRows;
  let xs = sequences.map((ids) =>
    ids.map((id) => {
      if (id < 0 || id >= weights.vocabSize) throw new Error(`token id ${id} outside the vocabulary`);
      return weights.embedRow(id);
    }),
  );
  for (let i = 0; i < weights.layerCount; i++) {
    xs = layerForward(weights.layer(i), config, xs, offset, project);
    options.onLayer?.(i + 1, weights.layerCount);
  }
  const norm = weights.finalNorm();
  return xs.map((rows) => rows.map((row) => rmsNorm(row, norm, eps)));
}

/** One decoder layer over every position of every sequence; the projections take all positions at once. */
function layerForward(
  layer: ReferenceLayer,
  config: ReferenceConfig,
  sequences: Float64Array[][],
  offset: number,
  project: (xs: Float64Array[], w: Matrix) => Float64Array[],
): Float64Array[][] {
  const { numHeads, numKvHeads, headDim, rmsNormEps: eps, ropeTheta } = config;
  const rep = numHeads / numKvHeads;
  const rows = sequences.flat();
  const positions = sequences.flatMap((seq) => seq.map((_, pos) => pos + offset));
  const h = rows.map((row) => rmsNorm(row, layer.inputNorm, eps));
  const at = (xs: Float64Array[], i: number): Float64Array => xs[i] ?? new Float64Array(0);
  const qs = project(h, layer.q).map((q, i) => {
    for (let hd = 0; hd < numHeads; hd++) rmsNormInto(q, hd * headDim, headDim, layer.qNorm, eps, q);
    return rope(q, numHeads, headDim, positions[i] ?? 0, ropeTheta);
  });
  const ks = project(h, layer.k).map((k, i) => {
    for (let hd = 0; hd < numKvHeads; hd++) rmsNormInto(k, hd * headDim, headDim, layer.kNorm, eps, k);
    return rope(k, numKvHeads, headDim, positions[i] ?? 0, ropeTheta);
  });
  const vs = project(h, layer.v);
  const attns: Float64Array[] = [];
  let first = 0; // index in `rows` of the current sequence's position 0
  for (const seq of sequences) {
    for (let i = 0; i < seq.length; i++) {
      const attn = new Float64Array(numHeads * headDim);
      const q = at(qs, first + i);
      for (let hd = 0; hd < numHeads; hd++) {
        const kv = Math.floor(hd / rep); // HF repeat_kv: kv head h serves query heads h·rep … h·rep+rep-1
        const scores = new Float64Array(i + 1); // causal: keys 0 … i only
        for (let j = 0; j <= i; j++) {
          const k = at(ks, first + j);
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += (q[hd * headDim + d] ?? 0) * (k[kv * headDim + d] ?? 0);
          scores[j] = dot / Math.sqrt(headDim);
        }
        const max = Math.max(...scores);
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += scores[j] = Math.exp((scores[j] ?? 0) - max);
        for (let j = 0; j <= i; j++) {
          const p = (scores[j] ?? 0) / sum;
          const v = at(vs, first + j);
          for (let d = 0; d < headDim; d++)
            attn[hd * headDim + d] = (attn[hd * headDim + d] ?? 0) + p * (v[kv * headDim + d] ?? 0);
        }
      }
      attns.push(attn);
    }
    first += seq.length;
  }
  const o = project(attns, layer.o);
  const mids = rows.map((row, i) => row.map((v, c) => v + (at(o, i)[c] ?? 0)));
  const y = mids.map((mid) => rmsNorm(mid, layer.postAttentionNorm, eps));
  const gate = project(y, layer.gate);
  const up = project(y, layer.up);
  const act = gate.map((g, i) => g.map((v, c) => silu(v) * (at(up, i)[c] ?? 0)));
  const down = project(act, layer.down);
  const out = mids.map((mid, i) => mid.map((v, c) => v + (at(down, i)[c] ?? 0)));
  let next = 0;
  return sequences.map((seq) => out.slice(next, (next += seq.length)));
}

/** Cosine similarity of two equal-length vectors (float32 or float64). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** Largest |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}
