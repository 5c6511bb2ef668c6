/**
 * A compact (version 2) index as the widget searches it: the head is in memory, the shards are
 * fetched beside it as searches need them (src/search/compact-index.ts decides which).
 */
import { CompactIndex, type CompactFiles } from '../search/compact-index.ts';
import type { CompactHead } from '../search/compact-head.ts';
import { resultOf, type SemanticSearchResult, type WidgetIndex } from './item-index.ts';

export class CompactItemIndex implements WidgetIndex {
  private readonly index: CompactIndex;

  constructor(head: CompactHead, files: CompactFiles) {
    this.index = new CompactIndex(head, files);
  }

  get size(): number {
    return this.index.size;
  }

  get dimensions(): number {
    return this.index.dimensions;
  }

  /** The index has a lexical part (`tabembed index --lexical`): it answers by keyword without the model. */
  get lexical(): boolean {
    return this.index.head.lexical !== undefined;
  }

  /**
   * The `limit` best items by BM25 over the query's words (only items sharing a word with it).
   *
   * @example
   * await index.words('green tea', 5); // [{ id: 'tea', …, score: 2.9, match: 'keyword' }]
   * // rejects with EmbedError SOURCE_INVALID when the lexical part or an item shard is missing or damaged
   */
  async words(query: string, limit: number): Promise<SemanticSearchResult[]> {
    return (await this.index.searchWords(query, limit)).map(({ item, score }) => resultOf(item, score, 'keyword'));
  }

  /**
   * @example
   * await index.rank(queryVector, 5); // [{ id: 'tea', text: '…', url: '#tea', title: 'Green tea', score: 0.61 }, …]
   * // rejects with EmbedError SOURCE_INVALID when a shard is missing or damaged
   */
  async rank(query: Float32Array, limit: number): Promise<SemanticSearchResult[]> {
    return (await this.index.search(query, limit)).map(({ item, score }) => resultOf(item, score));
  }
}
