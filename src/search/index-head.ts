/**
 * The fields every version of the index file begins with (index-file.ts reads version 1, the
 * single JSON file; compact-head.ts versions 2 and 3, the head of a sharded index), checked one
 * way for both.
 */
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import { describeValue } from './json-value.ts';
import type { IndexFingerprint, VectorSource } from '../protocol/search-data.ts';

export const INDEX_FORMAT = 'tabembed-index';
export const INDEX_VERSION = 1;
/** The compact index: a JSON head and binary shards, items and lexical part in one file each (still read). */
export const INDEX_VERSION_COMPACT = 2;
/** The compact index as written now: items and lexical postings sharded too (compact-index-file.ts). */
export const INDEX_VERSION_SHARDED = 3;

/** Throws EmbedError SOURCE_INVALID: `${name}: ${field} is …; ${rule}`. */
export type FieldFail = (field: string, rule: string, ...got: [unknown?]) => never;

/**
 * The part every index version shares: "format", "version" (1, 2 or 3), "fingerprint" and
 * "instruction", checked field by field; `fail` reports a later field the same way.
 */
export function parseIndexHead(
  value: unknown,
  name: string,
): {
  version: number;
  fingerprint: IndexFingerprint;
  instruction: string;
  fail: FieldFail;
  record: Record<string, unknown>;
} {
  // `got` is a rest parameter so that "given undefined" (a missing field) differs from "no value to show".
  const fail: FieldFail = (field, rule, ...got) => {
    const seen = got.length > 0 ? ` is ${describeValue(got[0])}` : '';
    throw new EmbedError('SOURCE_INVALID', `${name}: ${field}${seen}; ${rule}`);
  };
  const rebuild = 'rebuild the file with `tabembed index`';
  if (!isRecord(value))
    return fail('the file', `a tabembed index is a JSON object with "format": "${INDEX_FORMAT}"`, value);
  if (value['format'] !== INDEX_FORMAT)
    return fail(
      '"format"',
      `expected "${INDEX_FORMAT}"; a plain corpus is a JSON array or JSONL instead`,
      value['format'],
    );
  const version = value['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail('"version"', `expected 1, ${INDEX_VERSION_COMPACT} or ${INDEX_VERSION_SHARDED}; ${rebuild}`, version);
  if (version > INDEX_VERSION_SHARDED)
    return fail(
      '"version"',
      `this tabembed reads versions 1 to ${INDEX_VERSION_SHARDED}; the file is from a newer tabembed: update the widget, or rebuild the file with this version's CLI`,
      version,
    );

  const fpValue = value['fingerprint'];
  if (!isRecord(fpValue))
    return fail(
      '"fingerprint"',
      `expected { model, revision, dtype, dimensions, instructionPolicy }; ${rebuild}`,
      fpValue,
    );
  const text = (field: string, got: unknown): string =>
    typeof got === 'string' && got !== ''
      ? got
      : fail(`"fingerprint.${field}"`, `expected a non-empty string; ${rebuild}`, got);
  const model = text('model', fpValue['model']);
  const revision = fpValue['revision'];
  if (revision !== null && revision !== undefined && typeof revision !== 'string')
    fail('"fingerprint.revision"', `expected a string, or null when no revision is pinned; ${rebuild}`, revision);
  const dtype = text('dtype', fpValue['dtype']);
  const dimensions = fpValue['dimensions'];
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1)
    return fail('"fingerprint.dimensions"', `expected a whole number ≥ 1; ${rebuild}`, dimensions);
  const policy = text('instructionPolicy', fpValue['instructionPolicy']);
  const source = readSource(fpValue['source'], (rule, got) => fail('"fingerprint.source"', `${rule}; ${rebuild}`, got));
  const instruction = value['instruction'];
  if (typeof instruction !== 'string' || instruction.trim() === '')
    return fail(
      '"instruction"',
      `expected the query task as a non-empty string; ${rebuild} --instruction "…"`,
      instruction,
    );
  return {
    version,
    fingerprint: {
      model,
      revision: typeof revision === 'string' ? revision : undefined,
      dtype,
      dimensions,
      instructionPolicy: policy,
      ...(source ? { source } : {}),
    },
    instruction,
    fail,
    record: value,
  };
}

/** `fingerprint.source`: absent in files written before it was recorded, which load as they did. */
function readSource(value: unknown, fail: (rule: string, got: unknown) => never): VectorSource | undefined {
  if (value === undefined) return undefined;
  const rule = 'expected { "kind": "local" } or { "kind": "remote", "baseURL", "engine", "model", "verified" }';
  if (!isRecord(value)) return fail(rule, value);
  if (value['kind'] === 'local') return { kind: 'local' };
  const { baseURL, engine, model, verified } = value;
  if (
    value['kind'] !== 'remote' ||
    typeof baseURL !== 'string' ||
    typeof engine !== 'string' ||
    typeof model !== 'string' ||
    typeof verified !== 'boolean'
  )
    return fail(rule, value);
  return { kind: 'remote', baseURL, engine, model, verified };
}
