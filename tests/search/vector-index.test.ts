/**
 * int8 quantisation, top-k selection and the vector index, each against a float64 brute force
 * written here: sort every score, take the first k. int8 search itself: int8-search.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/fixture/rng.ts';
import { INT8_MAX, quantizeInt8 } from '../../src/search/int8-quantize.ts';
import { TopK } from '../../src/search/top-k.ts';
import { VectorIndex } from '../../src/search/vector-index.ts';
import { randomUnitVectors } from './random-unit-vectors.ts';

const D = 64;

function row(m: Float32Array, r: number, d: number = D): Float32Array {
  return m.subarray(r * d, (r + 1) * d);
}

function dot64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/** The reference ranking: every row's float64 score, best first, ties to the lower row. */
function bruteForce(scores: readonly number[], k: number): { row: number; score: number }[] {
  return scores
    .map((score, r) => ({ row: r, score }))
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k);
}

describe('quantizeInt8', () => {
  it('maps each vector to codes in ±127 with one scale, each value within half a step', () => {
    const vectors = randomUnitVectors(50, D, 1);
    const { codes, scales } = quantizeInt8(vectors, D);
    for (let r = 0; r < 50; r++) {
      const v = row(vectors, r);
      const peak = Math.max(...Array.from(v, Math.abs));
      expect(scales[r]).toBeCloseTo(peak / 127, 9);
      const c = codes.subarray(r * D, (r + 1) * D);
      expect(Math.max(...Array.from(c, Math.abs))).toBe(INT8_MAX);
      // |v − code·scale| ≤ scale/2 (+ float32 rounding of the scale itself).
      for (let j = 0; j < D; j++)
        expect(Math.abs((v[j] ?? 0) - (c[j] ?? 0) * (scales[r] ?? 0))).toBeLessThanOrEqual(
          (scales[r] ?? 0) * 0.5 + 1e-7,
        );
    }
  });

  it('gives an all-zero vector scale 0 and zero codes', () => {
    const { codes, scales } = quantizeInt8(new Float32Array(8), 8);
    expect(scales[0]).toBe(0);
    expect([...codes]).toEqual(new Array(8).fill(0));
  });
});

describe('TopK', () => {
  it('keeps the k best of many tied scores, ties going to the lower row, like a full sort', () => {
    const rand = mulberry32(7);
    const scores = Array.from({ length: 5000 }, () => Math.floor(rand() * 50) / 50); // 50 distinct values: many ties
    for (const k of [1, 10, 100, 5000]) {
      const top = new TopK(k);
      scores.forEach((s, r) => top.push(r, s));
      expect(top.sorted()).toEqual(bruteForce(scores, k));
    }
  });

  it('returns fewer than k when fewer were pushed, and never keeps NaN', () => {
    const top = new TopK(5);
    [0.2, Number.NaN, 0.9].forEach((s, r) => top.push(r, s));
    expect(top.sorted()).toEqual([
      { row: 2, score: 0.9 },
      { row: 0, score: 0.2 },
    ]);
  });
});

describe('VectorIndex', () => {
  const N = 2000; // past the first allocation (256 rows), so growth is exercised
  const vectors = randomUnitVectors(N, D, 2);
  const queries = randomUnitVectors(20, D, 3);
  const ids = Array.from({ length: N }, (_, i) => `s#${i}`);
  const index = new VectorIndex(D);
  // Three batches, as storeVectors would add them.
  for (const [from, to] of [
    [0, 700],
    [700, 701],
    [701, N],
  ] as const)
    index.add(ids.slice(from, to), vectors.subarray(from * D, to * D), D);

  it('finds the same float32 top-10 as a float64 brute force, scores within 1e-6', () => {
    expect(index.size).toBe(N);
    for (let q = 0; q < 20; q++) {
      const query = row(queries, q);
      const expected = bruteForce(
        Array.from({ length: N }, (_, r) => dot64(query, row(vectors, r))),
        10,
      );
      const hits = index.search(query, 10, 'float32');
      expect(hits.map((h) => h.chunkId)).toEqual(expected.map((e) => `s#${e.row}`));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - (expected[i]?.score ?? 0))).toBeLessThan(1e-6));
    }
  });

  it('int8 search returns the float32 top-10 with bit-identical scores: the candidates are rescored in float32', () => {
    for (let q = 0; q < 20; q++) {
      const query = row(queries, q);
      expect(index.search(query, 10, 'int8')).toEqual(index.search(query, 10, 'float32'));
    }
  });

  it('overwrites an id added again in place, and removes rows keeping the others in order', () => {
    const small = new VectorIndex(4);
    small.add(['a', 'b', 'c'], new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), 4);
    small.add(['b'], new Float32Array([0, 0, 0, 1]), 4);
    expect(small.size).toBe(3);
    expect(small.search(new Float32Array([0, 0, 0, 1]), 1, 'float32')).toEqual([{ chunkId: 'b', score: 1 }]);
    expect(small.remove(['a', 'zzz'])).toBe(1);
    expect([small.idAt(0), small.idAt(1), small.size]).toEqual(['b', 'c', 2]);
    // Rescored in float32: exact scores, not int8's approximations.
    expect(small.search(new Float32Array([0, 0, 1, 0]), 5, 'int8')).toEqual([
      { chunkId: 'c', score: 1 },
      { chunkId: 'b', score: 0 },
    ]);
  });

  it('refuses a query of the wrong length, k outside 1..1000 and an unknown precision', () => {
    expect(() => index.search(new Float32Array(D + 1), 10, 'float32')).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/Float32Array of 64 values .* got 65 values/),
      }),
    );
    for (const k of [0, 1001, 2.5])
      expect(() => index.search(row(queries, 0), k, 'float32')).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: expect.stringMatching(/k must be a whole number from 1 to 1000/),
        }),
      );
    // @ts-expect-error: a precision the type does not allow, as a page could send over Comlink
    expect(() => index.search(row(queries, 0), 10, 'fp16')).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/precision must be 'float32' or 'int8'/),
      }),
    );
    expect(() => index.add(['x'], new Float32Array(32), 32)).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/32 dimensions but this index holds 64/),
      }),
    );
    expect(() => index.add(['x', 'y'], new Float32Array(D), D)).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/expected 2 ids × 64 dimensions = 128/),
      }),
    );
  });
});
