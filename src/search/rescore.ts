/**
 * The second step of an int8 search: the int8 scan (int8-rows.ts) keeps candidateCount(k)
 * candidates, and their float32 vectors (from memory, or read from IndexedDB by key when the
 * index keeps int8 only) are scored exactly. int8 then only has to put the true top k among
 * the candidates, not in the right order, and every score it returns is a float32 score.
 *
 * How many candidates, measured (scripts/bench/search-latency.ts prints the same figures):
 * TODO
 */
import { dotFloat } from './dot-product.ts';
import { TopK } from './top-k.ts';
import type { SearchHit } from './types.ts';

/** Candidates rescored for any k: TODO. */
export const MIN_CANDIDATES = 100;
/** Candidates per result asked for, for large k: TODO. */
export const CANDIDATES_PER_RESULT = 4;

/**
 * How many int8 candidates are rescored for k results out of `rows`.
 *
 * @example
 * candidateCount(10, 100_000); // 100
 * candidateCount(10, 40);      // 40: every row
 */
export function candidateCount(k: number, rows: number): number {
  return Math.min(rows, Math.max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * k));
}

/**
 * The k best of the candidates by exact float32 dot product with `query`, best first (ties to
 * the earlier candidate). A candidate without a vector (removed from the store while the search
 * ran) is left out.
 *
 * @example
 * rescore(query, ['a#3', 'b#0'], [vectorA3, vectorB0], 1); // [{ chunkId: 'b#0', score: 0.71 }]
 */
export function rescore(query: Float32Array, ids: readonly string[], vectors: readonly (Float32Array | undefined)[], k: number): SearchHit[] {
  const top = new TopK(Math.min(k, ids.length));
  ids.forEach((_, i) => {
    const vector = vectors[i];
    if (vector && vector.length === query.length) top.push(i, dotFloat(query, vector, 0, query.length));
  });
  return top.sorted().map(({ row, score }) => ({ chunkId: ids[row] ?? '', score }));
}
