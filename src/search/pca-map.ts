/**
 * The 2-D map of the index: PCA (ml-pca) fitted on the embedded vectors, then every vector and
 * a query projected with the same fit, so a query lands among the chunks it resembles.
 */
import { PCA } from 'ml-pca';

/**
 * At most this many vectors are fitted on. The fit only has to find the two directions of
 * largest variance, which 5,000 points estimate well (their sampling error is far below what
 * a scatter plot shows), while its cost grows with points × dimensions per NIPALS iteration:
 * fitting 10⁵ chunks of 1,024 dims would freeze the worker for seconds on every map().
 */
export const MAX_FIT_POINTS = 5000;

export interface PcaFit {
  dims: number;
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
  /** Share of the sample's total variance along each axis. */
  explained: [number, number];
}

/**
 * Which of `total` rows to fit on: all of them up to `max`, else `max` rows evenly spread over
 * the index (deterministic, so the same index always gives the same map, and no run of rows
 * from one big source dominates the way a prefix would).
 *
 * @example
 * sampleRows(10, 4); // [0, 2, 5, 7]
 */
export function sampleRows(total: number, max: number = MAX_FIT_POINTS): number[] {
  const count = Math.min(total, max);
  return Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
}

/**
 * Fits the two principal axes of `rows` (each `dims` long). With fewer than two distinct
 * points there is no direction to find: the axes are zero and every point maps to (0, 0).
 *
 * @example
 * const fit = fitPca2(rows, 1024);     // { mean: Float64Array(1024), axes: [Float64Array(1024) ×2], explained: [0.12, 0.07] }
 * projectPca2(fit, rows[0]);           // { x: 0.31, y: -0.05 }
 */
export function fitPca2(rows: readonly Float32Array[], dims: number): PcaFit {
  const mean = new Float64Array(dims);
  for (const row of rows) for (let j = 0; j < dims; j++) mean[j] = (mean[j] ?? 0) + (row[j] ?? 0) / rows.length;
  let totalVariance = 0;
  for (const row of rows) for (let j = 0; j < dims; j++) totalVariance += ((row[j] ?? 0) - (mean[j] ?? 0)) ** 2;
  const zero: PcaFit = { dims, mean, axes: [new Float64Array(dims), new Float64Array(dims)], explained: [0, 0] };
  if (rows.length < 2 || !(totalVariance > 0)) return zero;

  // NIPALS finds only the components asked for: O(points × dims) per iteration, against
  // O(points × dims²) for the SVD or covariance route ml-pca offers otherwise.
  const pca = new PCA(rows.map((row) => Array.from(row)), { method: 'NIPALS', nCompNIPALS: 2, center: true });
  const vectors = pca.getEigenvectors(); // dims × 2
  const axes: [Float64Array, Float64Array] = [new Float64Array(dims), new Float64Array(dims)];
  axes.forEach((axis, c) => {
    for (let j = 0; j < dims; j++) axis[j] = vectors.get(j, c);
    orient(axis);
  });
  const fit: PcaFit = { dims, mean, axes, explained: [0, 0] };
  // Explained share from the data itself: ml-pca's getExplainedVariance() divides by the sum of
  // the components it computed, which for NIPALS is these two alone.
  const spread = [0, 0];
  for (const row of rows) {
    const { x, y } = projectPca2(fit, row);
    spread[0] = (spread[0] ?? 0) + x * x;
    spread[1] = (spread[1] ?? 0) + y * y;
  }
  fit.explained = [(spread[0] ?? 0) / totalVariance, (spread[1] ?? 0) / totalVariance];
  return fit;
}

/** A vector's coordinates on the fitted axes. */
export function projectPca2(fit: PcaFit, vector: Float32Array): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let j = 0; j < fit.dims; j++) {
    const centred = (vector[j] ?? 0) - (fit.mean[j] ?? 0);
    x += centred * (fit.axes[0][j] ?? 0);
    y += centred * (fit.axes[1][j] ?? 0);
  }
  return { x, y };
}

/** An axis and its negation are the same component: pick the one whose largest entry is positive, so maps don't flip between fits. */
function orient(axis: Float64Array): void {
  let peak = 0;
  for (const value of axis) if (Math.abs(value) > Math.abs(peak)) peak = value;
  if (peak < 0) for (let j = 0; j < axis.length; j++) axis[j] = -(axis[j] ?? 0);
}
