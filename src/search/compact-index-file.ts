/**
 * The compact index (version 3): a small JSON head and shard files beside it, so a page loads
 * the head with the widget and fetches the rest when a search needs it (compact-index.ts).
 *
 * ```text
 * index.json       head (compact-head.ts reads it): { format: "tabembed-index", version: 3,
 *                  fingerprint, instruction, count, encoding: "float32" | "int8" | "binary",
 *                  rescore: "int8" | null, centre: base64 float32 | null,
 *                  shards: [{ rows, vectors, rescore? }], items: { rows, files: "index-i" },
 *                  lexical?: { files: "index-l", first: [first word of each shard] } }
 * index-v0.bin     the search codes of shard 0's rows (below), fetched by the first vector search
 * index-r0.bin     binary only: int8 codes of the same rows, fetched when a candidate is in shard 0
 * index-i0.json    items 0 to items.rows − 1, what a result shows (item-shards.ts: an excerpt, not
 *                  the whole text), fetched when a hit is among them
 * index-l0.bin     with --lexical: the BM25 postings of a range of words (lexical-shards.ts),
 *                  fetched when a query has one of them
 * ```
 * Version 2 (still read: compact-head.ts) kept each vector shard's whole items in
 * `index-i<shard>.json` (named by the shard's "items") and every posting in one `index-lex.json`
 * (lexical-file.ts, named by a string "lexical").
 *
 * Every number is little-endian. Per row of d dimensions:
 * - float32: d float32 values (4d bytes), the L2-normalised vector; scored exactly.
 * - int8: one float32 scale per row first (all rows' scales, then all codes), then d int8 codes of
 *   the row's residual from `centre` (int8-rows.ts): 4 + d bytes.
 * - binary: one float32 scale per row, then ⌈d/8⌉ bytes of sign bits of the residual
 *   (sign-bits.ts): 4 + d/8 bytes; the int8 rescore file adds 4 + d.
 * The fingerprint's dimensions is d, the Matryoshka cut the vectors were made at, so the widget
 * embeds its queries at d and compares like with like.
 */
import { encodeFloat32Base64 } from '../core/base64-float32.ts';
import { INDEX_FORMAT, INDEX_VERSION_SHARDED } from './index-head.ts';
import type { PrecomputedIndex } from './index-file.ts';
import { Int8Rows } from './int8-rows.ts';
import { packSigns, signBytes } from './sign-bits.ts';
import { meanOfRows } from './vector-index.ts';
import { sampleRows } from './sample-rows.ts';
import { writeLexicalShards } from './lexical-shards.ts';
import { ITEM_SHARD_ROWS, writeItemShards } from './item-shards.ts';
import { EmbedError } from '../core/errors.ts';

export const COMPACT_ENCODINGS = ['float32', 'int8', 'binary'] as const;
export type CompactEncoding = (typeof COMPACT_ENCODINGS)[number];

/** Rows per shard unless `--shard-rows` says otherwise: 1,000 binary rows of 256 dims are 36 KB. */
export const DEFAULT_SHARD_ROWS = 1000;

/** One file of a written index: binary codes, or an items shard's JSON text. */
export interface CompactFile {
  name: string;
  content: Uint8Array | string;
}

/**
 * Writes `index` (vectors already cut to the fingerprint's dimensions) as a head and its shard
 * files, named `${prefix}.json` (the head) and `${prefix}-v0.bin`, … beside it.
 *
 * @example
 * writeCompactIndex(index, 'binary', 1000, 'index', true);
 * // { head: '{"format":"tabembed-index","version":3,…}', files: [{ name: 'index-v0.bin', content: Uint8Array }, …] }
 */
export function writeCompactIndex(
  index: PrecomputedIndex,
  encoding: CompactEncoding,
  shardRows: number,
  prefix: string,
  lexical = false,
  // An item shard is never longer than a vector shard: a site that asks for small shards gets small ones of both.
  itemRows = Math.min(ITEM_SHARD_ROWS, shardRows),
): { head: string; files: CompactFile[] } {
  const d = index.fingerprint.dimensions;
  const n = index.items.length;
  for (const [what, rows] of [
    ['rows per shard', shardRows],
    ['rows per item shard', itemRows],
  ] as const)
    if (!Number.isInteger(rows) || rows < 1)
      throw new EmbedError('INVALID_OPTION', `${what} must be a whole number ≥ 1, got ${rows}`);
  const centre = encoding === 'float32' ? undefined : meanOfRows(index.vectors, d, sampleRows(n));
  const files: CompactFile[] = [];
  const shards: Record<string, unknown>[] = [];
  for (let start = 0, s = 0; start < n; start += shardRows, s++) {
    const rows = Math.min(shardRows, n - start);
    const slice = index.vectors.subarray(start * d, (start + rows) * d);
    const vectors = `${prefix}-v${s}.bin`;
    const rescore = encoding === 'binary' ? `${prefix}-r${s}.bin` : undefined;
    if (encoding === 'float32') files.push({ name: vectors, content: float32Bytes(slice) });
    else if (encoding === 'int8') files.push({ name: vectors, content: int8Bytes(slice, d, centre) });
    else {
      const { bits, scales } = packSigns(slice, d, centre ?? new Float32Array(d));
      files.push({ name: vectors, content: withScales(scales, bits) });
    }
    if (rescore !== undefined) files.push({ name: rescore, content: int8Bytes(slice, d, centre) });
    shards.push({ rows, vectors, ...(rescore === undefined ? {} : { rescore }) });
  }
  const items = writeItemShards(index.items, itemRows, `${prefix}-i`);
  files.push(...items.files);
  const words = lexical ? writeLexicalShards(index.items, `${prefix}-l`) : undefined;
  if (words) files.push(...words.files);
  const fp = index.fingerprint;
  const head = JSON.stringify({
    format: INDEX_FORMAT,
    version: INDEX_VERSION_SHARDED,
    fingerprint: {
      model: fp.model,
      revision: fp.revision ?? null,
      dtype: fp.dtype,
      dimensions: d,
      instructionPolicy: fp.instructionPolicy,
      ...(fp.source ? { source: fp.source } : {}),
    },
    instruction: index.instruction,
    count: n,
    encoding,
    rescore: encoding === 'binary' ? 'int8' : null,
    centre: centre === undefined ? null : encodeFloat32Base64(centre),
    shards,
    items: items.shards,
    ...(words ? { lexical: words.shards } : {}),
  });
  return { head, files };
}

/** Bytes one row of a shard file takes: what its length is checked against, and what the bench reports. */
export function rowBytes(kind: CompactEncoding, dims: number): number {
  switch (kind) {
    case 'float32':
      return 4 * dims;
    case 'int8':
      return 4 + dims;
    case 'binary':
      return 4 + signBytes(dims);
    default:
      return kind satisfies never;
  }
}

/** A float32 shard's bytes → its rows. */
export function readFloat32(bytes: Uint8Array, rows: number, dims: number, what: string): Float32Array {
  checkLength(bytes, rows, rowBytes('float32', dims), what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: rows * dims }, (_, i) => view.getFloat32(4 * i, true));
}

/** An int8 shard's bytes → its rows, quantised around `centre`. */
export function readInt8(bytes: Uint8Array, rows: number, dims: number, centre: Float32Array, what: string): Int8Rows {
  checkLength(bytes, rows, rowBytes('int8', dims), what);
  const scales = readScales(bytes, rows);
  const codes = new Int8Array(rows * dims);
  codes.set(new Int8Array(bytes.buffer, bytes.byteOffset + 4 * rows, rows * dims));
  return Int8Rows.fromCodes(dims, centre, codes, scales);
}

/** A binary shard's bytes → its sign bits and row scales. */
export function readSigns(
  bytes: Uint8Array,
  rows: number,
  dims: number,
  what: string,
): { bits: Uint8Array; scales: Float32Array } {
  checkLength(bytes, rows, rowBytes('binary', dims), what);
  return { scales: readScales(bytes, rows), bits: bytes.slice(4 * rows) };
}

function checkLength(bytes: Uint8Array, rows: number, perRow: number, what: string): void {
  if (bytes.length !== rows * perRow)
    throw new EmbedError(
      'SOURCE_INVALID',
      `${what} holds ${bytes.length} bytes, expected ${rows} rows × ${perRow} bytes = ${rows * perRow}; the file is truncated or from another build: rebuild the index`,
    );
}

function readScales(bytes: Uint8Array, rows: number): Float32Array<ArrayBuffer> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: rows }, (_, i) => view.getFloat32(4 * i, true));
}

function float32Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setFloat32(4 * i, value, true));
  return out;
}

function withScales(scales: Float32Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(scales.length * 4 + body.length);
  out.set(float32Bytes(scales));
  out.set(body, scales.length * 4);
  return out;
}

function int8Bytes(slice: Float32Array, dims: number, centre: Float32Array | undefined): Uint8Array {
  const rows = slice.length / dims;
  const int8 = new Int8Rows(dims);
  if (centre) int8.centreOn(centre);
  int8.reserve(rows);
  for (let row = 0; row < rows; row++) int8.put(row, slice, row * dims);
  const { codes, scales } = int8.exportRows(rows);
  return withScales(scales, new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength));
}
