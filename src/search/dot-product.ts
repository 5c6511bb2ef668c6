/**
 * The float32 dot product every exact score comes from (the in-memory scan, rescoring, the scan
 * over the store), so a row gets the same score, bit for bit, whichever path scored it.
 */

/**
 * dot(q, m[offset .. offset + d)). Four accumulators let V8 keep independent chains in flight:
 * 20-30 % faster than one in a quick Node test here.
 *
 * @example
 * dotFloat(new Float32Array([1, 2]), new Float32Array([0, 3, 4]), 1, 2); // 11
 */
export function dotFloat(q: Float32Array, m: Float32Array, offset: number, d: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (q[i] ?? 0) * (m[offset + i] ?? 0);
    s1 += (q[i + 1] ?? 0) * (m[offset + i + 1] ?? 0);
    s2 += (q[i + 2] ?? 0) * (m[offset + i + 2] ?? 0);
    s3 += (q[i + 3] ?? 0) * (m[offset + i + 3] ?? 0);
  }
  for (; i < d; i++) s0 += (q[i] ?? 0) * (m[offset + i] ?? 0);
  return s0 + s1 + s2 + s3;
}
