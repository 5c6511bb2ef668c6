/**
 * The second step of an int8 search. The int8 scan (int8-rows.ts) keeps every row it cannot
 * rule out of the exact top k, and their float32 vectors (from memory, or read from IndexedDB
 * by key when the index keeps int8 only) are scored exactly. int8 then only has to put the
 * true top k among the candidates, not in the right order, and every score returned is a
 * float32 score.
 *
 * Which rows int8 cannot rule out: with every row's int8 error within τ (int8-rows.ts: a chance
 * below 10⁻⁹ per row for its τ), the k rows of best int8 score A₁ ≥ … ≥ A_k are truly ≥ A_k − τ,
 * so the k-th exact score is too, and a row with an int8 score below A_k − 2τ is truly below
 * A_k − τ: it cannot be in the top k. The candidates are the rest. How many that is, for
 * k = 10: on 10k / 100k random unit vectors × 1024 (`npm run bench:search`, 25 queries),
 * median 22 / 31 and at most 38 / 49; on the sample corpus embedded by the fixture (322 × 64,
 * the CLI's vectors, a one-off script), median 21 and at most 32 over its 60 queries. Recall@10
 * against exact search was 1.000 on all three; int8 alone, without rescoring, gave 0.988,
 * 0.984 and 0.985.
 *
 * Why not a fixed count: the same number of candidates is too few where scores crowd (many
 * near-duplicates, int8 codes of a coarse scale) and wasted where they do not, and each one
 * read from IndexedDB costs time (bench/search-latency.md). The rule reads what the error
 * bound needs, up to k + MAX_EXTRA_CANDIDATES rows (a latency bound for pathological indexes:
 * past it the worst-ranked candidates are dropped).
 */
import { dotFloat } from './dot-product.ts';
import { TopK } from './top-k.ts';
import type { SearchHit } from '../protocol/search-data.ts';

/** Most candidates beyond k one int8 search rescores (see above). */
export const MAX_EXTRA_CANDIDATES = 1000;

/**
 * The k best of the candidates by exact float32 dot product with `query`, best first (ties to
 * the earlier candidate). A candidate without a vector (removed from the store while the search
 * ran) is left out.
 *
 * @example
 * rescore(query, ['a#3', 'b#0'], [vectorA3, vectorB0], 1); // [{ chunkId: 'b#0', score: 0.71 }]
 */
export function rescore(
  query: Float32Array,
  ids: readonly string[],
  vectors: readonly (Float32Array | undefined)[],
  k: number,
): SearchHit[] {
  const top = new TopK(Math.min(k, ids.length));
  ids.forEach((_, i) => {
    const vector = vectors[i];
    if (vector && vector.length === query.length) top.push(i, dotFloat(query, vector, 0, query.length));
  });
  return top.sorted().map(({ row, score }) => ({ chunkId: ids[row] ?? '', score }));
}
