/**
 * The in-memory index the search worker scans: a growable row-major Float32 matrix and its int8
 * codes with one scale per row (int8-quantize.ts), quantised around the index's mean vector.
 *
 * Why the mean: embeddings are not centred on zero (a model's vectors share a large common
 * direction; the random-weight fixture's even more so), and per-row max-abs scaling then spends
 * most of the 255 levels on that shared part. dot(q, v) = dot(q, v − μ) + dot(q, μ), and the
 * second term is the same for every row of one query, so quantising v − μ ranks exactly as
 * well as v would and rounds only what tells rows apart. Measured on the sample corpus with
 * the fixture, recall@10 against float32 went from 0.985 to 0.992. The codes are rebuilt from the float rows on the
 * first int8 search after a change, O(n·d) once (~0.1 s at 100k × 1024), because a new mean
 * changes every row's residual. A brute-
 * force scan is exact and, at the sizes one tab holds (10⁴–10⁵ chunks), fast enough (see
 * bench/search-latency.md); an approximate graph index would cost build time and memory and
 * lose recall for little gain there.
 */
import { EmbedError } from '../core/errors.ts';
import { quantizeInto } from './int8-quantize.ts';
import { TopK } from './top-k.ts';
import type { IndexPrecision, SearchHit } from './types.ts';

/** Most hits one search may ask for: a results list, not an export (use the store for that). */
export const MAX_K = 1000;

/** Rows allocated at first, then doubled, so n adds cost O(n) copies in all. */
const INITIAL_ROWS = 256;

/**
 * @example
 * const index = new VectorIndex(1024);
 * index.add(['a#0', 'a#1'], vectors, 1024);   // vectors: Float32Array(2 × 1024), L2-normalised
 * index.search(query, 10, 'int8');            // [{ chunkId: 'a#1', score: 0.83 }, …] best first
 * // throws EmbedError INVALID_INPUT (wrong lengths), INVALID_OPTION (k outside 1..1000, unknown precision)
 */
export class VectorIndex {
  private floats: Float32Array;
  /** int8 codes of each row's residual from `mean`, valid while `codesFresh`. */
  private codes = new Int8Array(0);
  private scales = new Float32Array(0);
  private mean: Float32Array;
  private codesFresh = false;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(readonly dims: number) {
    this.floats = new Float32Array(INITIAL_ROWS * dims);
    this.mean = new Float32Array(dims);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  idAt(row: number): string | undefined {
    return this.ids[row];
  }

  /** A view of one row's float32 values (valid until the next add or remove). */
  vectorAt(row: number): Float32Array {
    return this.floats.subarray(row * this.dims, (row + 1) * this.dims);
  }

  /** Adds `ids.length` rows from `vectors` ([ids.length × dims]); an id already present is overwritten in place. */
  add(ids: readonly string[], vectors: Float32Array, dims: number): void {
    if (dims !== this.dims) {
      throw new EmbedError('INVALID_INPUT', `vectors have ${dims} dimensions but this index holds ${this.dims}: embed with dimensions ${this.dims}, or re-index`);
    }
    if (vectors.length !== ids.length * dims) {
      throw new EmbedError('INVALID_INPUT', `vectors hold ${vectors.length} values, expected ${ids.length} ids × ${dims} dimensions = ${ids.length * dims}`);
    }
    this.reserve(this.size + ids.length);
    ids.forEach((id, i) => {
      let row = this.rowOf.get(id);
      if (row === undefined) {
        row = this.ids.length;
        this.ids.push(id);
        this.rowOf.set(id, row);
      }
      this.floats.set(vectors.subarray(i * dims, (i + 1) * dims), row * dims);
    });
    this.codesFresh = false;
  }

  /** Drops these ids (unknown ones are ignored), keeping the other rows in order. Returns how many went. */
  remove(ids: Iterable<string>): number {
    const gone = new Set<string>();
    for (const id of ids) if (this.rowOf.has(id)) gone.add(id);
    if (gone.size === 0) return 0;
    const d = this.dims;
    const kept: string[] = [];
    this.ids.forEach((id, row) => {
      if (gone.has(id)) return;
      const to = kept.length;
      if (to !== row) {
        this.floats.copyWithin(to * d, row * d, (row + 1) * d);
      }
      kept.push(id);
    });
    this.ids.length = 0;
    this.rowOf.clear();
    for (const id of kept) {
      this.rowOf.set(id, this.ids.length);
      this.ids.push(id);
    }
    this.codesFresh = false;
    return gone.size;
  }

  clear(): void {
    this.ids.length = 0;
    this.rowOf.clear();
    this.codesFresh = false;
  }

  /**
   * The k rows with the highest dot product with `query` (a cosine for L2-normalised vectors).
   * int8 scores are dot(query_f32, codes) · scale + dot(query, mean): the query stays float, so
   * only the stored side is rounded.
   */
  search(query: Float32Array, k: number, precision: IndexPrecision): SearchHit[] {
    if (!(query instanceof Float32Array) || query.length !== this.dims) {
      const got = query instanceof Float32Array ? `${query.length} values` : 'not a Float32Array';
      throw new EmbedError('INVALID_INPUT', `the query must be a Float32Array of ${this.dims} values (this index's dimensions), got ${got}: embed it with dimensions ${this.dims}`);
    }
    validateK(k);
    const top = new TopK(Math.min(k, this.size));
    const d = this.dims;
    switch (precision) {
      case 'float32':
        for (let row = 0; row < this.size; row++) top.push(row, dotFloat(query, this.floats, row * d, d));
        break;
      case 'int8': {
        this.refreshCodes();
        const base = dotFloat(query, this.mean, 0, d);
        for (let row = 0; row < this.size; row++) top.push(row, dotInt8(query, this.codes, row * d, d) * (this.scales[row] ?? 0) + base);
        break;
      }
      default: {
        const unknown: never = precision;
        throw new EmbedError('INVALID_OPTION', `precision must be 'float32' or 'int8', got ${JSON.stringify(unknown)}`);
      }
    }
    return top.sorted().map(({ row, score }) => ({ chunkId: this.ids[row] ?? '', score }));
  }

  private reserve(rows: number): void {
    const capacity = this.floats.length / this.dims;
    if (rows <= capacity) return;
    let next = capacity;
    while (next < rows) next *= 2;
    const floats = new Float32Array(next * this.dims);
    floats.set(this.floats.subarray(0, this.size * this.dims));
    this.floats = floats;
  }

  /** Mean of the rows (in float64), then every row's residual quantised around it. */
  private refreshCodes(): void {
    if (this.codesFresh) return;
    const d = this.dims;
    const n = this.size;
    const sum = new Float64Array(d);
    for (let row = 0; row < n; row++) for (let i = 0; i < d; i++) sum[i] = (sum[i] ?? 0) + (this.floats[row * d + i] ?? 0);
    this.mean = Float32Array.from(sum, (total) => (n > 0 ? total / n : 0));
    if (this.codes.length < n * d) {
      this.codes = new Int8Array(this.floats.length);
      this.scales = new Float32Array(this.floats.length / d);
    }
    const residual = new Float32Array(d);
    for (let row = 0; row < n; row++) {
      for (let i = 0; i < d; i++) residual[i] = (this.floats[row * d + i] ?? 0) - (this.mean[i] ?? 0);
      this.scales[row] = quantizeInto(residual, 0, d, this.codes, row * d);
    }
    this.codesFresh = true;
  }
}

/** k must be a whole number from 1 to MAX_K (INVALID_OPTION otherwise). */
export function validateK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new EmbedError('INVALID_OPTION', `k must be a whole number from 1 to ${MAX_K}, got ${String(k)}`);
  }
}

// The two kernels are the whole cost of a search (n × d multiply-adds). Four accumulators let
// V8 keep independent chains in flight: 20-30 % faster than one in a quick Node test here.
// Two functions rather than one over `Float32Array | Int8Array`, so each load site sees one
// element kind and stays monomorphic.
function dotFloat(q: Float32Array, m: Float32Array, offset: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (q[i] ?? 0) * (m[offset + i] ?? 0);
    s1 += (q[i + 1] ?? 0) * (m[offset + i + 1] ?? 0);
    s2 += (q[i + 2] ?? 0) * (m[offset + i + 2] ?? 0);
    s3 += (q[i + 3] ?? 0) * (m[offset + i + 3] ?? 0);
  }
  for (; i < d; i++) s0 += (q[i] ?? 0) * (m[offset + i] ?? 0);
  return s0 + s1 + s2 + s3;
}

function dotInt8(q: Float32Array, codes: Int8Array, offset: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (q[i] ?? 0) * (codes[offset + i] ?? 0);
    s1 += (q[i + 1] ?? 0) * (codes[offset + i + 1] ?? 0);
    s2 += (q[i + 2] ?? 0) * (codes[offset + i + 2] ?? 0);
    s3 += (q[i + 3] ?? 0) * (codes[offset + i + 3] ?? 0);
  }
  for (; i < d; i++) s0 += (q[i] ?? 0) * (codes[offset + i] ?? 0);
  return s0 + s1 + s2 + s3;
}
