/**
 * One query's answer from whatever the widget can search now: keyword hits alone before the
 * model is loaded, vector hits alone for an index without a lexical part, and once both can
 * answer, the two lists fused by reciprocal rank (src/search/rank-fusion.ts), each result
 * marked with the search (or searches) that found it.
 */
import { fuseRanks } from '../search/rank-fusion.ts';
import type { SemanticSearchResult } from './item-index.ts';

export interface QuerySearches {
  /** BM25 over the index's lexical part; undefined when it has none. */
  words: ((limit: number) => Promise<SemanticSearchResult[]>) | undefined;
  /** The model's ranking; undefined while the model is not loaded. */
  vectors: ((limit: number) => Promise<SemanticSearchResult[]>) | undefined;
}

/**
 * @example
 * await answerQuery({ words: (n) => index.words(q, n), vectors: undefined }, 5);
 * // [{ id: 'tea', …, score: 2.9, match: 'keyword' }]
 * await answerQuery({ words: (n) => index.words(q, n), vectors: (n) => rank(q, n) }, 5);
 * // [{ id: 'tea', …, score: 0.0328, match: 'both' }, { id: 'bread', …, score: 0.0161, match: 'semantic' }]
 */
export async function answerQuery({ words, vectors }: QuerySearches, limit: number): Promise<SemanticSearchResult[]> {
  if (!words) return vectors ? vectors(limit) : [];
  if (!vectors) return words(limit);
  // Each list to the depth shown: RRF needs ranks only, and a deeper list would fetch more item shards.
  const [keyword, semantic] = await Promise.all([words(limit), vectors(limit)]);
  return fuseRanks(
    [
      { source: 'keyword', items: keyword },
      { source: 'semantic', items: semantic },
    ],
    (result) => result.id,
    limit,
  ).map(({ item, score, sources }) => ({ ...item, score, match: sources.length > 1 ? 'both' : item.match }));
}
