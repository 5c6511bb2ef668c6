/**
 * recall@10 of int8 search (int8 scan, float32 rescoring of the candidates) against exact
 * float32 search, on seeded random 1,024-d unit vectors.
 *
 * Random unit vectors are the hard case for int8: with no clusters, the top-10 cosines of
 * 100,000 of them to a random query sit ≈ 0.11–0.13 and a few 10⁻³ apart, within reach of
 * int8's rounding error (σ ≈ 2.5·10⁻⁴ per score), so int8 alone swaps near-ties at 10th place:
 * its recall@10 was 0.982 at 100k (bench/search-latency.md). Rescoring reads every candidate
 * whose int8 score is within the error bound of the 10th (rescore.ts), and measured 1.000 here
 * (20 queries, 200 of 200 found). The bar, 0.99, is what the issue asks for; a broken rule (a
 * bound too tight, codes out of step with ids, rescoring skipped) loses several of the 200
 * and falls below it.
 */
import { describe, expect, it } from 'vitest';
import { int8RecallOf, recallAtK } from '../../src/search/recall.ts';
import { VectorIndex } from '../../src/search/vector-index.ts';
import { randomUnitVectors } from './random-unit-vectors.ts';

describe('recallAtK', () => {
  it('averages the share of each exact list found', () => {
    expect(
      recallAtK(
        [
          ['a', 'b'],
          ['c', 'd', 'e', 'f'],
        ],
        [
          ['b', 'x'],
          ['c', 'd', 'e', 'f'],
        ],
      ),
    ).toBe(0.75);
    expect(recallAtK([[]], [['x']])).toBe(1);
    expect(() => recallAtK([['a']], [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('int8 recall@10', () => {
  it('is ≥ 0.99 against exact float32 search on 100,000 random 1,024-d unit vectors and 20 random queries', () => {
    const D = 1024;
    const N = 100_000;
    const index = new VectorIndex(D);
    index.add(
      Array.from({ length: N }, (_, i) => `v${i}`),
      randomUnitVectors(N, D, 11),
      D,
    );
    const recall = int8RecallOf(index, randomUnitVectors(20, D, 12), 10);
    console.log(`int8 (rescored) recall@10 on 100k random 1024-d unit vectors: ${recall.toFixed(3)}`);
    expect(recall).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeLessThanOrEqual(1);
  }, 120_000);

  it('refuses queries whose length is not a multiple of the dimensions', () => {
    expect(() => int8RecallOf(new VectorIndex(8), new Float32Array(12), 10)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/expected n × 8/) }),
    );
  });
});
