/**
 * The int8 side of the vector index: one signed byte per value and one float scale per row
 * (int8-quantize.ts), each row quantised as its residual from a centre vector, and the scan that
 * ranks every row by its approximate score to pick the candidates that rescoring then scores
 * exactly (vector-index.ts, rescore.ts).
 *
 * Why a centre: embeddings are not centred on zero (a model's vectors share a large common
 * direction; the random-weight fixture's even more so), and per-row max-abs scaling then spends
 * most of the 255 levels on that shared part. dot(q, v) = dot(q, v − μ) + dot(q, μ) for any μ,
 * and the second term is the same for every row of one query, so quantising v − μ ranks exactly
 * as well as v would and rounds only what tells rows apart. Plain int8 recall@10 on the sample
 * corpus with the fixture went from 0.985 to 0.992 with the mean as μ. μ need not be the exact
 * mean, only near it: rows added after the centre was chosen are quantised around the same μ,
 * so their codes stay valid without re-reading any row.
 */
import { quantizeInto } from './int8-quantize.ts';
import { TopK } from './top-k.ts';

/**
 * @example
 * const rows = new Int8Rows(1024);
 * rows.centreOn(mean);                 // Float32Array(1024)
 * rows.reserve(2);
 * rows.put(0, vectors, 0);             // row 0 ← vectors[0 .. 1024)
 * rows.put(1, vectors, 1024);
 * rows.candidates(query, 1, 2, 100);  // [{ row: 1, score: 0.83 }, …]: approximate scores, best first
 */
export class Int8Rows {
  private codes = new Int8Array(0);
  private scales = new Float32Array(0);
  private centre: Float32Array;
  private readonly residual: Float32Array;

  constructor(readonly dims: number) {
    this.centre = new Float32Array(dims);
    this.residual = new Float32Array(dims);
  }

  /**
   * Rows whose codes and scales were made elsewhere (a compact index file, compact-index-file.ts),
   * quantised around `centre` the way `put` does; the arrays are kept, not copied.
   */
  static fromCodes(
    dims: number,
    centre: Float32Array,
    codes: Int8Array<ArrayBuffer>,
    scales: Float32Array<ArrayBuffer>,
  ): Int8Rows {
    const rows = new Int8Rows(dims);
    rows.centre = Float32Array.from(centre);
    rows.codes = codes;
    rows.scales = scales;
    return rows;
  }

  /** The codes and scales of rows `0 .. rows)`, as `fromCodes` takes them back (views, not copies). */
  exportRows(rows: number): { codes: Int8Array; scales: Float32Array } {
    return { codes: this.codes.subarray(0, rows * this.dims), scales: this.scales.subarray(0, rows) };
  }

  /** Rows with room allocated. */
  get capacity(): number {
    return this.scales.length;
  }

  /** Bytes of the codes, scales and centre: what int8 costs in memory. */
  get bytes(): number {
    return this.codes.byteLength + this.scales.byteLength + this.centre.byteLength;
  }

  /** The vector rows are quantised around from now on; rows put before keep their old codes, so call it before the first put. */
  centreOn(mean: Float32Array): void {
    this.centre = Float32Array.from(mean);
  }

  /** Makes room for `rows` rows: exactly that many the first time (a bulk load), then by doubling. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const next = this.capacity === 0 ? rows : Math.max(rows, this.capacity * 2);
    const codes = new Int8Array(next * this.dims);
    codes.set(this.codes);
    const scales = new Float32Array(next);
    scales.set(this.scales);
    this.codes = codes;
    this.scales = scales;
  }

  /** Quantises `vectors[offset .. offset + dims)` − centre into `row` (within capacity). */
  put(row: number, vectors: Float32Array, offset: number): void {
    const d = this.dims;
    for (let i = 0; i < d; i++) this.residual[i] = (vectors[offset + i] ?? 0) - (this.centre[i] ?? 0);
    this.scales[row] = quantizeInto(this.residual, 0, d, this.codes, row * d);
  }

  /** The row's scale: its quantisation step (int8-quantize.ts). */
  scaleOf(row: number): number {
    return this.scales[row] ?? 0;
  }

  /** Copies row `from` onto row `to` (compaction after a removal). */
  move(to: number, from: number): void {
    const d = this.dims;
    this.codes.copyWithin(to * d, from * d, (from + 1) * d);
    this.scales[to] = this.scales[from] ?? 0;
  }

  /** Drops every row and the centre, and gives the memory back. */
  clear(): void {
    this.codes = new Int8Array(0);
    this.scales = new Float32Array(0);
    this.centre = new Float32Array(this.dims);
  }

  /** The row's value as int8 holds it, centre + code · scale, into `out` (dims long). */
  dequantize(row: number, out: Float32Array): Float32Array {
    const d = this.dims;
    const scale = this.scales[row] ?? 0;
    for (let i = 0; i < d; i++) out[i] = (this.centre[i] ?? 0) + (this.codes[row * d + i] ?? 0) * scale;
    return out;
  }

  /**
   * The rows of `0 .. rows)` that int8 cannot rule out of the exact top k for `query`: every
   * row whose approximate score, dot(query, codes) · scale + dot(query, centre), is within
   * 2τ of the k-th best approximate score, best first, at most `cap` of them (rescore.ts says
   * why this keeps the true top k). τ = ERROR_Z · (largest scale) · |query|₂ bounds every
   * row's rounding error but for a chance below ERROR_P per row. The query stays float, so only
   * the stored side is rounded.
   */
  candidates(query: Float32Array, k: number, rows: number, cap: number): { row: number; score: number }[] {
    const d = this.dims;
    // A float64 copy of the query: one element kind at the load site, and no float32→64
    // conversion per value.
    const q = Float64Array.from(query);
    let base = 0;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      base += (q[i] ?? 0) * (this.centre[i] ?? 0);
      norm += (q[i] ?? 0) ** 2;
    }
    const top = new TopK(Math.min(Math.max(k, cap), rows));
    let largestScale = 0;
    for (let row = 0; row < rows; row++) {
      const scale = this.scales[row] ?? 0;
      if (scale > largestScale) largestScale = scale;
      top.push(row, dotInt8(q, this.codes, row * d, d) * scale + base);
    }
    const ranked = top.sorted();
    const kth = ranked[Math.min(k, ranked.length) - 1]?.score ?? 0;
    const tau = ERROR_Z * largestScale * Math.sqrt(norm);
    return ranked.filter(({ score }) => score >= kth - 2 * tau);
  }
}

/**
 * The chance, per row and query, that a row's int8 score is off by more than τ; ERROR_Z is τ in
 * units of scale · |query|₂ that Hoeffding's inequality gives for it. A row's error is
 * Σ qᵢ·εᵢ, each rounding error εᵢ in [−scale/2, scale/2]; taking them as independent,
 * P(|error| ≥ t) ≤ 2·exp(−2t² / (scale²·|q|²)), so t = scale·|q|·√(ln(2/p)/2) = 3.27·scale·|q|
 * for p = 10⁻⁹. That is 11.3 standard deviations of the error (scale·|q|/√12). The largest
 * error measured: 1.38·scale·|q| (4.8 σ) over every row of five queries at 100k × 1024
 * (`npm run bench:search`); 5.2 σ over 3 million row-query pairs in a one-off run, and 3.7 σ
 * on the sample corpus with the fixture (19,320 pairs).
 */
export const ERROR_P = 1e-9;
export const ERROR_Z = Math.sqrt(Math.log(2 / ERROR_P) / 2);

/** The scan's whole cost (n × d multiply-adds); four accumulators keep independent chains in flight. */
function dotInt8(q: Float64Array, codes: Int8Array, offset: number, d: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
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
