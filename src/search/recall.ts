/**
 * recall@k: the share of the exact top-k that an approximate search also returns. The demo
 * shows it for int8 search (int8 scan, float32 rescoring) against float32, so a user sees what
 * the 4× smaller index costs.
 */
import { EmbedError } from '../core/errors.ts';
import type { VectorIndex } from './vector-index.ts';

/**
 * Mean over queries of |found ∩ truth| / |truth|, per query's truth list (a query whose truth
 * is empty counts as fully recalled: there was nothing to find).
 *
 * @example
 * recallAtK([['a', 'b']], [['b', 'c']]); // 0.5
 */
export function recallAtK(truth: readonly (readonly string[])[], found: readonly (readonly string[])[]): number {
  if (truth.length !== found.length) {
    throw new EmbedError(
      'INVALID_INPUT',
      `recall needs one result list per query: ${truth.length} exact lists but ${found.length} approximate ones`,
    );
  }
  if (truth.length === 0) return 1;
  let sum = 0;
  truth.forEach((exact, q) => {
    if (exact.length === 0) {
      sum += 1;
      return;
    }
    const got = new Set(found[q]);
    sum += exact.filter((id) => got.has(id)).length / exact.length;
  });
  return sum / truth.length;
}

/**
 * recall@k of an in-memory index's int8 search against its float32 search, for `queries`
 * ([n × dims]); the index must keep float32 (an index that keeps int8 is measured by the
 * search service, which reads the rows from IndexedDB). Throws INVALID_INPUT when the length
 * is not a positive multiple of the index's dimensions, NOT_LOADED for an int8-only index.
 */
export function int8RecallOf(index: VectorIndex, queries: Float32Array, k: number): number {
  const d = index.dims;
  if (queries.length === 0 || queries.length % d !== 0) {
    throw new EmbedError(
      'INVALID_INPUT',
      `queries hold ${queries.length} values: expected n × ${d} (this index's dimensions), n ≥ 1`,
    );
  }
  const truth: string[][] = [];
  const found: string[][] = [];
  for (let q = 0; q < queries.length / d; q++) {
    const query = queries.subarray(q * d, (q + 1) * d);
    truth.push(index.search(query, k, 'float32').map((hit) => hit.chunkId));
    found.push(index.search(query, k, 'int8').map((hit) => hit.chunkId));
  }
  return recallAtK(truth, found);
}
