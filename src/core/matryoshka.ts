/**
 * Matryoshka truncation then L2 normalisation, so a dot product of two results is their cosine.
 * Qwen3-Embedding was trained so that a prefix of the vector is itself a good embedding; the
 * prefix must be renormalised after the cut.
 */
export function truncateAndNormalize(
  vector: Float32Array,
  dimensions: number,
  out = new Float32Array(dimensions),
): Float32Array {
  let sumSquares = 0;
  for (let i = 0; i < dimensions; i++) {
    const v = vector[i] ?? 0;
    sumSquares += v * v;
  }
  // A zero vector has no direction; leave it zero rather than produce NaN.
  const scale = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
  for (let i = 0; i < dimensions; i++) out[i] = (vector[i] ?? 0) * scale;
  return out;
}
