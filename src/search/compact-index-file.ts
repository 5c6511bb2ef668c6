/**
 * The compact index (version 2): a small JSON head and shard files beside it, so a page loads
 * the head with the widget and fetches the rest when a search needs it (compact-index.ts).
 *
 * ```text
 * index.json       head: { format: "tabembed-index", version: 2, fingerprint, instruction, count,
 *                          encoding: "float32" | "int8" | "binary", rescore: "int8" | null,
 *                          centre: base64 float32 | null, shards: [{ rows, vectors, rescore?, items }] }
 * index-v0.bin     the search codes of shard 0's rows (below), fetched by the first search
 * index-r0.bin     binary only: int8 codes of the same rows, fetched when a candidate is in shard 0
 * index-i0.json    shard 0's items [{ id, text, url?, title? }], fetched when a hit is in shard 0
 * index-lex.json   with --lexical: BM25 postings of every item's title and text (lexical-file.ts),
 *                  named by the head's "lexical", fetched by the first word search
 * ```
 * Every number is little-endian. Per row of d dimensions:
 * - float32: d float32 values (4d bytes), the L2-normalised vector; scored exactly.
 * - int8: one float32 scale per row first (all rows' scales, then all codes), then d int8 codes of
 *   the row's residual from `centre` (int8-rows.ts): 4 + d bytes.
 * - binary: one float32 scale per row, then ⌈d/8⌉ bytes of sign bits of the residual
 *   (sign-bits.ts): 4 + d/8 bytes; the int8 rescore file adds 4 + d.
 * The fingerprint's dimensions is d, the Matryoshka cut the vectors were made at, so the widget
 * embeds its queries at d and compares like with like.
 */
import { encodeFloat32Base64, decodeFloat32Base64 } from '../core/base64-float32.ts';
import { isRecord } from '../core/is-record.ts';
import { INDEX_FORMAT, INDEX_VERSION_COMPACT, parseIndexHead } from './index-head.ts';
import { isOneOf } from '../core/choices.ts';
import type { PrecomputedIndex } from './index-file.ts';
import { Int8Rows } from './int8-rows.ts';
import { packSigns, signBytes } from './sign-bits.ts';
import { meanOfRows } from './vector-index.ts';
import { sampleRows } from './sample-rows.ts';
import { buildLexical } from './bm25.ts';
import { encodeLexical } from './lexical-file.ts';
import { EmbedError } from '../core/errors.ts';
import type { IndexFingerprint } from '../protocol/search-data.ts';

export const COMPACT_ENCODINGS = ['float32', 'int8', 'binary'] as const;
export type CompactEncoding = (typeof COMPACT_ENCODINGS)[number];

/** Rows per shard unless `--shard-rows` says otherwise: 1,000 binary rows of 256 dims are 36 KB. */
export const DEFAULT_SHARD_ROWS = 1000;

export interface CompactShard {
  rows: number;
  /** File names, relative to the head's URL. */
  vectors: string;
  rescore: string | undefined;
  items: string;
}

export interface CompactHead {
  fingerprint: IndexFingerprint;
  instruction: string;
  count: number;
  encoding: CompactEncoding;
  /** What a binary search's candidates are rescored with; null for float32 and int8. */
  rescore: 'int8' | null;
  /** The vector int8 and binary codes are residuals from; undefined for float32. */
  centre: Float32Array | undefined;
  shards: CompactShard[];
  /** The lexical index's file (lexical-file.ts), when the index has one. */
  lexical: string | undefined;
}

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
 * // { head: '{"format":"tabembed-index","version":2,…}', files: [{ name: 'index-v0.bin', content: Uint8Array }, …] }
 */
export function writeCompactIndex(
  index: PrecomputedIndex,
  encoding: CompactEncoding,
  shardRows: number,
  prefix: string,
  lexical = false,
): { head: string; files: CompactFile[] } {
  const d = index.fingerprint.dimensions;
  const n = index.items.length;
  if (!Number.isInteger(shardRows) || shardRows < 1)
    throw new EmbedError('INVALID_OPTION', `rows per shard must be a whole number ≥ 1, got ${shardRows}`);
  const centre = encoding === 'float32' ? undefined : meanOfRows(index.vectors, d, sampleRows(n));
  const files: CompactFile[] = [];
  const shards: Record<string, unknown>[] = [];
  for (let start = 0, s = 0; start < n; start += shardRows, s++) {
    const rows = Math.min(shardRows, n - start);
    const slice = index.vectors.subarray(start * d, (start + rows) * d);
    const vectors = `${prefix}-v${s}.bin`;
    const items = `${prefix}-i${s}.json`;
    const rescore = encoding === 'binary' ? `${prefix}-r${s}.bin` : undefined;
    if (encoding === 'float32') files.push({ name: vectors, content: float32Bytes(slice) });
    else if (encoding === 'int8') files.push({ name: vectors, content: int8Bytes(slice, d, centre) });
    else {
      const { bits, scales } = packSigns(slice, d, centre ?? new Float32Array(d));
      files.push({ name: vectors, content: withScales(scales, bits) });
    }
    if (rescore !== undefined) files.push({ name: rescore, content: int8Bytes(slice, d, centre) });
    files.push({ name: items, content: JSON.stringify(index.items.slice(start, start + rows)) });
    shards.push({ rows, vectors, ...(rescore === undefined ? {} : { rescore }), items });
  }
  const lexicalFile = lexical ? `${prefix}-lex.json` : undefined;
  if (lexicalFile !== undefined)
    files.push({
      name: lexicalFile,
      content: encodeLexical(buildLexical(index.items.map(({ title, headings, text }) => ({ title, headings, text })))),
    });
  const fp = index.fingerprint;
  const head = JSON.stringify({
    format: INDEX_FORMAT,
    version: INDEX_VERSION_COMPACT,
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
    ...(lexicalFile === undefined ? {} : { lexical: lexicalFile }),
  });
  return { head, files };
}

/**
 * Checks a parsed version 2 head field by field (SOURCE_INVALID naming the field and the rule).
 *
 * @example
 * parseCompactHead(JSON.parse(text), '/search/index.json'); // { count: 12, encoding: 'binary', shards: [3 shards], … }
 */
export function parseCompactHead(value: unknown, name: string): CompactHead {
  const { version, fingerprint, instruction, fail, record } = parseIndexHead(value, name);
  const rebuild = 'rebuild the index with `tabembed index --out <dir>`';
  if (version !== INDEX_VERSION_COMPACT)
    return fail('"version"', `expected ${INDEX_VERSION_COMPACT} for a compact head`, version);
  const d = fingerprint.dimensions;
  const count = record['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    return fail('"count"', `expected the number of items, a whole number ≥ 1; ${rebuild}`, count);
  const enc = record['encoding'];
  if (typeof enc !== 'string' || !isOneOf(COMPACT_ENCODINGS, enc))
    return fail('"encoding"', `expected one of ${COMPACT_ENCODINGS.join(', ')}; ${rebuild}`, enc);
  const rescore = record['rescore'];
  const expectedRescore = enc === 'binary' ? 'int8' : null;
  if (rescore !== expectedRescore)
    return fail('"rescore"', `expected ${JSON.stringify(expectedRescore)} for "${enc}"; ${rebuild}`, rescore);
  const centreText = record['centre'];
  let centre: Float32Array | undefined;
  if (enc === 'float32') {
    if (centreText !== null) return fail('"centre"', `expected null for "float32"; ${rebuild}`, centreText);
  } else {
    if (typeof centreText !== 'string')
      return fail('"centre"', `expected ${d} float32 values in base64; ${rebuild}`, centreText);
    centre = decodeFloat32Base64(centreText, `${name}: "centre"`);
    if (centre.length !== d) return fail('"centre"', `it holds ${centre.length} values, expected ${d}; ${rebuild}`);
  }
  const shardValues = record['shards'];
  if (!Array.isArray(shardValues) || shardValues.length === 0)
    return fail('"shards"', `expected a non-empty array of { rows, vectors, items }; ${rebuild}`, shardValues);
  const seen = new Set<string>();
  const file = (field: string, got: unknown): string => {
    // A plain name beside the head: a shard can never point the page at another path or origin.
    if (typeof got !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(got) || got.includes('..'))
      return fail(field, `expected a file name beside the head (letters, digits, ".", "_", "-"); ${rebuild}`, got);
    if (seen.has(got)) return fail(field, `names a file another field names already; ${rebuild}`, got);
    seen.add(got);
    return got;
  };
  let total = 0;
  const shards = shardValues.map((shard: unknown, i): CompactShard => {
    const at = `"shards[${i}]`;
    if (!isRecord(shard)) return fail(`${at}"`, `expected { rows, vectors, items }; ${rebuild}`, shard);
    const entry = shard;
    const rows = entry['rows'];
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1)
      return fail(`${at}.rows"`, `expected a whole number ≥ 1; ${rebuild}`, rows);
    total += rows;
    return {
      rows,
      vectors: file(`${at}.vectors"`, entry['vectors']),
      rescore: enc === 'binary' ? file(`${at}.rescore"`, entry['rescore']) : undefined,
      items: file(`${at}.items"`, entry['items']),
    };
  });
  if (total !== count) return fail('"shards"', `their rows add up to ${total}, but "count" is ${count}; ${rebuild}`);
  const lexical = record['lexical'] === undefined ? undefined : file('"lexical"', record['lexical']);
  return { fingerprint, instruction, count, encoding: enc, rescore: expectedRescore, centre, shards, lexical };
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
