/** Seeded random unit vectors (Gaussian, then L2-normalised): uniform on the sphere, like no real corpus but reproducible. */
import { fillNormal, mulberry32 } from '../../scripts/fixture/rng.ts';

export function randomUnitVectors(count: number, dims: number, seed: number): Float32Array {
  const out = new Float32Array(count * dims);
  fillNormal(out, mulberry32(seed), 1);
  for (let row = 0; row < count; row++) {
    const v = out.subarray(row * dims, (row + 1) * dims);
    const norm = Math.hypot(...v);
    for (let j = 0; j < dims; j++) v[j] = (v[j] ?? 0) / norm;
  }
  return out;
}
