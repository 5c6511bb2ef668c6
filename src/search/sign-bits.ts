/**
 * Binary codes for the compact index (compact-index-file.ts): one sign bit per value of a row's
 * residual from the centre (int8-rows.ts says why a centre), plus one float per row, the mean
 * |residual|, so that residual ≈ scale · (±1, ±1, …). That scale is the least-squares best one
 * for a sign vector, and it matters: rows far from the centre score higher, as their float
 * values would, where a bare Hamming distance ranks every row as if it had the same length.
 *
 * The scan is asymmetric: the query stays float and only the stored side is one bit, which
 * loses far less than binarising the query too (Hamming of two sign vectors). It is still
 * popcount-cheap: for each byte of a code, a 256-entry table of Σ ±qᵢ over its 8 bits is built
 * once per query, so a row costs d/8 table reads, the same count a byte-wise popcount would.
 */
import type { TopK } from './top-k.ts';

/** Bytes of one row's sign bits. */
export function signBytes(dims: number): number {
  return Math.ceil(dims / 8);
}

/**
 * Packs `rows` rows of `vectors` (row-major, `dims` wide): bit b of byte j is set when value
 * 8j + b is above the centre's. Returns the bits and each row's scale (mean |v − centre|).
 *
 * @example
 * packSigns(new Float32Array([0.6, -0.8]), 2, new Float32Array(2)); // { bits: Uint8Array [0b01], scales: Float32Array [0.7] }
 */
export function packSigns(
  vectors: Float32Array,
  dims: number,
  centre: Float32Array,
): { bits: Uint8Array; scales: Float32Array } {
  const rows = Math.floor(vectors.length / dims);
  const width = signBytes(dims);
  const bits = new Uint8Array(rows * width);
  const scales = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let i = 0; i < dims; i++) {
      const residual = (vectors[row * dims + i] ?? 0) - (centre[i] ?? 0);
      sum += Math.abs(residual);
      if (residual > 0) bits[row * width + (i >> 3)] = (bits[row * width + (i >> 3)] ?? 0) | (1 << (i & 7));
    }
    scales[row] = sum / dims;
  }
  return { bits, scales };
}

/**
 * The per-byte tables for one query: table[j · 256 + b] = Σ over the 8 values of byte j of
 * +qᵢ where b has the bit set, −qᵢ where not.
 */
function byteTables(query: Float32Array, dims: number): Float64Array {
  const width = signBytes(dims);
  const tables = new Float64Array(width * 256);
  for (let j = 0; j < width; j++) {
    let negative = 0;
    for (let b = 0; b < 8 && 8 * j + b < dims; b++) negative -= query[8 * j + b] ?? 0;
    tables[j * 256] = negative;
    // Each entry adds 2·q for its lowest set bit to the entry without that bit.
    for (let byte = 1; byte < 256; byte++) {
      const low = byte & -byte;
      const bit = 31 - Math.clz32(low);
      const q = 8 * j + bit < dims ? (query[8 * j + bit] ?? 0) : 0;
      tables[j * 256 + byte] = (tables[j * 256 + (byte ^ low)] ?? 0) + 2 * q;
    }
  }
  return tables;
}

/**
 * The `count` rows of best approximate score scale · dot(query, ±1 bits), best first; `base`
 * is added to every row number (rows of several shards share one ranking).
 *
 * @example
 * const top = new TopK(100);
 * scanSigns(query, bits, scales, 256, 0, top);   // offers every row of the shard to `top`
 */
export function scanSigns(
  query: Float32Array,
  bits: Uint8Array,
  scales: Float32Array,
  dims: number,
  base: number,
  top: TopK,
  tables: Float64Array = byteTables(query, dims),
): void {
  const width = signBytes(dims);
  for (let row = 0; row < scales.length; row++) {
    let score = 0;
    const offset = row * width;
    for (let j = 0; j < width; j++) score += tables[j * 256 + (bits[offset + j] ?? 0)] ?? 0;
    top.push(base + row, score * (scales[row] ?? 0));
  }
}

/** The tables for `query`, to share across the shards of one search. */
export function signTables(query: Float32Array, dims: number): Float64Array {
  return byteTables(query, dims);
}
