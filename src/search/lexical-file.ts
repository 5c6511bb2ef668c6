/**
 * The lexical index (bm25.ts) as one file of a version 2 compact index (`index-lex.json`, named
 * by the head's "lexical"), still read so those indexes load; version 3 shards it by word range
 * instead (lexical-shards.ts). The file: the words sorted, and the numbers as unsigned LEB128 varints in base64, so
 * a small count takes one byte.
 *
 * ```json
 * { "rows": 3, "weights": { "title": 3, "headings": 2, "text": 1 },
 *   "lengths": "<varint per row: its weighted word count>",
 *   "words": ["brew", "chat", …],
 *   "postings": "<per word, in order: df, then df × (row − previous row, weighted count)>" }
 * ```
 * Rows are delta-coded (the first from 0), so a word's postings cost about two bytes a row.
 */
import { decodeBase64, encodeBase64 } from '../core/base64-float32.ts';
import { EmbedError } from '../core/errors.ts';
import { FIELD_WEIGHTS, type LexicalIndex, type Postings } from './bm25.ts';
import { isRecord } from '../core/is-record.ts';
import { pushVarint, varints } from './varints.ts';

/**
 * @example
 * encodeLexical(buildLexical(docs)); // '{"rows":3,"weights":{…},"lengths":"BgMF","words":[…],"postings":"…"}'
 */
export function encodeLexical(index: LexicalIndex): string {
  const lengths: number[] = [];
  for (const length of index.lengths) pushVarint(lengths, length);
  const words = [...index.postings.keys()].sort();
  const postings: number[] = [];
  for (const word of words) {
    const { rows, counts } = index.postings.get(word) ?? { rows: new Uint32Array(0), counts: new Uint32Array(0) };
    pushVarint(postings, rows.length);
    let previous = 0;
    rows.forEach((row, i) => {
      pushVarint(postings, row - previous);
      pushVarint(postings, counts[i] ?? 0);
      previous = row;
    });
  }
  return JSON.stringify({
    rows: index.lengths.length,
    weights: FIELD_WEIGHTS,
    lengths: encodeBase64(Uint8Array.from(lengths)),
    words,
    postings: encodeBase64(Uint8Array.from(postings)),
  });
}

/**
 * Checks and reads a lexical file of `rows` rows. Throws EmbedError SOURCE_INVALID naming `name`
 * and what is wrong.
 *
 * @example
 * decodeLexical(JSON.parse(text), 3, 'index-lex.json'); // { lengths: Uint32Array(3), postings: Map(12) }
 */
export function decodeLexical(value: unknown, rows: number, name: string): LexicalIndex {
  const fail = (what: string): never => {
    throw new EmbedError('SOURCE_INVALID', `${name}: ${what}; rebuild the index with \`tabembed index --lexical\``);
  };
  if (!isRecord(value)) return fail('expected a JSON object');
  if (value['rows'] !== rows) return fail(`"rows" is ${String(value['rows'])}, expected ${rows}, the head's count`);
  const weights = value['weights'];
  if (!isRecord(weights) || Object.entries(FIELD_WEIGHTS).some(([field, w]) => weights[field] !== w))
    return fail(`"weights" differ from this tabembed's ${JSON.stringify(FIELD_WEIGHTS)}`);
  const words = value['words'];
  if (!Array.isArray(words) || !words.every((w): w is string => typeof w === 'string'))
    return fail('"words" is not an array of strings');
  const lengthsText = value['lengths'];
  const postingsText = value['postings'];
  if (typeof lengthsText !== 'string' || typeof postingsText !== 'string')
    return fail('"lengths" and "postings" must be base64 strings');

  const lengthReader = varints(decodeBase64(lengthsText, `${name}: "lengths"`), () =>
    fail('"lengths" ends mid-number'),
  );
  const lengths = Uint32Array.from({ length: rows }, () => lengthReader.next());
  if (!lengthReader.done()) fail(`"lengths" holds more than ${rows} numbers`);
  const reader = varints(decodeBase64(postingsText, `${name}: "postings"`), () =>
    fail('"postings" ends before its last word'),
  );
  const postings = new Map<string, Postings>();
  for (const word of words) {
    const df = reader.next();
    if (df < 1 || df > rows) fail(`the word ${JSON.stringify(word)} is in ${df} rows, not 1 to ${rows}`);
    const entry: Postings = { rows: new Uint32Array(df), counts: new Uint32Array(df) };
    let row = 0;
    for (let i = 0; i < df; i++) {
      row += reader.next();
      if (row >= rows || (i > 0 && row === entry.rows[i - 1]))
        fail(`the word ${JSON.stringify(word)} names row ${row}, past the ${rows} rows or twice`);
      entry.rows[i] = row;
      entry.counts[i] = reader.next();
    }
    postings.set(word, entry);
  }
  if (!reader.done()) fail('"postings" holds more than its words need');
  return { lengths, postings };
}
