/**
 * The head of a compact index (compact-index-file.ts has the layout), version 3 as written now
 * or version 2 as written before items and lexical postings were sharded, checked field by
 * field into one shape the search reads (compact-index.ts).
 */
import { decodeFloat32Base64 } from '../core/base64-float32.ts';
import { isOneOf } from '../core/choices.ts';
import { isRecord } from '../core/is-record.ts';
import type { IndexFingerprint } from '../protocol/search-data.ts';
import { COMPACT_ENCODINGS, type CompactEncoding } from './compact-index-file.ts';
import { INDEX_VERSION_COMPACT, INDEX_VERSION_SHARDED, parseIndexHead, type FieldFail } from './index-head.ts';
import type { ItemShards } from './item-shards.ts';
import type { LexicalPart } from './lexical-search.ts';

export interface CompactShard {
  rows: number;
  /** File names, relative to the head's URL. */
  vectors: string;
  rescore: string | undefined;
  /** Version 2 only: the file of this shard's whole items. */
  items: string | undefined;
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
  /** Version 3: the item shards (item-shards.ts); version 2 names its item files in `shards`. */
  items: ItemShards | undefined;
  /** The lexical part, when the index has one: version 2's one file, or version 3's shards. */
  lexical: LexicalPart | undefined;
}

/** A plain file name, or the start of numbered ones: never another path or origin. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Checks a parsed version 2 or 3 head field by field (SOURCE_INVALID naming the field and the rule).
 *
 * @example
 * parseCompactHead(JSON.parse(text), '/search/index.json'); // { count: 12, encoding: 'binary', shards: [3 shards], … }
 */
export function parseCompactHead(value: unknown, name: string): CompactHead {
  const { version, fingerprint, instruction, fail, record } = parseIndexHead(value, name);
  const rebuild = 'rebuild the index with `tabembed index --out <dir>`';
  if (version !== INDEX_VERSION_COMPACT && version !== INDEX_VERSION_SHARDED)
    return fail(
      '"version"',
      `expected ${INDEX_VERSION_COMPACT} or ${INDEX_VERSION_SHARDED} for a compact head`,
      version,
    );
  const sharded = version === INDEX_VERSION_SHARDED;
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
  const shape = sharded ? '{ rows, vectors }' : '{ rows, vectors, items }';
  if (!Array.isArray(shardValues) || shardValues.length === 0)
    return fail('"shards"', `expected a non-empty array of ${shape}; ${rebuild}`, shardValues);
  const seen = new Set<string>();
  const file = (field: string, got: unknown): string => {
    if (typeof got !== 'string' || !FILE_NAME.test(got) || got.includes('..'))
      return fail(field, `expected a file name beside the head (letters, digits, ".", "_", "-"); ${rebuild}`, got);
    if (seen.has(got)) return fail(field, `names a file another field names already; ${rebuild}`, got);
    seen.add(got);
    return got;
  };
  let total = 0;
  const shards = shardValues.map((shard: unknown, i): CompactShard => {
    const at = `"shards[${i}]`;
    if (!isRecord(shard)) return fail(`${at}"`, `expected ${shape}; ${rebuild}`, shard);
    const rows = shard['rows'];
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1)
      return fail(`${at}.rows"`, `expected a whole number ≥ 1; ${rebuild}`, rows);
    total += rows;
    return {
      rows,
      vectors: file(`${at}.vectors"`, shard['vectors']),
      rescore: enc === 'binary' ? file(`${at}.rescore"`, shard['rescore']) : undefined,
      items: sharded ? undefined : file(`${at}.items"`, shard['items']),
    };
  });
  if (total !== count) return fail('"shards"', `their rows add up to ${total}, but "count" is ${count}; ${rebuild}`);
  const lexicalValue = record['lexical'];
  let lexical: LexicalPart | undefined;
  if (lexicalValue !== undefined)
    lexical = sharded
      ? { kind: 'shards', ...lexicalShards(lexicalValue, file, fail, rebuild) }
      : { kind: 'file', file: file('"lexical"', lexicalValue) };
  const items = sharded ? itemShards(record['items'], file, fail, rebuild) : undefined;
  return { fingerprint, instruction, count, encoding: enc, rescore: expectedRescore, centre, shards, items, lexical };
}

type FileCheck = (field: string, got: unknown) => string;

function itemShards(value: unknown, file: FileCheck, fail: FieldFail, rebuild: string): ItemShards {
  if (!isRecord(value)) return fail('"items"', `expected { rows, files }; ${rebuild}`, value);
  const rows = value['rows'];
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1)
    return fail('"items.rows"', `expected a whole number ≥ 1; ${rebuild}`, rows);
  return { rows, files: file('"items.files"', value['files']) };
}

function lexicalShards(
  value: unknown,
  file: FileCheck,
  fail: FieldFail,
  rebuild: string,
): { files: string; first: string[] } {
  if (!isRecord(value)) return fail('"lexical"', `expected { files, first }; ${rebuild}`, value);
  const first = value['first'];
  // The reader binary-searches these: out of order, a word would be looked for in the wrong shard.
  if (
    !Array.isArray(first) ||
    first.length === 0 ||
    !first.every((word, i): word is string => typeof word === 'string' && (i === 0 || word > String(first[i - 1])))
  )
    return fail('"lexical.first"', `expected a non-empty array of words in ascending order; ${rebuild}`, first);
  return { files: file('"lexical.files"', value['files']), first };
}
