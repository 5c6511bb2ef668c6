/**
 * Reads a Qwen3 ONNX export's weights back out of the file by initializer name and turns
 * them into plain float64 matrices, dequantising q4 (MatMulNBits) and q8 (MatMulInteger)
 * weights itself. The reference forward then runs on exactly the weights the graph holds,
 * so a comparison measures the graph's arithmetic, not the quantisation.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { onnx } from './onnx-proto.js';
import type { OnnxTypes } from './onnx-proto.js';
import { ExternalData, tensorToFloat64 } from './tensor-data.js';

/** Row-major [rows, cols]; projections are [in, out] so y = x · W. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface ReferenceLayer {
  inputNorm: Float64Array;
  postAttentionNorm: Float64Array;
  qNorm: Float64Array;
  kNorm: Float64Array;
  q: Matrix;
  k: Matrix;
  v: Matrix;
  o: Matrix;
  gate: Matrix;
  up: Matrix;
  down: Matrix;
}

export interface ReferenceWeights {
  /** [vocab, hidden] embedding table. */
  embed: Matrix;
  layers: ReferenceLayer[];
  finalNorm: Float64Array;
  /** How each projection was stored: 'float' (fp32/fp16), 'q4' or 'q8'. */
  projectionEncoding: 'float' | 'q4' | 'q8';
}

type Initializers = Map<string, OnnxTypes.ITensorProto>;

function dims(t: OnnxTypes.ITensorProto): number[] {
  return (t.dims ?? []).map(Number);
}

function need(inits: Initializers, name: string): OnnxTypes.ITensorProto {
  const t = inits.get(name);
  if (t === undefined) throw new Error(`initializer ${name} not found`);
  return t;
}

/** MatMulNBits (bits 4): B uint8 [N, blocks, blob], scales [N·blocks], zero points packed 2 per byte (default 8). */
function dequantizeQ4(inits: Initializers, base: string, ext: ExternalData): Matrix {
  const b = need(inits, `${base}_Q4`);
  const [n = 0, blocks = 0, blob = 0] = dims(b);
  const blockSize = blob * 2;
  const k = blocks * blockSize;
  const packed = tensorToFloat64(b, ext);
  const scales = tensorToFloat64(need(inits, `${base}_scales`), ext);
  const zpTensor = inits.get(`${base}_zero_points`);
  const zps = zpTensor ? tensorToFloat64(zpTensor, ext) : undefined;
  const zpStride = Math.ceil(blocks / 2);
  const data = new Float64Array(k * n);
  for (let col = 0; col < n; col++) {
    for (let blk = 0; blk < blocks; blk++) {
      const scale = scales[col * blocks + blk] ?? NaN;
      const zpByte = zps ? (zps[col * zpStride + (blk >> 1)] ?? NaN) : 0x88;
      const zp = (zpByte >> ((blk & 1) * 4)) & 0xf;
      for (let i = 0; i < blockSize; i++) {
        const byte = packed[(col * blocks + blk) * blob + (i >> 1)] ?? NaN;
        const q = (byte >> ((i & 1) * 4)) & 0xf;
        data[(blk * blockSize + i) * n + col] = (q - zp) * scale;
      }
    }
  }
  return { rows: k, cols: n, data };
}

/** quantize_dynamic style: int8/uint8 W [K, N], scale and zero point per tensor or per column. */
function dequantizeQ8(inits: Initializers, base: string, ext: ExternalData): Matrix {
  const w = need(inits, `${base}_quantized`);
  const [k = 0, n = 0] = dims(w);
  const q = tensorToFloat64(w, ext);
  const scale = tensorToFloat64(need(inits, `${base}_scale`), ext);
  const zpTensor = inits.get(`${base}_zero_point`);
  const zp = zpTensor ? tensorToFloat64(zpTensor, ext) : new Float64Array(1);
  const data = new Float64Array(k * n);
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < n; col++) {
      const s = scale.length === 1 ? (scale[0] ?? NaN) : (scale[col] ?? NaN);
      const z = zp.length === 1 ? (zp[0] ?? NaN) : (zp[col] ?? NaN);
      data[row * n + col] = ((q[row * n + col] ?? NaN) - z) * s;
    }
  }
  return { rows: k, cols: n, data };
}

function projection(
  inits: Initializers,
  base: string,
  ext: ExternalData,
): { m: Matrix; enc: ReferenceWeights['projectionEncoding'] } {
  const plain = inits.get(base);
  if (plain) {
    const [rows = 0, cols = 0] = dims(plain);
    return { m: { rows, cols, data: tensorToFloat64(plain, ext) }, enc: 'float' };
  }
  if (inits.has(`${base}_Q4`)) return { m: dequantizeQ4(inits, base, ext), enc: 'q4' };
  if (inits.has(`${base}_quantized`)) return { m: dequantizeQ8(inits, base, ext), enc: 'q8' };
  throw new Error(`projection ${base}: no float, _Q4 or _quantized initializer`);
}

/**
 * Loads `<modelDir>/onnx/<file>` (e.g. 'model_q4.onnx'), resolving external data next to it.
 * Example: `const w = await loadReferenceWeights('public/models/qwen3-tiny', 'model.onnx')`
 * → w.layers.length === 3, w.layers[0].q is { rows: 64, cols: 128 }.
 */
export async function loadReferenceWeights(modelDir: string, file: string): Promise<ReferenceWeights> {
  const path = join(modelDir, 'onnx', file);
  const model = onnx.ModelProto.decode(await readFile(path));
  const inits: Initializers = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const ext = new ExternalData(dirname(path));
  const vector = (name: string): Float64Array => tensorToFloat64(need(inits, name), ext);
  const embedTensor = need(inits, 'model.embed_tokens.weight');
  const [vocab = 0, hidden = 0] = dims(embedTensor);
  const layers: ReferenceLayer[] = [];
  let projectionEncoding: ReferenceWeights['projectionEncoding'] = 'float';
  for (let i = 0; inits.has(`model.layers.${i}.input_layernorm.weight`); i++) {
    const p = (block: string, name: string): Matrix => {
      const { m, enc } = projection(inits, `model.layers.${i}.${block}.${name}.weight`, ext);
      projectionEncoding = enc;
      return m;
    };
    layers.push({
      inputNorm: vector(`model.layers.${i}.input_layernorm.weight`),
      postAttentionNorm: vector(`model.layers.${i}.post_attention_layernorm.weight`),
      qNorm: vector(`model.layers.${i}.self_attn.q_norm.weight`),
      kNorm: vector(`model.layers.${i}.self_attn.k_norm.weight`),
      q: p('self_attn', 'q_proj'),
      k: p('self_attn', 'k_proj'),
      v: p('self_attn', 'v_proj'),
      o: p('self_attn', 'o_proj'),
      gate: p('mlp', 'gate_proj'),
      up: p('mlp', 'up_proj'),
      down: p('mlp', 'down_proj'),
    });
  }
  return {
    embed: { rows: vocab, cols: hidden, data: tensorToFloat64(embedTensor, ext) },
    layers,
    finalNorm: vector('model.norm.weight'),
    projectionEncoding,
  };
}
