/**
 * The precomputed index file: written at build time by `tabembed index`, read by the
 * `<semantic-search>` element, so a visitor's tab embeds only their queries. One JSON document:
 *
 * ```json
 * {
 *   "format": "tabembed-index", "version": 1,
 *   "fingerprint": { "model": "/models/qwen3-tiny/", "revision": null, "dtype": "q8", "dimensions": 64,
 *                    "instructionPolicy": "documents raw; queries \"Instruct: {task}\\nQuery:{text}\"",
 *                    "source": { "kind": "remote", "baseURL": "http://gpu:8000/v1", "engine": "vllm",
 *                                "model": "Qwen/Qwen3-Embedding-0.6B", "verified": true } },
 *   "instruction": "Given a web search query, retrieve relevant passages that answer the query",
 *   "items": [{ "id": "reset", "text": "…", "url": "/help/reset", "title": "Reset a password" }],
 *   "vectors": { "encoding": "float32-le-base64", "count": 1, "dimensions": 64, "data": "…" }
 * }
 * ```
 * `source` (optional; older files lack it) records where the vectors were computed: `{ "kind": "local" }`
 * or a remote engine, `verified` when its probe vectors matched the local model the fingerprint names.
 * The policy leaves `{task}` open (documents are embedded raw, so the vectors do not depend on
 * the query's task); `instruction` is the task the index's author recommends for queries. The
 * vectors are one base64 block of little-endian float32, row i for items[i]: about a quarter of the
 * size of JSON number arrays (3.9× smaller for values of ±0.1, measured with JSON.stringify) and read
 * without parsing a number per value.
 */
import { EmbedError } from '../core/errors.ts';
import { decodeFloat32Base64, encodeFloat32Base64 } from '../core/base64-float32.ts';
import { checkEntries, parseCorpusText, type SearchItem } from './corpus-file.ts';
import { dropByteOrderMark } from './json-lines.ts';
import { tryJson } from './json-value.ts';
import { fingerprintDifferences, instructionPolicy } from './fingerprint.ts';
import { parseCompactHead, type CompactHead } from './compact-head.ts';
import { isRecord } from '../core/is-record.ts';
import {
  INDEX_FORMAT,
  INDEX_VERSION,
  INDEX_VERSION_COMPACT,
  INDEX_VERSION_SHARDED,
  parseIndexHead,
} from './index-head.ts';
import type { IndexFingerprint } from '../protocol/search-data.ts';

export { INDEX_FORMAT, INDEX_VERSION };
export const VECTOR_ENCODING = 'float32-le-base64';
/** The prompting policy of every index: documents raw, the query task left open. */
export const INDEX_POLICY = instructionPolicy('{task}');
/** How far a stored row's L2 norm may be from 1: float32 rounding is ~1e-7; more means edited or corrupt values. */
const NORM_TOLERANCE = 1e-3;

export interface PrecomputedIndex {
  fingerprint: IndexFingerprint;
  /** The recommended query instruction (task). */
  instruction: string;
  items: SearchItem[];
  /** Row-major [items.length × fingerprint.dimensions], L2-normalised rows. */
  vectors: Float32Array;
}

/**
 * What a `src` held: a precomputed index, the head of a compact (version 2) index whose shards
 * lie beside it, or a plain corpus the tab has to embed.
 */
export type SearchSource =
  | { kind: 'index'; index: PrecomputedIndex }
  | { kind: 'compact'; head: CompactHead }
  | { kind: 'corpus'; items: SearchItem[] };

/**
 * The index as the file's JSON text (deterministic: the same input gives the same bytes).
 *
 * @example
 * serializeIndex({ fingerprint, instruction, items: [{ id: 'a', text: 'Hello' }], vectors }); // '{"format":"tabembed-index",…}'
 */
export function serializeIndex(index: PrecomputedIndex): string {
  const { fingerprint: fp, items } = index;
  if (index.vectors.length !== items.length * fp.dimensions) {
    throw new EmbedError(
      'INVALID_INPUT',
      `vectors hold ${index.vectors.length} values, expected ${items.length} items × ${fp.dimensions} dimensions`,
    );
  }
  return JSON.stringify({
    format: INDEX_FORMAT,
    version: INDEX_VERSION,
    fingerprint: {
      model: fp.model,
      revision: fp.revision ?? null,
      dtype: fp.dtype,
      dimensions: fp.dimensions,
      instructionPolicy: fp.instructionPolicy,
      ...(fp.source ? { source: fp.source } : {}),
    },
    instruction: index.instruction,
    items: items.map(({ id, text, url, title }) => ({
      id,
      text,
      ...(url === undefined ? {} : { url }),
      ...(title === undefined ? {} : { title }),
    })),
    vectors: {
      encoding: VECTOR_ENCODING,
      count: items.length,
      dimensions: fp.dimensions,
      data: encodeFloat32Base64(index.vectors),
    },
  });
}

/**
 * Checks a parsed index file field by field. `name` (the file or URL) starts every message.
 * Throws EmbedError SOURCE_INVALID naming the field and the rule.
 *
 * @example
 * parseIndex(JSON.parse(text), '/search/index.json'); // { fingerprint, instruction, items: [3 items], vectors: Float32Array(3 × 64) }
 */
export function parseIndex(value: unknown, name: string): PrecomputedIndex {
  const { version, fingerprint, instruction, fail, record } = parseIndexHead(value, name);
  const rebuild = 'rebuild the file with `tabembed index`';
  if (version !== 1) return fail('"version"', `expected 1 here; a version 2 head is read by parseSourceText`, version);
  const { dimensions } = fingerprint;
  const itemValues = record['items'];
  if (!Array.isArray(itemValues))
    return fail('"items"', `expected an array of { id, text, url?, title? }; ${rebuild}`, itemValues);
  const items = checkEntries(itemValues, name, (i) => `${name}: items[${i}]`);

  const block = record['vectors'];
  if (!isRecord(block))
    return fail('"vectors"', `expected { encoding: "${VECTOR_ENCODING}", count, dimensions, data }; ${rebuild}`, block);
  if (block['encoding'] !== VECTOR_ENCODING)
    return fail('"vectors.encoding"', `expected "${VECTOR_ENCODING}"; ${rebuild}`, block['encoding']);
  if (block['count'] !== items.length)
    return fail('"vectors.count"', `expected ${items.length}, one row per item; ${rebuild}`, block['count']);
  if (block['dimensions'] !== dimensions)
    return fail(
      '"vectors.dimensions"',
      `expected ${dimensions}, the fingerprint's dimensions; ${rebuild}`,
      block['dimensions'],
    );
  const data = block['data'];
  if (typeof data !== 'string') return fail('"vectors.data"', `expected a base64 string; ${rebuild}`, data);
  const vectors = decodeFloat32Base64(data, `${name}: "vectors.data"`);
  if (vectors.length !== items.length * dimensions) {
    return fail(
      '"vectors.data"',
      `it holds ${vectors.length} float32 values, expected ${items.length} items × ${dimensions} dimensions = ${items.length * dimensions}; ${rebuild}`,
    );
  }
  checkRows(vectors, dimensions, items, name);
  return { fingerprint, instruction, items, vectors };
}

/**
 * What a `src` file's text holds: an index (a JSON object with "format"; version 2 is a compact
 * index's head), else a plain corpus
 * (JSON array or JSONL). Throws SOURCE_INVALID naming the file and the field or line.
 *
 * @example
 * parseSourceText(await (await fetch(src)).text(), src); // { kind: 'index', index } | { kind: 'corpus', items }
 */
export function parseSourceText(text: string, name: string): SearchSource {
  if (text.trim() === '')
    throw new EmbedError(
      'SOURCE_INVALID',
      `${name} is empty; give it a tabembed index (tabembed index) or a corpus (a JSON array or JSONL of texts)`,
    );
  const whole = tryJson(dropByteOrderMark(text));
  if (whole.ok && isRecord(whole.value) && 'format' in whole.value) {
    return whole.value['version'] === INDEX_VERSION_COMPACT || whole.value['version'] === INDEX_VERSION_SHARDED
      ? { kind: 'compact', head: parseCompactHead(whole.value, name) }
      : { kind: 'index', index: parseIndex(whole.value, name) };
  }
  return { kind: 'corpus', items: parseCorpusText(text, name) };
}

/**
 * Throws EmbedError INDEX_MISMATCH unless the index's vectors were made the way `loaded` (the
 * model now in the tab, at the index's dimensions) makes them. The message names each field
 * that differs and the two ways out.
 *
 * @example
 * checkIndexFits(index.fingerprint, buildFingerprint(embedder.info(), 64, INDEX_POLICY), '/index.json');
 * // throws: '/index.json was built with another model setup (dtype q4, not q8): …'
 */
export function checkIndexFits(stored: IndexFingerprint, loaded: IndexFingerprint, name: string): void {
  const differences = fingerprintDifferences(stored, loaded);
  if (differences.length === 0) return;
  throw new EmbedError(
    'INDEX_MISMATCH',
    `${name} was built with another model setup (${differences.join('; ')}), so its vectors cannot be compared with this model's queries. ` +
      `Either rebuild the index for this model: \`tabembed index --model <this model's files> --model-id ${loaded.model} --dtype ${loaded.dtype} --dimensions ${loaded.dimensions}\`, ` +
      `or load the model the index names (model="${stored.model}" dtype="${stored.dtype}" on the element).`,
  );
}

function checkRows(vectors: Float32Array, dims: number, items: readonly SearchItem[], name: string): void {
  for (let row = 0; row < items.length; row++) {
    let sum = 0;
    for (let i = row * dims; i < (row + 1) * dims; i++) sum += (vectors[i] ?? 0) ** 2;
    const norm = Math.sqrt(sum);
    if (!Number.isFinite(norm) || Math.abs(norm - 1) > NORM_TOLERANCE) {
      throw new EmbedError(
        'SOURCE_INVALID',
        `${name}: "vectors.data" row ${row} (item ${JSON.stringify(items[row]?.id)}) has length ${norm.toFixed(4)}, not 1; the vectors are corrupt or were edited: rebuild the file with \`tabembed index\``,
        { index: row },
      );
    }
  }
}
