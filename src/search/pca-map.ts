/**
 * The 2-D map of the index: PCA (ml-pca) fitted on the embedded vectors, then every vector and
 * a query projected with the same fit, so a query lands among the chunks it resembles.
 */
import { PCA } from 'ml-pca';
import { SAMPLE_ROWS, sampleRows } from './sample-rows.ts';

/**
 * At most this many vectors are fitted on (sample-rows.ts says why 2,000), spread evenly over
 * the index by sampleRows.
 */
export const MAX_FIT_POINTS = SAMPLE_ROWS;

export { sampleRows };

export interface PcaFit {
  dims: number;
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
  /** Share of the sample's total variance along each axis. */
  explained: [number, number];
}

/** Directions the subspace iteration carries: 2 wanted + 6 spare, which speed up convergence. */
const SUBSPACE = 8;
/** Power steps: the error shrinks like (λ₉/λ₂)^steps, and real embedding spectra fall off fast. */
const POWER_STEPS = 6;

/**
 * Fits the two principal axes of `rows` (each `dims` long). With fewer than two distinct
 * points there is no direction to find: the axes are zero and every point maps to (0, 0).
 *
 * Why not `new PCA(rows)` straight away: every method ml-pca offers works on the full
 * points × dims matrix through ml-matrix (SVD and covariance cost points × dims²; NIPALS took
 * 240 s for 5,000 random 1,024-d vectors here: up to 1,000 iterations per component). A
 * randomized subspace iteration (Halko et al. 2011) in typed arrays first finds the 8-d
 * subspace holding the top components (≈ 1 s for 2,000 × 1,024), and ml-pca then rotates within
 * it (PCA of the 2,000 × 8 coordinates, instant).
 *
 * @example
 * const fit = fitPca2(rows, 1024);     // { mean: Float64Array(1024), axes: [Float64Array(1024) ×2], explained: [0.12, 0.07] }
 * projectPca2(fit, rows[0]);           // { x: 0.31, y: -0.05 }
 */
export function fitPca2(rows: readonly Float32Array[], dims: number): PcaFit {
  const n = rows.length;
  const mean = new Float64Array(dims);
  for (const row of rows) for (let j = 0; j < dims; j++) mean[j] = (mean[j] ?? 0) + (row[j] ?? 0) / n;
  const centred = new Float64Array(n * dims);
  let totalVariance = 0;
  rows.forEach((row, r) => {
    for (let j = 0; j < dims; j++) {
      const value = (row[j] ?? 0) - (mean[j] ?? 0);
      centred[r * dims + j] = value;
      totalVariance += value * value;
    }
  });
  const fit: PcaFit = { dims, mean, axes: [new Float64Array(dims), new Float64Array(dims)], explained: [0, 0] };
  if (n < 2 || !(totalVariance > 0)) return fit;

  const l = Math.min(SUBSPACE, dims, n);
  // A fixed, irregular start (a hash-like sine), so the same index always gives the same map;
  // any start not orthogonal to the top components converges.
  let basis = orthonormalColumns(
    Float64Array.from({ length: dims * l }, (_, i) => Math.sin(1 + i * 12.9898)),
    dims,
    l,
  );
  for (let step = 0; step < POWER_STEPS; step++)
    basis = orthonormalColumns(
      throughData(centred, throughData(centred, basis, n, dims, l, 'points'), n, dims, l, 'dims'),
      dims,
      l,
    );
  const coords = throughData(centred, basis, n, dims, l, 'points'); // n × l, already centred
  const pca = new PCA(
    Array.from({ length: n }, (_, r) => Array.from(coords.subarray(r * l, (r + 1) * l))),
    { method: 'SVD', center: false },
  );
  const rotation = pca.getEigenvectors(); // l × l, columns by decreasing variance
  fit.axes.forEach((axis, c) => {
    for (let j = 0; j < dims; j++) {
      let value = 0;
      for (let k = 0; k < l; k++) value += (basis[j * l + k] ?? 0) * rotation.get(k, c);
      axis[j] = value;
    }
    orient(axis);
  });
  // Explained share from the data itself (ml-pca's getExplainedVariance() only knows the l
  // directions it was given, not the total).
  const spread = [0, 0];
  for (const row of rows) {
    const { x, y } = projectPca2(fit, row);
    spread[0] = (spread[0] ?? 0) + x * x;
    spread[1] = (spread[1] ?? 0) + y * y;
  }
  fit.explained = [(spread[0] ?? 0) / totalVariance, (spread[1] ?? 0) / totalVariance];
  return fit;
}

/**
 * One pass over the centred data X (n × d), where the time goes: X·M (n × l) for `into`
 * 'points', Xᵀ·M (d × l, M being n × l) for 'dims'. Row-major throughout.
 */
function throughData(
  x: Float64Array,
  m: Float64Array,
  n: number,
  d: number,
  l: number,
  into: 'points' | 'dims',
): Float64Array {
  const out = new Float64Array((into === 'points' ? n : d) * l);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const a = x[r * d + j] ?? 0;
      if (a === 0) continue;
      const to = into === 'points' ? r * l : j * l;
      const from = into === 'points' ? j * l : r * l;
      for (let k = 0; k < l; k++) out[to + k] = (out[to + k] ?? 0) + a * (m[from + k] ?? 0);
    }
  }
  return out;
}

/** Modified Gram-Schmidt on the l columns of a d × l matrix (a column that vanishes stays zero). */
function orthonormalColumns(m: Float64Array, d: number, l: number): Float64Array {
  for (let k = 0; k < l; k++) {
    for (let p = 0; p < k; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (m[j * l + k] ?? 0) * (m[j * l + p] ?? 0);
      for (let j = 0; j < d; j++) m[j * l + k] = (m[j * l + k] ?? 0) - dot * (m[j * l + p] ?? 0);
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (m[j * l + k] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) m[j * l + k] = norm > 0 ? (m[j * l + k] ?? 0) / norm : 0;
  }
  return m;
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
