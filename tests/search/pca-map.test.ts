/** The map's PCA on data whose principal axes and variances are known by construction. */
import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../../scripts/fixture/rng.ts';
import { fitPca2, projectPca2, sampleRows } from '../../src/search/pca-map.ts';

describe('fitPca2', () => {
  // Axis 3 has std 3, axis 5 std 2, the other 6 axes std 1: total variance 9 + 4 + 6 = 19.
  const D = 8;
  const N = 4000;
  const noise = fillNormal(new Float32Array(N * D), mulberry32(5), 1);
  const rows = Array.from({ length: N }, (_, r) => {
    const v = noise.slice(r * D, (r + 1) * D);
    v[3] = (v[3] ?? 0) * 3 + 0.5; // an offset too: the fit must centre
    v[5] = (v[5] ?? 0) * 2;
    return v;
  });
  const fit = fitPca2(rows, D);

  it('finds the two axes of largest variance (|cos| ≥ 0.99) and their shares 9/19 and 4/19 (± 0.03, sampling error of 4,000 points)', () => {
    expect(Math.abs(fit.axes[0][3] ?? 0)).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(fit.axes[1][5] ?? 0)).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(fit.explained[0] - 9 / 19)).toBeLessThan(0.03);
    expect(Math.abs(fit.explained[1] - 4 / 19)).toBeLessThan(0.03);
  });

  it('orients each axis so its largest entry is positive, and maps the mean to the origin', () => {
    expect(fit.axes[0][3]).toBeGreaterThan(0);
    expect(fit.axes[1][5]).toBeGreaterThan(0);
    const mean = new Float32Array(fit.mean);
    const { x, y } = projectPca2(fit, mean);
    expect(Math.abs(x) + Math.abs(y)).toBeLessThan(1e-6);
    const { x: far } = projectPca2(
      fit,
      Float32Array.from(mean, (m, j) => (j === 3 ? m + 2 : m)),
    );
    expect(far).toBeCloseTo(2, 2);
  });

  it('maps everything to (0, 0) with nothing to explain when there is one point or no spread', () => {
    const one = fitPca2([new Float32Array([1, 2, 3])], 3);
    expect(one.explained).toEqual([0, 0]);
    expect(projectPca2(one, new Float32Array([4, 5, 6]))).toEqual({ x: 0, y: 0 });
    expect(fitPca2([new Float32Array([1, 1]), new Float32Array([1, 1])], 2).explained).toEqual([0, 0]);
  });
});

describe('sampleRows', () => {
  it('keeps every row up to the cap, and spreads the cap evenly past it', () => {
    expect(sampleRows(3, 5)).toEqual([0, 1, 2]);
    expect(sampleRows(10, 4)).toEqual([0, 2, 5, 7]);
    expect(sampleRows(100_000).length).toBe(2000);
  });
});
