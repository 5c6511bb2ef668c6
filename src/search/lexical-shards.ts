/**
 * The lexical part of a version 3 compact index: BM25 postings split by sorted term ranges into
 * binary shards (`index-l0.bin`, …) of about LEXICAL_SHARD_BYTES each, so a query fetches the
 * shards of its own words only (Pagefind's chunked index does the same). The head's "lexical"
 * lists the first word of each shard (cut to the shortest prefix that still sorts after the shard
 * before it), so a word's shard is found by a binary search, and a prefix's range of shards too;
 * a hash would scatter a prefix's words over every shard.
 *
 * Each posting stores BM25's term part already normalised by the item's length, quantised to a
 * byte as Lucene quantises its norms: w = tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avg|d|)),
 * which lies in [0, k1 + 1), kept as round(255 · w / (k1 + 1)), at least 1 so every posting
 * still counts. A word's score in an item is then idf(df) · (k1 + 1) · byte / 255, with df the
 * word's number of postings and N the head's count: no per-item length table is fetched. The
 * rounding moves each word's score by at most idf · (k1 + 1) / 510.
 *
 * ```text
 * index-l<k>.bin   varint words, then per word (in sorted order):
 *                  varint UTF-16 units shared with the previous word, varint suffix length,
 *                  the suffix's units as varints (Latin one byte, Cyrillic two, CJK three, as
 *                  UTF-8 would take), varint df, df × varint row gap (the first from 0),
 *                  df × one byte of w
 * ```
 */
import { EmbedError } from '../core/errors.ts';
import { buildLexical, B, K1, type LexicalDoc } from './bm25.ts';
import type { CompactFile } from './compact-index-file.ts';
import { pushVarint, varints } from './varints.ts';

/**
 * Bytes a lexical shard is filled to before the next starts (a word bigger than that gets a shard
 * of its own). Measured on the bench's 10,000-page site (30,000 sections, 2.9 MB of postings): a
 * 2-word query fetches 31–38 KB at 12,000 (187 shards, 1 KB of first words in the head), 52–67 KB
 * at 24,000 (101 shards), 100–110 KB at 48,000; smaller shards would mostly add files.
 */
export const LEXICAL_SHARD_BYTES = 12_000;

/** The largest quantised term weight: one byte. */
export const WEIGHT_LEVELS = 255;

/** One word's postings in a shard: the rows holding it, ascending, and each row's quantised weight. */
export interface WeightedPostings {
  rows: Uint32Array;
  weights: Uint8Array;
}

/** What the head says of the lexical shards. */
export interface LexicalShards {
  /** Shard k is `${files}${k}.bin`. */
  files: string;
  /** The first word of each shard, cut short (see above); ascending. */
  first: string[];
}

/**
 * @example
 * writeLexicalShards(items, 'index-l');
 * // { shards: { files: 'index-l', first: ['', 'gr', 'pa'] }, files: [{ name: 'index-l0.bin', content: Uint8Array }, …] }
 */
export function writeLexicalShards(
  docs: readonly LexicalDoc[],
  files: string,
  shardBytes = LEXICAL_SHARD_BYTES,
): { shards: LexicalShards; files: CompactFile[] } {
  const { lengths, postings } = buildLexical(docs);
  let total = 0;
  for (const length of lengths) total += length;
  const average = total / lengths.length || 1;
  const out: CompactFile[] = [];
  const first: string[] = [];
  let body: number[] = [];
  let count = 0;
  let previous = '';
  let lastWord = '';
  const flush = (): void => {
    if (count === 0) return;
    const head: number[] = [];
    pushVarint(head, count);
    out.push({ name: `${files}${out.length}.bin`, content: Uint8Array.from([...head, ...body]) });
    body = [];
    count = 0;
    previous = '';
  };
  // Default sort is by UTF-16 code units, the same order `<` compares in when the reader looks a word up.
  for (const word of [...postings.keys()].sort()) {
    const { rows, counts } = postings.get(word) ?? { rows: new Uint32Array(0), counts: new Uint32Array(0) };
    if (count > 0 && body.length >= shardBytes) flush();
    if (count === 0) first.push(out.length === 0 ? '' : separator(lastWord, word));
    let shared = 0;
    while (shared < word.length && shared < previous.length && word[shared] === previous[shared]) shared++;
    pushVarint(body, shared);
    pushVarint(body, word.length - shared);
    for (let i = shared; i < word.length; i++) pushVarint(body, word.charCodeAt(i));
    pushVarint(body, rows.length);
    let last = 0;
    for (const row of rows) {
      pushVarint(body, row - last);
      last = row;
    }
    rows.forEach((row, i) => {
      const tf = counts[i] ?? 0;
      const norm = K1 * (1 - B + (B * (lengths[row] ?? 0)) / average);
      const w = (tf * (K1 + 1)) / (tf + norm);
      body.push(Math.max(1, Math.min(WEIGHT_LEVELS, Math.round((WEIGHT_LEVELS * w) / (K1 + 1)))));
    });
    previous = word;
    lastWord = word;
    count++;
  }
  flush();
  return { shards: { files, first }, files: out };
}

/**
 * The shortest start of `word` that sorts after `before`: all a reader needs to tell the shards apart.
 *
 * @example
 * separator('garden', 'glacier'); // 'gl'
 */
function separator(before: string, word: string): string {
  for (let end = 1; end < word.length; end++) {
    // Never cut between the halves of a surrogate pair: the head is JSON, and a lone half is not text.
    const code = word.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) continue;
    const cut = word.slice(0, end);
    if (cut > before) return cut;
  }
  return word;
}

/**
 * The shard that would hold `word`: the last whose first word sorts at or before it.
 *
 * @example
 * shardOfWord(['', 'gl', 'pa'], 'green'); // 1
 */
export function shardOfWord(first: readonly string[], word: string): number {
  let low = 0;
  let high = first.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((first[mid] ?? '') <= word) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Reads one lexical shard of an index of `count` rows. Throws EmbedError SOURCE_INVALID naming
 * `name` when it is truncated or names a row past the index.
 *
 * @example
 * readLexicalShard(bytes, 30000, 'index-l3.bin'); // Map { 'garden' => { rows: Uint32Array(120), weights: Uint8Array(120) }, … }
 */
export function readLexicalShard(bytes: Uint8Array, count: number, name: string): Map<string, WeightedPostings> {
  const fail = (what: string): never => {
    throw new EmbedError('SOURCE_INVALID', `${name}: ${what}; rebuild the index with \`tabembed index --lexical\``);
  };
  const reader = varints(bytes, () => fail('it ends mid-word'));
  const words = reader.next();
  const out = new Map<string, WeightedPostings>();
  let previous = '';
  for (let w = 0; w < words; w++) {
    const shared = reader.next();
    const suffix = reader.next();
    if (shared > previous.length) fail(`word ${w} shares ${shared} units with a word of ${previous.length}`);
    const units = Array.from({ length: suffix }, () => reader.next());
    if (units.some((unit) => unit > 0xffff)) fail(`word ${w} holds a unit past 0xFFFF`);
    const text = previous.slice(0, shared) + String.fromCharCode(...units);
    const df = reader.next();
    if (df < 1 || df > count) fail(`the word ${JSON.stringify(text)} is in ${df} rows, not 1 to ${count}`);
    const rows = new Uint32Array(df);
    let row = 0;
    for (let i = 0; i < df; i++) {
      row += reader.next();
      if (row >= count || (i > 0 && row === rows[i - 1]))
        fail(`the word ${JSON.stringify(text)} names row ${row}, past the ${count} rows or twice`);
      rows[i] = row;
    }
    out.set(text, { rows, weights: reader.take(df).slice() });
    previous = text;
  }
  if (!reader.done()) fail('it holds more than its words');
  return out;
}
