/**
 * The searches of an index that keeps int8 codes only (vector-index.ts): its float32 rows are
 * in IndexedDB, the single truth, and are read from there, never held. int8 search reads just
 * its candidates by key (one transaction); an exact search, and loading an index, read the
 * whole store a page at a time.
 */
import { dotFloat } from '../search/dot-product.ts';
import type { IndexStore } from './index-store.ts';
import { rescore } from '../search/rescore.ts';
import { sampleRows } from '../search/sample-rows.ts';
import { TopK } from '../search/top-k.ts';
import type { IndexFingerprint, IndexPrecision, SearchHit } from '../protocol/search-data.ts';
import { meanOfRows, VectorIndex } from '../search/vector-index.ts';

/** Records per page when the whole store is read: 1,000 × 1,024 floats is 4 MB at a time. */
export const PAGE_ROWS = 1000;

/**
 * A new index of every vector of `fp` in the store, keeping `keeps`, rows in chunk id order.
 * One that keeps int8 is centred on the mean of the sample rows (sampleRows), read by key
 * first, which is the centre a float32 index gives its own codes: both rank candidates alike.
 *
 * @example
 * const index = await loadIndex(store, fp, 'int8');   // index.bytes ≈ n × (dims + 4)
 */
export async function loadIndex(store: IndexStore, fp: IndexFingerprint, keeps: IndexPrecision): Promise<VectorIndex> {
  const d = fp.dimensions;
  const index = new VectorIndex(d, keeps);
  if (keeps === 'int8') {
    const ids = await store.vectorIds(fp);
    if (ids.length === 0) return index;
    const sample = await readRows(
      store,
      fp,
      sampleRows(ids.length).map((row) => ids[row] ?? ''),
    );
    index.centreOn(
      meanOfRows(
        sample,
        d,
        Array.from({ length: sample.length / d }, (_, i) => i),
      ),
    );
    index.reserve(ids.length);
  } else {
    index.reserve(await store.vectorCount(fp));
  }
  await store.forEachVectorPage(fp, PAGE_ROWS, (records) => {
    const flat = new Float32Array(records.length * d);
    records.forEach((record, i) => flat.set(record.vector, i * d));
    index.add(
      records.map((record) => record.chunkId),
      flat,
      d,
    );
  });
  return index;
}

/**
 * int8 search with the rows in the store: the int8 scan's candidates, their float32 vectors
 * read by key in one transaction, rescored exactly. Validates like VectorIndex.search.
 */
export async function searchInt8FromStore(
  store: IndexStore,
  fp: IndexFingerprint,
  index: VectorIndex,
  query: Float32Array,
  k: number,
): Promise<SearchHit[]> {
  const ids = index.candidates(query, k);
  return rescore(query, ids, await store.vectorsOf(fp, ids), k);
}

/**
 * Exact float32 top-k for each query, scanning every stored vector of `fp` once for all of
 * them, a page at a time: the float32 search of an index that keeps int8, and the truth its
 * recall is measured against. Ties go to the lower row of `index`, as in its own scans; a
 * stored vector the index does not hold (none, while the two are in step) is skipped.
 */
export async function exactSearchFromStore(
  store: IndexStore,
  fp: IndexFingerprint,
  index: VectorIndex,
  queries: readonly Float32Array[],
  k: number,
): Promise<SearchHit[][]> {
  queries.forEach((query) => index.checkQuery(query));
  const tops = queries.map(() => new TopK(Math.min(k, index.size)));
  if (index.size > 0) {
    await store.forEachVectorPage(fp, PAGE_ROWS, (records) => {
      for (const { chunkId, vector } of records) {
        const row = index.rowOf(chunkId);
        if (row === undefined || vector.length !== index.dims) continue;
        queries.forEach((query, q) => tops[q]?.push(row, dotFloat(query, vector, 0, index.dims)));
      }
    });
  }
  return tops.map((top) => top.sorted().map(({ row, score }) => ({ chunkId: index.idAt(row) ?? '', score })));
}

/** The vectors of these ids as one [ids.length × dims] matrix (a missing one stays zero). */
export async function readRows(store: IndexStore, fp: IndexFingerprint, ids: readonly string[]): Promise<Float32Array> {
  const d = fp.dimensions;
  const rows = new Float32Array(ids.length * d);
  (await store.vectorsOf(fp, ids)).forEach((vector, i) => {
    if (vector) rows.set(vector, i * d);
  });
  return rows;
}
