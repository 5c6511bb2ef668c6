/**
 * recall@10 of the int8 scan against float32, on seeded random 1,024-d unit vectors.
 *
 * Threshold 0.95, and why: random unit vectors are the hard case for quantised search. With no
 * clusters, the top-10 cosines of 5,000 such vectors to a random query sit at ≈ 0.09–0.11 and
 * only ≈ 0.002 apart, while int8's score error has a standard deviation of ≈ 2.4·10⁻⁴ (half-step
 * uniform error of peak/127 ≈ 8·10⁻⁴ per value, summed over 1,024 values of a unit query).
 * Swaps happen only between near-ties at the 10th place, so recall stays near 0.98–1; a scale
 * or rounding bug (e.g. one scale for the whole index, or truncation) falls far below 0.95.
 * Real embeddings, with real clusters and larger gaps, do better.
 */
import { describe, expect, it } from 'vitest';
import { int8RecallOf, recallAtK } from '../../src/search/recall.ts';
import { VectorIndex } from '../../src/search/vector-index.ts';
import { randomUnitVectors } from './random-unit-vectors.ts';

describe('recallAtK', () => {
  it('averages the share of each exact list found', () => {
    expect(recallAtK([['a', 'b'], ['c', 'd', 'e', 'f']], [['b', 'x'], ['c', 'd', 'e', 'f']])).toBe(0.75);
    expect(recallAtK([[]], [['x']])).toBe(1);
    expect(() => recallAtK([['a']], [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('int8 recall@10', () => {
  it('is ≥ 0.95 against float32 on 5,000 random 1,024-d unit vectors and 50 random queries', () => {
    const D = 1024;
    const N = 5000;
    const index = new VectorIndex(D);
    index.add(Array.from({ length: N }, (_, i) => `v${i}`), randomUnitVectors(N, D, 11), D);
    const recall = int8RecallOf(index, randomUnitVectors(50, D, 12), 10);
    console.log(`int8 recall@10 on random 1024-d unit vectors: ${recall.toFixed(3)}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeLessThanOrEqual(1);
  });

  it('refuses queries whose length is not a multiple of the dimensions', () => {
    expect(() => int8RecallOf(new VectorIndex(8), new Float32Array(12), 10)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/expected n × 8/) }));
  });
});
