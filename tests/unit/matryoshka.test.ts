import { describe, expect, it } from 'vitest';
import { truncateAndNormalize } from '../../src/core/matryoshka.ts';

describe('truncateAndNormalize', () => {
  it('keeps the first d values, scaled to unit L2 norm in the same direction', () => {
    // |(3, 4, 12)| = 13; the tail (100, -7) must not count.
    const out = truncateAndNormalize(new Float32Array([3, 4, 12, 100, -7]), 3);
    expect(out).toHaveLength(3);
    expect(out[0]).toBeCloseTo(3 / 13, 6);
    expect(out[1]).toBeCloseTo(4 / 13, 6);
    expect(out[2]).toBeCloseTo(12 / 13, 6);
  });

  it('gives a vector of norm 1 within float32 rounding', () => {
    const input = new Float32Array(Array.from({ length: 64 }, (_, i) => Math.sin(i + 1) * (i + 1)));
    const out = truncateAndNormalize(input, 48);
    const norm = Math.sqrt(out.reduce((sum, v) => sum + v * v, 0));
    expect(Math.abs(norm - 1)).toBeLessThan(1e-6);
  });

  it('keeps negative signs', () => {
    const out = truncateAndNormalize(new Float32Array([-6, 8]), 2);
    expect(out[0]).toBeCloseTo(-0.6, 6);
    expect(out[1]).toBeCloseTo(0.8, 6);
  });

  it('leaves a zero vector zero instead of NaN', () => {
    const out = truncateAndNormalize(new Float32Array([0, 0, 0, 5]), 3);
    expect(Array.from(out)).toEqual([0, 0, 0]);
  });

  it('writes into the given output buffer', () => {
    const target = new Float32Array(2);
    const out = truncateAndNormalize(new Float32Array([0, 2, 9]), 2, target);
    expect(out).toBe(target);
    expect(Array.from(target)).toEqual([0, 1]);
  });
});
