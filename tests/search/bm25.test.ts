/**
 * The lexical part of the compact index: words (lexical-tokens.ts), BM25 with field weights
 * (bm25.ts) and its file (lexical-file.ts), on a small multilingual corpus. Scores are checked
 * against BM25 written out here from counts made by hand, not from the module's own counts.
 */
import { describe, expect, it } from 'vitest';
import { buildLexical, B, FIELD_WEIGHTS, K1, queryLexical, type LexicalDoc } from '../../src/search/bm25.ts';
import { decodeLexical, encodeLexical } from '../../src/search/lexical-file.ts';
import { lexicalTokens } from '../../src/search/lexical-tokens.ts';

const CORPUS: LexicalDoc[] = [
  { title: 'Green tea', text: 'Brew green tea at 80 °C for two minutes; boiling water makes it bitter.' },
  { title: 'Le chat', text: 'Le chat dort sur le canapé tout l’après-midi.' },
  { title: '雨', text: '明天会下雨，记得带伞。' },
  { title: '天気', headings: ['東京'], text: '東京の天気は晴れです。' },
  { title: 'Tea history', text: 'Tea came to Europe in the seventeenth century.' },
  { text: 'File your tax return before the end of April to avoid a late fee.' },
];

describe('lexical words', () => {
  it('are lowercased word-like segments: no punctuation, no spaces; Chinese and Japanese split into words', () => {
    expect(lexicalTokens('Le Chat dort sur le canapé.')).toEqual(['le', 'chat', 'dort', 'sur', 'le', 'canapé']);
    expect(lexicalTokens('明天会下雨，记得带伞。')).toEqual(['明天', '会', '下雨', '记得', '带', '伞']);
    expect(lexicalTokens('東京の天気は晴れです')).toEqual(['東京', 'の', '天気', 'は', '晴れ', 'です']);
  });

  it('fold full-width and half-width forms (NFKC), so ＴＥＡ and ｶﾀｶﾅ match tea and カタカナ', () => {
    expect(lexicalTokens('ＴＥＡ ｶﾀｶﾅ')).toEqual(['tea', 'カタカナ']);
  });

  it('come out whole from a text far longer than one 4 k window, in Latin and in Chinese', () => {
    const long = 'alpha beta '.repeat(2000) + '中文句子。'.repeat(2000);
    const words = lexicalTokens(long);
    expect(words).toHaveLength(4000 + 4000);
    expect(new Set(words)).toEqual(new Set(['alpha', 'beta', '中文', '句子']));
  });
});

describe('BM25', () => {
  const index = buildLexical(CORPUS);

  it('counts a title word three times, a heading word twice and a text word once', () => {
    expect(FIELD_WEIGHTS).toEqual({ title: 3, headings: 2, text: 1 });
    // Row 0: "tea" once in the title (3) and once in the text (1).
    const tea = index.postings.get('tea');
    expect(Array.from(tea?.rows ?? [])).toEqual([0, 4]);
    expect(Array.from(tea?.counts ?? [])).toEqual([4, 4]);
    // Row 3: 東京 as a heading (2) and in the text (1); 天気 in the title (3) and text (1).
    expect(index.postings.get('東京')?.counts[0]).toBe(3);
    expect(index.postings.get('天気')?.counts[0]).toBe(4);
  });

  it('scores as the BM25 formula on hand counts (|Δ| ≤ 1e-12)', () => {
    // Weighted lengths by hand: words in the title × 3 + words in the text (row 0's "80 °C" is
    // two words, "80" and "c"; row 1's "l’après-midi" two, "l’après" and "midi").
    const lengths = [2 * 3 + 14, 2 * 3 + 9, 1 * 3 + 6, 1 * 3 + 1 * 2 + 6, 2 * 3 + 8, 14];
    expect(Array.from(index.lengths)).toEqual(lengths);
    const avg = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const term = (tf: number, df: number, length: number): number =>
      Math.log(1 + (6 - df + 0.5) / (df + 0.5)) * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avg)));
    const hits = queryLexical(index, 'green TEA', 10);
    expect(hits.map((h) => h.row)).toEqual([0, 4]);
    expect(Math.abs((hits[0]?.score ?? 0) - (term(4, 2, lengths[0] ?? 0) + term(4, 1, lengths[0] ?? 0)))).toBeLessThan(
      1e-12,
    );
    expect(Math.abs((hits[1]?.score ?? 0) - term(4, 2, lengths[4] ?? 0))).toBeLessThan(1e-12);
  });

  it('finds each language by its own words, and leaves out rows that share none', () => {
    expect(queryLexical(index, 'le chat', 3).map((h) => h.row)).toEqual([1]);
    expect(queryLexical(index, '下雨', 3).map((h) => h.row)).toEqual([2]);
    expect(queryLexical(index, '東京の天気', 3)[0]?.row).toBe(3);
    expect(queryLexical(index, 'April tax', 3).map((h) => h.row)).toEqual([5]);
    expect(queryLexical(index, 'zucchini', 3)).toEqual([]);
  });

  it('ranks a word in the title above the same word once in a text of the same length', () => {
    const two = buildLexical([{ text: 'tea kettle' }, { title: 'tea', text: 'kettle' }]);
    expect(queryLexical(two, 'tea', 2).map((h) => h.row)).toEqual([1, 0]);
  });
});

describe('lexical file', () => {
  const index = buildLexical(CORPUS);

  it('round-trips: the same postings and the same ranking for every query', () => {
    const text = encodeLexical(index);
    const back = decodeLexical(JSON.parse(text), CORPUS.length, 'index-lex.json');
    expect(back.lengths).toEqual(index.lengths);
    expect(new Map(back.postings)).toEqual(new Map(index.postings));
    for (const q of ['green tea', '下雨', '東京', 'le chat', 'tax'])
      expect(queryLexical(back, q, 5)).toEqual(queryLexical(index, q, 5));
  });

  it('stores a posting in two bytes when rows are near and counts small', () => {
    const many = buildLexical(Array.from({ length: 300 }, () => ({ text: 'same word' })));
    const file = JSON.parse(encodeLexical(many)) as { postings: string };
    // Two words × (df as 2 bytes + 300 × (delta, count) of one byte each), base64 = 4/3.
    expect(Buffer.from(file.postings, 'base64').length).toBe(2 * (2 + 300 * 2));
  });

  it('refuses a file for another item count, truncated postings, and a row past the end', () => {
    const file = JSON.parse(encodeLexical(index)) as Record<string, unknown>;
    expect(() => decodeLexical(file, 7, 'index-lex.json')).toThrow('index-lex.json: "rows" is 6, expected 7');
    const postings = Buffer.from(String(file['postings']), 'base64');
    const cut = { ...file, postings: postings.subarray(0, postings.length - 1).toString('base64') };
    expect(() => decodeLexical(cut, 6, 'index-lex.json')).toThrow('"postings" ends before its last word');
    const past = Buffer.from(postings);
    past[1] = 6; // the first word's first row: 6, past rows 0..5
    expect(() => decodeLexical({ ...file, postings: past.toString('base64') }, 6, 'x')).toThrow('past the 6 rows');
  });
});
