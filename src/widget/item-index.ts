/**
 * The items a widget searches, with their vectors in the search layer's VectorIndex: an exact
 * dot-product (= cosine, rows are unit length) top-k over float32 rows, on the page's thread.
 * A widget's corpus is small (a site's pages, an FAQ): 10,000 × 1,024 takes ~12 ms
 * (bench/search-latency.md), so a search worker would cost more in start-up than it saves.
 */
import { VectorIndex } from '../search/vector-index.ts';
import type { SearchItem } from '../search/corpus-file.ts';

/** One ranked result, as the `results` event and `search()` report it. */
export interface SemanticSearchResult {
  id: string;
  text: string;
  url: string | undefined;
  title: string | undefined;
  /**
   * `semantic`: the cosine similarity of the query and the item (−1…1); `keyword`: its BM25
   * score (0…); `both`: its reciprocal rank fusion score (src/search/rank-fusion.ts). Once the
   * model is loaded over an index with a lexical part, every score is the fusion's.
   */
  score: number;
  /** Which search found it: the words (BM25), the meaning (the model), or both. */
  match: ResultMatch;
}

export type ResultMatch = 'keyword' | 'semantic' | 'both';

/** What a widget searches: the items held in memory (ItemIndex), or a compact index read lazily (compact-item-index.ts). */
export interface WidgetIndex {
  readonly size: number;
  readonly dimensions: number;
  /** The `limit` best items for an L2-normalised query of `dimensions` values, best first. */
  rank(query: Float32Array, limit: number): Promise<SemanticSearchResult[]>;
}

export class ItemIndex implements WidgetIndex {
  private readonly vectors: VectorIndex;
  private readonly byId = new Map<string, SearchItem>();

  /** `vectors` is row-major [items.length × dimensions], row i for items[i], L2-normalised. */
  constructor(
    readonly items: readonly SearchItem[],
    vectors: Float32Array,
    readonly dimensions: number,
  ) {
    this.vectors = new VectorIndex(dimensions);
    this.vectors.add(
      items.map((item) => item.id),
      vectors,
      dimensions,
    );
    for (const item of items) this.byId.set(item.id, item);
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * @example
   * await index.rank(queryVector, 5); // [{ id: 'bread', text: '…', url: '/recipes/bread', title: 'Bread', score: 0.61 }, …] best first
   */
  rank(query: Float32Array, limit: number): Promise<SemanticSearchResult[]> {
    return Promise.resolve(
      this.vectors
        .search(query, Math.min(limit, this.size), 'float32')
        .map(({ chunkId, score }) => resultOf(this.byId.get(chunkId) ?? { id: chunkId, text: '' }, score)),
    );
  }
}

/** An item and its score as a result reports them (url and title present, undefined when the item has none). */
export function resultOf(item: SearchItem, score: number, match: ResultMatch = 'semantic'): SemanticSearchResult {
  return { id: item.id, text: item.text, url: item.url, title: item.title, score, match };
}
