/**
 * A projection's weight back as a float64 [in, out] matrix, whichever way the export stored it:
 * float (fp32/fp16), q4 (MatMulNBits) or q8 (MatMulInteger). The reference forward then runs on
 * exactly the weights the graph holds, so a comparison measures the graph's arithmetic, not the
 * quantisation.
 */
import type { OnnxTypes } from './onnx-proto.js';
import type { Matrix, ReferenceWeights } from './onnx-weights.js';
import { type ExternalData, tensorToFloat64 } from './tensor-data.js';

export type Initializers = Map<string, OnnxTypes.ITensorProto>;
export type ProjectionEncoding = ReferenceWeights['projectionEncoding'];

export function dims(t: OnnxTypes.ITensorProto): number[] {
  return (t.dims ?? []).map(Number);
}

export function need(inits: Initializers, name: string): OnnxTypes.ITensorProto {
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

/** How the projection `base` is stored, read from its initializers' names without loading them. */
export function projectionEncoding(inits: Initializers, base: string): ProjectionEncoding {
  if (inits.has(base)) return 'float';
  if (inits.has(`${base}_Q4`)) return 'q4';
  if (inits.has(`${base}_quantized`)) return 'q8';
  throw new Error(`projection ${base}: no float, _Q4 or _quantized initializer`);
}

export function projection(inits: Initializers, base: string, ext: ExternalData): Matrix {
  const encoding = projectionEncoding(inits, base);
  switch (encoding) {
    case 'float': {
      const plain = need(inits, base);
      const [rows = 0, cols = 0] = dims(plain);
      return { rows, cols, data: tensorToFloat64(plain, ext) };
    }
    case 'q4':
      return dequantizeQ4(inits, base, ext);
    case 'q8':
      return dequantizeQ8(inits, base, ext);
    default: {
      const never: never = encoding;
      throw new Error(`unknown encoding ${String(never)}`);
    }
  }
}
