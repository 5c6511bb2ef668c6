/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list votes
 * 1 / (k + rank) for each of its items (rank from 1), and items are ordered by the sum of their
 * votes. It reads ranks only, so a BM25 score and a cosine, which share no scale, fuse without
 * any tuning. k = 60 is the paper's constant and the one search engines ship as the default
 * (Elasticsearch, OpenSearch, Vespa): it damps the gap between the first few ranks, so an item
 * both lists rank fairly well beats one that only a single list ranks first.
 */

/** The usual constant: the paper's, and the default of the search engines that offer RRF. */
export const RRF_K = 60;

/** One ranked list, best first, and the name of what ranked it. */
export interface RankedList<T, S extends string> {
  source: S;
  items: readonly T[];
}

/** An item in the fused order: its RRF score and the lists that ranked it, in the lists' order. */
export interface FusedItem<T, S extends string> {
  item: T;
  score: number;
  sources: S[];
}

/**
 * The items of every list by their summed reciprocal ranks, best first, at most `limit`. Items
 * are the same item when `key` gives the same string; the item kept is the first list's. Ties
 * keep the order in which the items were first met (list by list, rank by rank), so the result
 * never depends on a sort's stability. An item listed twice by one list counts at its best rank.
 *
 * @example
 * fuseRanks([{ source: 'keyword', items: ['a', 'b'] }, { source: 'semantic', items: ['b', 'c'] }], (x) => x, 3);
 * // [{ item: 'b', score: 1/62 + 1/61, sources: ['keyword', 'semantic'] },
 * //  { item: 'a', score: 1/61, sources: ['keyword'] }, { item: 'c', score: 1/62, sources: ['semantic'] }]
 */
export function fuseRanks<T, S extends string>(
  lists: readonly RankedList<T, S>[],
  key: (item: T) => string,
  limit: number,
  k: number = RRF_K,
): FusedItem<T, S>[] {
  const fused = new Map<string, FusedItem<T, S> & { first: number }>();
  for (const { source, items } of lists) {
    items.forEach((item, i) => {
      const id = key(item);
      const entry = fused.get(id) ?? { item, score: 0, sources: [], first: fused.size };
      if (entry.sources.includes(source)) return; // a repeat within one list: its best rank already counted
      entry.score += 1 / (k + i + 1);
      entry.sources.push(source);
      fused.set(id, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, Math.max(0, limit))
    .map(({ item, score, sources }) => ({ item, score, sources }));
}
