/**
 * The in-memory index the search worker scans. It keeps one of two things per row:
 *
 * - `float32` (the default): the rows themselves, a growable row-major Float32Array, searched
 *   exactly. int8 codes (int8-rows.ts) are built from them on the first int8 search after a
 *   change, O(n·d) once (~0.1 s at 100k × 1024), centred on the mean of a sample of the rows.
 * - `int8`: only the int8 codes, a quarter of the memory. The float32 rows stay in IndexedDB,
 *   the single truth; the search service reads the few it rescores from there
 *   (search-service.ts, store-search.ts). Rows added later are quantised around the centre
 *   chosen when the codes were built (the first batch's mean for an index that starts empty).
 *
 * int8 search is a two-step search in both: the int8 scan ranks every row approximately and
 * keeps the candidates it cannot rule out of the top k, then their float32 vectors are scored
 * exactly (rescore.ts), so its scores are float32 scores and its recall@10 against exact
 * search was 1.000 in every measurement (see rescore.ts). A brute-force scan is exact and, at the sizes
 * one tab holds (10⁴–10⁵ chunks), fast enough (see bench/search-latency.md); an approximate
 * graph index would cost build time and memory and lose recall for little gain there.
 */
import { EmbedError } from '../core/errors.ts';
import { dotFloat } from './dot-product.ts';
import { Int8Rows } from './int8-rows.ts';
import { sampleRows } from './sample-rows.ts';
import { MAX_EXTRA_CANDIDATES, rescore } from './rescore.ts';
import { TopK } from './top-k.ts';
import type { IndexPrecision, SearchHit } from '../protocol/search-data.ts';

/** Most hits one search may ask for: a results list, not an export (use the store for that). */
export const MAX_K = 1000;

/** Rows allocated at first, then doubled, so n adds cost O(n) copies in all. */
const INITIAL_ROWS = 256;

/**
 * @example
 * const index = new VectorIndex(1024);                  // keeps float32 rows
 * index.add(['a#0', 'a#1'], vectors, 1024);             // vectors: Float32Array(2 × 1024), L2-normalised
 * index.search(query, 10, 'int8');                      // [{ chunkId: 'a#1', score: 0.83 }, …] best first, exact scores
 * const small = new VectorIndex(1024, 'int8');          // keeps int8 codes only
 * small.add(['a#0', 'a#1'], vectors, 1024);
 * small.candidates(query, 10);                          // ['a#1', 'a#0']: ids to rescore, best int8 score first
 * // throws EmbedError INVALID_INPUT (wrong lengths), INVALID_OPTION (k outside 1..1000, unknown precision),
 * // NOT_LOADED (a search that needs float32 rows on an index keeping int8 only)
 */
export class VectorIndex {
  /** The rows, while this index keeps float32; undefined when it keeps int8. */
  private floats: Float32Array | undefined;
  private readonly int8: Int8Rows;
  /** Whether `int8` holds a code for every row (always true when the index keeps int8). */
  private codesFresh: boolean;
  /** int8 only: whether the centre has been chosen (by centreOn or the first batch). */
  private centred = false;
  private readonly ids: string[] = [];
  private readonly rowById = new Map<string, number>();

  constructor(
    readonly dims: number,
    readonly keeps: IndexPrecision = 'float32',
  ) {
    this.int8 = new Int8Rows(dims);
    this.floats = keeps === 'float32' ? new Float32Array(INITIAL_ROWS * dims) : undefined;
    this.codesFresh = keeps === 'int8';
  }

  get size(): number {
    return this.ids.length;
  }

  /** Bytes of the typed arrays this index holds (rows, codes, scales), allocated capacity included; ids not counted. */
  get bytes(): number {
    return (this.floats?.byteLength ?? 0) + (this.codesFresh ? this.int8.bytes : 0);
  }

  has(id: string): boolean {
    return this.rowById.has(id);
  }

  /** The row holding this id (rows follow insertion order, and close up after a removal). */
  rowOf(id: string): number | undefined {
    return this.rowById.get(id);
  }

  idAt(row: number): string | undefined {
    return this.ids[row];
  }

  /** A view of one row's float32 values (valid until the next add or remove). Throws NOT_LOADED when the index keeps int8. */
  vectorAt(row: number): Float32Array {
    return this.rows('read a float32 row').subarray(row * this.dims, (row + 1) * this.dims);
  }

  /** One row as its int8 code gives it back (centre + code · scale), into `out`: what the map projects when the rows are not in memory. */
  approximateVectorAt(row: number, out: Float32Array = new Float32Array(this.dims)): Float32Array {
    this.refreshCodes();
    return this.int8.dequantize(row, out);
  }

  /**
   * Sets the vector that int8 codes are quantised around, before the first add of an index
   * that keeps int8 (the search service passes the mean of a sample of the stored rows).
   * Without it the first batch's own mean is used.
   */
  centreOn(mean: Float32Array): void {
    if (this.keeps !== 'int8' || this.size > 0) {
      throw new EmbedError(
        'INVALID_OPTION',
        'centreOn() applies to an empty index that keeps int8: the centre of float32 indexes follows their rows',
      );
    }
    if (mean.length !== this.dims)
      throw new EmbedError('INVALID_INPUT', `the centre must have ${this.dims} values, got ${mean.length}`);
    this.int8.centreOn(mean);
    this.centred = true;
  }

  /** Adds `ids.length` rows from `vectors` ([ids.length × dims]); an id already present is overwritten in place. */
  add(ids: readonly string[], vectors: Float32Array, dims: number): void {
    if (dims !== this.dims) {
      throw new EmbedError(
        'INVALID_INPUT',
        `vectors have ${dims} dimensions but this index holds ${this.dims}: embed with dimensions ${this.dims}, or re-index`,
      );
    }
    if (vectors.length !== ids.length * dims) {
      throw new EmbedError(
        'INVALID_INPUT',
        `vectors hold ${vectors.length} values, expected ${ids.length} ids × ${dims} dimensions = ${ids.length * dims}`,
      );
    }
    if (ids.length === 0) return;
    this.reserve(this.size + ids.length);
    if (this.keeps === 'int8' && !this.centred) {
      this.int8.centreOn(
        meanOfRows(
          vectors,
          dims,
          ids.map((_, i) => i),
        ),
      );
      this.centred = true;
    }
    ids.forEach((id, i) => {
      let row = this.rowById.get(id);
      if (row === undefined) {
        row = this.ids.length;
        this.ids.push(id);
        this.rowById.set(id, row);
      }
      if (this.floats) this.floats.set(vectors.subarray(i * dims, (i + 1) * dims), row * dims);
      else this.int8.put(row, vectors, i * dims);
    });
    if (this.floats) this.codesFresh = false;
  }

  /** Drops these ids (unknown ones are ignored), keeping the other rows in order. Returns how many went. */
  remove(ids: Iterable<string>): number {
    const gone = new Set<string>();
    for (const id of ids) if (this.rowById.has(id)) gone.add(id);
    if (gone.size === 0) return 0;
    const d = this.dims;
    const kept: string[] = [];
    this.ids.forEach((id, row) => {
      if (gone.has(id)) return;
      const to = kept.length;
      if (to !== row) {
        if (this.floats) this.floats.copyWithin(to * d, row * d, (row + 1) * d);
        else this.int8.move(to, row);
      }
      kept.push(id);
    });
    this.ids.length = 0;
    this.rowById.clear();
    for (const id of kept) {
      this.rowById.set(id, this.ids.length);
      this.ids.push(id);
    }
    if (this.floats) this.codesFresh = false;
    return gone.size;
  }

  clear(): void {
    this.ids.length = 0;
    this.rowById.clear();
    if (this.floats) {
      this.codesFresh = false;
    } else {
      this.int8.clear();
      this.centred = false;
    }
  }

  /**
   * The k rows with the highest dot product with `query` (a cosine for L2-normalised vectors),
   * from the rows in memory: float32 scans them all; int8 scans the codes, then rescores the
   * candidates with their float32 rows, so int8 scores are exact float32 scores too. Throws NOT_LOADED when the index keeps int8 (the rows are in IndexedDB:
   * candidates() and the search service do that search).
   */
  search(query: Float32Array, k: number, precision: IndexPrecision): SearchHit[] {
    this.checkQuery(query);
    validateK(k);
    switch (precision) {
      case 'float32': {
        const rows = this.rows('search float32');
        const top = new TopK(Math.min(k, this.size));
        const d = this.dims;
        for (let row = 0; row < this.size; row++) top.push(row, dotFloat(query, rows, row * d, d));
        return top.sorted().map(({ row, score }) => ({ chunkId: this.ids[row] ?? '', score }));
      }
      case 'int8': {
        const rows = this.rows('rescore int8 candidates');
        const d = this.dims;
        const ids = this.candidates(query, k);
        const vectors = ids.map((id) => {
          const row = this.rowById.get(id) ?? 0;
          return rows.subarray(row * d, (row + 1) * d);
        });
        return rescore(query, ids, vectors, k);
      }
      default: {
        const unknown: never = precision;
        throw new EmbedError('INVALID_OPTION', `precision must be 'float32' or 'int8', got ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * The ids of the rows the int8 scan cannot rule out of the exact top k (rescore.ts): what
   * rescoring reads. In row order, not score order, so that rescoring breaks exact ties
   * (duplicate texts) by the lower row, as the float32 scan does.
   */
  candidates(query: Float32Array, k: number): string[] {
    this.checkQuery(query);
    validateK(k);
    this.refreshCodes();
    const rows = this.int8.candidates(query, k, this.size, k + MAX_EXTRA_CANDIDATES).map(({ row }) => row);
    return rows.sort((a, b) => a - b).map((row) => this.ids[row] ?? '');
  }

  /** Throws INVALID_INPUT unless `query` is a Float32Array of this index's dimensions. */
  checkQuery(query: Float32Array): void {
    if (!(query instanceof Float32Array) || query.length !== this.dims) {
      const got = query instanceof Float32Array ? `${query.length} values` : 'not a Float32Array';
      throw new EmbedError(
        'INVALID_INPUT',
        `the query must be a Float32Array of ${this.dims} values (this index's dimensions), got ${got}: embed it with dimensions ${this.dims}`,
      );
    }
  }

  private rows(action: string): Float32Array {
    if (!this.floats) {
      throw new EmbedError(
        'NOT_LOADED',
        `cannot ${action}: this index keeps int8 codes only and its float32 rows are in IndexedDB; search through the search service, which reads them from there, or keep float32`,
      );
    }
    return this.floats;
  }

  /** Makes room for `rows` rows in all: a load that knows its count allocates once, and exactly. */
  reserve(rows: number): void {
    if (!this.floats) return this.int8.reserve(rows);
    const capacity = this.floats.length / this.dims;
    if (rows <= capacity) return;
    // Exactly what a bulk load asks for into an empty index, doubling after that.
    const next = this.size === 0 ? rows : Math.max(rows, capacity * 2);
    const floats = new Float32Array(next * this.dims);
    floats.set(this.floats.subarray(0, this.size * this.dims));
    this.floats = floats;
  }

  /** float32 indexes only: every row's code, around the mean of the sample the int8 index would take (sampleRows). */
  private refreshCodes(): void {
    if (this.codesFresh || !this.floats) return;
    const n = this.size;
    this.int8.centreOn(meanOfRows(this.floats, this.dims, sampleRows(n)));
    this.int8.reserve(n);
    for (let row = 0; row < n; row++) this.int8.put(row, this.floats, row * this.dims);
    this.codesFresh = true;
  }
}

/**
 * Mean (summed in float64) of the listed rows of a row-major matrix; zeros for no rows.
 *
 * @example
 * meanOfRows(new Float32Array([1, 2, 3, 4]), 2, [0, 1]); // Float32Array [2, 3]
 */
export function meanOfRows(matrix: Float32Array, dims: number, rows: readonly number[]): Float32Array {
  const sum = new Float64Array(dims);
  for (const row of rows) for (let i = 0; i < dims; i++) sum[i] = (sum[i] ?? 0) + (matrix[row * dims + i] ?? 0);
  return Float32Array.from(sum, (total) => (rows.length > 0 ? total / rows.length : 0));
}

/** k must be a whole number from 1 to MAX_K (INVALID_OPTION otherwise). */
export function validateK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new EmbedError('INVALID_OPTION', `k must be a whole number from 1 to ${MAX_K}, got ${String(k)}`);
  }
}
