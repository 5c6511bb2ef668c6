/**
 * Per-vector symmetric int8 quantisation: each vector keeps one float scale (its largest |value|
 * over 127) and one signed byte per value. The index quantises residuals from its mean vector
 * (vector-index.ts says why), which are centred on zero, so a zero point would buy nothing but
 * an extra subtraction in the hot loop; per vector, because vectors still differ in their
 * largest component (one scale for the whole index would waste most of the 255 levels on the
 * vectors with small peaks).
 */

/** Largest code: ±127, so that +x and −x quantise symmetrically (−128 is never used). */
export const INT8_MAX = 127;

/**
 * Quantises `vector[offset .. offset + dims)` into `codes[codeOffset ..)` and returns its scale,
 * so that `vector[i] ≈ codes[i] · scale`. An all-zero vector gets scale 0 and zero codes.
 *
 * @example
 * const codes = new Int8Array(3);
 * quantizeInto(new Float32Array([0.5, -1, 0.25]), 0, 3, codes, 0); // 1/127; codes [64, -127, 32]
 */
export function quantizeInto(
  vector: Float32Array,
  offset: number,
  dims: number,
  codes: Int8Array,
  codeOffset: number,
): number {
  let peak = 0;
  for (let i = 0; i < dims; i++) {
    const magnitude = Math.abs(vector[offset + i] ?? 0);
    if (magnitude > peak) peak = magnitude;
  }
  if (peak === 0 || !Number.isFinite(peak)) {
    codes.fill(0, codeOffset, codeOffset + dims);
    return 0;
  }
  const scale = peak / INT8_MAX;
  for (let i = 0; i < dims; i++) {
    // Math.round is half-up for negatives too (−0.5 → −0); the bias is ≤ half a step, far below
    // the ±0.5-step rounding error every code already carries.
    codes[codeOffset + i] = Math.round((vector[offset + i] ?? 0) / scale);
  }
  return scale;
}

/**
 * Quantises a row-major matrix of `vectors.length / dims` vectors.
 *
 * @example
 * const { codes, scales } = quantizeInt8(vectors, 1024); // Int8Array(n × 1024), Float32Array(n)
 */
export function quantizeInt8(vectors: Float32Array, dims: number): { codes: Int8Array; scales: Float32Array } {
  const rows = Math.floor(vectors.length / dims);
  const codes = new Int8Array(rows * dims);
  const scales = new Float32Array(rows);
  for (let row = 0; row < rows; row++) scales[row] = quantizeInto(vectors, row * dims, dims, codes, row * dims);
  return { codes, scales };
}
