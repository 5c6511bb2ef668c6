import type { Embedder } from '../../client/index.ts';
import type { SearchResult } from '../../protocol/search-api.ts';
import type { IndexPrecision } from '../../protocol/search-data.ts';
import type { SearchWorker } from './search-worker.ts';

/** What a query runs on: the loaded model, the index, and the index's vector size. */
export interface QueryContext {
  embedder: Embedder;
  search: SearchWorker;
  dimensions: number;
}

export interface QueryOutcome {
  hits: SearchResult[];
  /** Where the query falls on the map. */
  point: { x: number; y: number };
  embedMs: number;
  searchMs: number;
  totalMs: number;
}

/** Embeds the query with its task (the priority lane overtakes an indexing run between batches), then searches off the main thread. */
export async function runQuery(
  context: QueryContext,
  query: string,
  instruction: string,
  precision: IndexPrecision,
  k: number,
): Promise<QueryOutcome> {
  const started = performance.now();
  const vector = await context.embedder.embedQuery(query, { instruction, dimensions: context.dimensions });
  const embedMs = performance.now() - started;
  const found = await context.search.search(vector, k, precision);
  const totalMs = performance.now() - started;
  return { hits: found.hits, point: await context.search.project(vector), embedMs, searchMs: found.ms, totalMs };
}

/** recall@k of the int8 index against float32, over the bundled sample queries. */
export async function measureInt8Recall(
  context: QueryContext,
  instruction: string,
  k: number,
): Promise<{ recall: number; queries: number }> {
  const { default: queries } = await import('../sample-corpus/queries.json');
  const vectors = await context.embedder.embed(
    queries.map((q) => q.query),
    { kind: 'query', instruction, dimensions: context.dimensions },
  );
  const flat = new Float32Array(vectors.length * context.dimensions);
  vectors.forEach((v, i) => flat.set(v, i * context.dimensions));
  return { recall: await context.search.int8Recall(flat, k), queries: vectors.length };
}
