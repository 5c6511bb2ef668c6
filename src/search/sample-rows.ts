/**
 * Which rows stand for the whole index where a sample does: the PCA map's fit (pca-map.ts) and
 * the centre int8 codes are quantised around (vector-index.ts). When the float32 rows are not in
 * memory, the search service reads just these rows from IndexedDB by key.
 *
 * Why 2,000: the map's fit only has to find the two directions of largest variance, which 2,000
 * points estimate well (their sampling error is far below what a scatter plot shows), while its
 * cost grows with points × dimensions: 5,000 × 1,024 took 2.5 s in Node on the 2-core test
 * machine (so ≈ 1 s for 2,000), and the page asks for a map after every change to the index. A
 * mean of 2,000 rows is within ≈ σ/45 of the full mean per value, far closer than the centre
 * needs to be (int8-rows.ts).
 */
export const SAMPLE_ROWS = 2000;

/**
 * Which of `total` rows to take: all of them up to `max`, else `max` rows evenly spread over
 * the index (deterministic, so the same index always gives the same map and the same codes,
 * and no run of rows from one big source dominates the way a prefix would).
 *
 * @example
 * sampleRows(10, 4); // [0, 2, 5, 7]
 */
export function sampleRows(total: number, max: number = SAMPLE_ROWS): number[] {
  const count = Math.min(total, max);
  return Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
}
