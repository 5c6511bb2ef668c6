/**
 * A lexical index of a site's items, ranked by BM25 over its titles, headings and text: the
 * words a visitor types are found where the page has them, which an embedding of a tiny or
 * unfamiliar model may miss (names, codes, rare words). Fields count with weights (a word in
 * the title counts as three in the text, BM25F's simplest form: weighted term counts and
 * weighted lengths), so one length normalisation covers the item.
 *
 * BM25, per query word t in an item d: idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avg|d|)),
 * idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) (the form that never goes negative, as Lucene
 * uses), with k1 = 1.2 and b = 0.75, the usual defaults. A word repeated in the query counts once.
 */
import { lexicalTokens } from './lexical-tokens.ts';
import { TopK } from './top-k.ts';

export const K1 = 1.2;
export const B = 0.75;
/** How many times a word counts in each field; whole numbers, so counts stay integers on disk. */
export const FIELD_WEIGHTS = { title: 3, headings: 2, text: 1 } as const;

/** One item's fields, as the lexical index reads them. */
export interface LexicalDoc {
  title?: string | undefined;
  headings?: readonly string[] | undefined;
  text: string;
}

/** One word's postings: the rows holding it (ascending) and its weighted count in each. */
export interface Postings {
  rows: Uint32Array;
  counts: Uint32Array;
}

export interface LexicalIndex {
  /** Weighted word count of each row. */
  lengths: Uint32Array;
  postings: Map<string, Postings>;
}

/**
 * @example
 * const index = buildLexical([{ title: 'Green tea', text: 'Brew at 80 °C.' }, { text: 'Le chat dort.' }]);
 * index.postings.get('tea'); // { rows: Uint32Array [0], counts: Uint32Array [3] }
 */
export function buildLexical(docs: readonly LexicalDoc[]): LexicalIndex {
  const lengths = new Uint32Array(docs.length);
  const byWord = new Map<string, { rows: number[]; counts: number[] }>();
  docs.forEach((doc, row) => {
    const counts = new Map<string, number>();
    const add = (text: string | undefined, weight: number): void => {
      if (text === undefined) return;
      for (const word of lexicalTokens(text)) {
        counts.set(word, (counts.get(word) ?? 0) + weight);
        lengths[row] = (lengths[row] ?? 0) + weight;
      }
    };
    add(doc.title, FIELD_WEIGHTS.title);
    for (const heading of doc.headings ?? []) add(heading, FIELD_WEIGHTS.headings);
    add(doc.text, FIELD_WEIGHTS.text);
    for (const [word, count] of counts) {
      let entry = byWord.get(word);
      if (!entry) byWord.set(word, (entry = { rows: [], counts: [] }));
      entry.rows.push(row);
      entry.counts.push(count);
    }
  });
  const postings = new Map<string, Postings>();
  for (const [word, { rows, counts }] of byWord)
    postings.set(word, { rows: Uint32Array.from(rows), counts: Uint32Array.from(counts) });
  return { lengths, postings };
}

/**
 * The `k` best rows for `query` by BM25, best first (ties to the lower row); rows sharing no
 * word with the query are left out.
 *
 * @example
 * queryLexical(index, 'green tea', 5); // [{ row: 0, score: 1.73 }]
 */
export function queryLexical(index: LexicalIndex, query: string, k: number): { row: number; score: number }[] {
  const n = index.lengths.length;
  if (n === 0 || k < 1) return [];
  let total = 0;
  for (const length of index.lengths) total += length;
  const average = total / n || 1;
  const scores = new Map<number, number>();
  for (const word of new Set(lexicalTokens(query))) {
    const postings = index.postings.get(word);
    if (!postings) continue;
    const df = postings.rows.length;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    postings.rows.forEach((row, i) => {
      const tf = postings.counts[i] ?? 0;
      const norm = K1 * (1 - B + (B * (index.lengths[row] ?? 0)) / average);
      scores.set(row, (scores.get(row) ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm));
    });
  }
  const top = new TopK(Math.min(k, scores.size));
  for (const [row, score] of scores) top.push(row, score);
  return top.sorted();
}
