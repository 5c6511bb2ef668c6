/**
 * recall@k of a compact index against exact search at full width, and what its files weigh:
 * shared by tests/search/compact-index.test.ts (recall floors) and bench/index-size.ts (the
 * table). The truth is a float64 scan written here, not the index's own float32 path.
 */
import { truncateAndNormalize } from '../../src/core/matryoshka.ts';
import { CompactIndex, type CompactFiles } from '../../src/search/compact-index.ts';
import { writeCompactIndex, type CompactEncoding, type CompactFile } from '../../src/search/compact-index-file.ts';
import { parseCompactHead } from '../../src/search/compact-head.ts';
import { recallAtK } from '../../src/search/recall.ts';
import type { SearchItem } from '../../src/search/corpus-file.ts';

/** The ids of the k rows of largest dot product with `query` (float64 sums, ties to the lower row). */
export function exactTop(vectors: Float32Array, dims: number, query: Float32Array, k: number): string[] {
  const scores: [number, number][] = [];
  for (let row = 0; row * dims < vectors.length; row++) {
    let sum = 0;
    for (let i = 0; i < dims; i++) sum += (query[i] ?? 0) * (vectors[row * dims + i] ?? 0);
    scores.push([row, sum]);
  }
  scores.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return scores.slice(0, k).map(([row]) => String(row));
}

/** Every row cut to its first `dims` values and renormalised, as the engine's `dimensions` does. */
export function cutRows(vectors: Float32Array, full: number, dims: number): Float32Array {
  const rows = vectors.length / full;
  const out = new Float32Array(rows * dims);
  for (let row = 0; row < rows; row++)
    truncateAndNormalize(vectors.subarray(row * full, (row + 1) * full), dims, out.subarray(row * dims));
  return out;
}

/** A written index's files, served from memory, with every name asked for logged in order. */
export function memoryFiles(files: readonly CompactFile[]): CompactFiles & { fetched: string[] } {
  const byName = new Map(files.map((file) => [file.name, file.content]));
  const fetched: string[] = [];
  const get = (name: string): Uint8Array | string => {
    fetched.push(name);
    const content = byName.get(name);
    if (content === undefined) throw new Error(`no file ${name}`);
    return content;
  };
  return {
    fetched,
    bytes: (name) => Promise.resolve(get(name)).then((c) => (typeof c === 'string' ? new TextEncoder().encode(c) : c)),
    text: (name) => Promise.resolve(get(name)).then((c) => (typeof c === 'string' ? c : new TextDecoder().decode(c))),
  };
}

export interface CompactMeasure {
  recall: number;
  /** Bytes of the codes a search reads for every row (the .bin files of the vectors kind), per item. */
  searchBytesPerItem: number;
  /** Every vector file (codes, and rescore codes for binary), per item: no item texts, no head. */
  vectorBytesPerItem: number;
  /** The written index: the head's text and every shard file (item shards included). */
  head: string;
  files: CompactFile[];
}

/**
 * Writes `docs` (full-width rows) as a compact index at `dims` in `encoding`, searches it with
 * each query cut to `dims`, and compares the top k with exact search of the full-width rows.
 */
export async function measureCompact(
  docs: Float32Array,
  queries: Float32Array,
  full: number,
  dims: number,
  encoding: CompactEncoding,
  items: readonly SearchItem[] = Array.from({ length: docs.length / full }, (_, i) => ({
    id: String(i),
    text: `item ${i}`,
  })),
  k = 10,
): Promise<CompactMeasure> {
  const n = docs.length / full;
  const fingerprint = { model: 'm', revision: undefined, dtype: 'fp32', dimensions: dims, instructionPolicy: 'p' };
  const index = { fingerprint, instruction: 'i', items: [...items], vectors: cutRows(docs, full, dims) };
  const { head, files } = writeCompactIndex(index, encoding, 1000, 'index');
  const compact = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), memoryFiles(files));
  const cutQueries = cutRows(queries, full, dims);
  const truth: string[][] = [];
  const found: string[][] = [];
  for (let q = 0; q * full < queries.length; q++) {
    truth.push(
      exactTop(docs, full, queries.subarray(q * full, (q + 1) * full), k).map((row) => items[Number(row)]?.id ?? ''),
    );
    const hits = await compact.search(cutQueries.subarray(q * dims, (q + 1) * dims), k);
    found.push(hits.map((hit) => hit.item.id));
  }
  const size = (kind: string): number =>
    files
      .filter((file) => file.name.startsWith(`index-${kind}`))
      .reduce((sum, file) => sum + (typeof file.content === 'string' ? 0 : file.content.length), 0);
  return {
    recall: recallAtK(truth, found),
    searchBytesPerItem: size('v') / n,
    vectorBytesPerItem: (size('v') + size('r')) / n,
    head,
    files,
  };
}
