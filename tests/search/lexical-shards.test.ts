/**
 * The sharded lexical part of a version 3 compact index (lexical-shards.ts, lexical-search.ts):
 * scores against BM25 written out here with plain math over the same items (the words come from
 * lexicalTokens, the one tokeniser, but the counts, lengths, idf and sums are this file's), the
 * fetches a query makes, the writer/reader round trip, prefixes and CJK. Shards are made tiny
 * (1,500 bytes) so a 600-item corpus spreads over many of them.
 */
import { describe, expect, it } from 'vitest';
import { B, K1, type LexicalDoc } from '../../src/search/bm25.ts';
import { lexicalSearch, PREFIX_MIN, type RankedRow } from '../../src/search/lexical-search.ts';
import { readLexicalShard, shardOfWord, writeLexicalShards } from '../../src/search/lexical-shards.ts';
import { lexicalTokens } from '../../src/search/lexical-tokens.ts';
import { memoryFiles } from './compact-recall.ts';

/** mulberry32: a seeded generator, so the corpus (and every figure below) is the same each run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tus', 'bar', 'quin', 'zel', 'do', 'fa'];
const random = seeded(7);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const VOCABULARY = [
  ...new Set(
    Array.from({ length: 300 }, () => pick(SYLLABLES) + pick(SYLLABLES) + (random() < 0.5 ? pick(SYLLABLES) : '')),
  ),
];
const CJK = ['下雨', '天气', '东京', '图书馆', '音乐'];
const words = (n: number): string =>
  Array.from({ length: n }, () => (random() < 0.05 ? pick(CJK) : pick(VOCABULARY))).join(' ');
const DOCS: LexicalDoc[] = Array.from({ length: 600 }, (_, i) => ({
  title: words(2),
  ...(i % 3 === 0 ? { headings: [words(3)] } : {}),
  // Lengths from 5 to 80 words, so the length normalisation matters.
  text: words(5 + Math.floor(random() * 76)),
}));

/** BM25F as bm25.ts defines it, written out: weighted counts, weighted lengths, idf, the sum. */
function reference(docs: readonly LexicalDoc[], query: string, prefix: boolean): Map<number, number> {
  const counts = docs.map((doc) => {
    const c = new Map<string, number>();
    const add = (text: string | undefined, weight: number): void => {
      for (const word of lexicalTokens(text ?? '')) c.set(word, (c.get(word) ?? 0) + weight);
    };
    add(doc.title, 3);
    for (const heading of doc.headings ?? []) add(heading, 2);
    add(doc.text, 1);
    return c;
  });
  const lengths = counts.map((c) => [...c.values()].reduce((a, b) => a + b, 0));
  const average = lengths.reduce((a, b) => a + b, 0) / docs.length;
  const n = docs.length;
  const termScore = (word: string, row: number): number => {
    const tf = counts[row]?.get(word) ?? 0;
    if (tf === 0) return 0;
    const df = counts.filter((c) => c.has(word)).length;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    return (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * (lengths[row] ?? 0)) / average));
  };
  const tokens = lexicalTokens(query);
  const last = prefix && [...(tokens.at(-1) ?? '')].length >= PREFIX_MIN ? tokens.at(-1) : undefined;
  const scores = new Map<number, number>();
  counts.forEach((c, row) => {
    let score = 0;
    for (const word of new Set(tokens)) if (word !== last) score += termScore(word, row);
    if (last !== undefined) {
      let best = 0;
      for (const word of c.keys())
        if (word.startsWith(last)) best = Math.max(best, (termScore(word, row) * [...last].length) / [...word].length);
      score += best;
    }
    if (score > 0) scores.set(row, score);
  });
  return scores;
}

/**
 * How far a score may be from the reference: each query word's weight is rounded to 1/255 of
 * k1 + 1, so its score moves by at most idf · (k1 + 1) / 510 (lexical-shards.ts); bounded here by
 * the largest idf (df = 1) for every word of the query, plus float rounding.
 */
function tolerance(docs: readonly LexicalDoc[], query: string): number {
  const n = docs.length;
  const largest = (Math.log(1 + (n - 1 + 0.5) / 1.5) * (K1 + 1)) / 510;
  return new Set(lexicalTokens(query)).size * largest + 1e-9;
}

function written(docs: readonly LexicalDoc[], bytes: number) {
  const { shards, files } = writeLexicalShards(docs, 'index-l', bytes);
  const served = memoryFiles(files);
  return { shards, files, served, search: lexicalSearch({ kind: 'shards', ...shards }, docs.length, served) };
}

/** The search's top k is the reference's top k up to the rounding: scores within tolerance, order swapped only within it. */
function expectMatches(found: RankedRow[], truth: Map<number, number>, k: number, tol: number): void {
  const best = [...truth.values()].sort((a, b) => b - a);
  expect(found).toHaveLength(Math.min(k, truth.size));
  found.forEach(({ row, score }, i) => {
    const exact = truth.get(row) ?? 0;
    expect(Math.abs(score - exact)).toBeLessThanOrEqual(tol);
    expect(exact).toBeGreaterThanOrEqual((best[i] ?? 0) - 2 * tol);
  });
}

describe('sharded lexical part', () => {
  const { shards, files, search } = written(DOCS, 1500);

  it('splits the postings over many shards, each word in exactly the shard the head points it to', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(shards.first).toHaveLength(files.length);
    files.forEach((file, k) => {
      const content = file.content as Uint8Array;
      // A shard passes its target by at most one word's postings.
      for (const word of readLexicalShard(content, DOCS.length, file.name).keys())
        expect(shardOfWord(shards.first, word)).toBe(k);
    });
  });

  it('round-trips: every posting comes back, with the weight byte plain math gives', () => {
    const back = new Map(
      files.flatMap((file) => [...readLexicalShard(file.content as Uint8Array, DOCS.length, file.name)]),
    );
    const word = VOCABULARY[0] ?? '';
    const truth = reference(DOCS, word, false);
    expect(Array.from(back.get(word)?.rows ?? [])).toEqual([...truth.keys()]);
    const total = DOCS.length;
    const df = truth.size;
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    back.get(word)?.rows.forEach((row, i) => {
      const w = (truth.get(row) ?? 0) / idf; // the length-normalised term part, in [0, k1 + 1)
      expect(back.get(word)?.weights[i]).toBe(Math.max(1, Math.round((255 * w) / (K1 + 1))));
    });
  });

  it('ranks as BM25 does, within the quantisation’s tolerance, for one, two and three words', async () => {
    // Last words no other word begins with, so the prefix rule adds nothing (it has a test of its own).
    const whole = VOCABULARY.filter((w) => !VOCABULARY.some((other) => other !== w && other.startsWith(w)));
    const queries = [whole[0], `${whole[1]} ${whole[2]}`, `${VOCABULARY[5]} ${VOCABULARY[9]} ${whole[3]}`, '下雨 东京'];
    for (const query of queries.map(String)) {
      const found = await search.search(query, 10);
      expectMatches(found, reference(DOCS, query, true), 10, tolerance(DOCS, query));
    }
  });

  it('fetches only the shards holding the query’s words, each once', async () => {
    // Which shard holds a word, found by reading every shard: not by the lookup under test.
    const holder = new Map<string, number>();
    files.forEach((file, k) => {
      for (const word of readLexicalShard(file.content as Uint8Array, DOCS.length, file.name).keys())
        holder.set(word, k);
    });
    const whole = VOCABULARY.filter((w) => !VOCABULARY.some((o) => o !== w && o.startsWith(w)));
    const [a, b, c] = [whole[0] ?? '', whole.at(-1) ?? '', whole[Math.floor(whole.length / 2)] ?? ''];
    const { search: fresh, served: counted } = written(DOCS, 1500);
    const names = (...words: string[]): string[] =>
      [...new Set(words.map((w) => `index-l${holder.get(w)}.bin`))].sort();
    await fresh.search(`${a} ${b}`, 5);
    expect([...counted.fetched].sort()).toEqual(names(a, b));
    expect(names(a, b).length).toBeLessThan(files.length / 4);
    await fresh.search(`${c} ${a}`, 5);
    expect([...counted.fetched].sort()).toEqual(names(a, b, c));
  });

  it('matches the last word as a prefix from three characters on, scored as BM25 × typed / whole length', async () => {
    const stem = (
      VOCABULARY.find((w) => VOCABULARY.filter((o) => o.startsWith(w.slice(0, 3))).length >= 3) ?? ''
    ).slice(0, 3);
    const truth = reference(DOCS, stem, true);
    expect(truth.size).toBeGreaterThan(0);
    // One shard of everything, so no prefix range is cut short by PREFIX_EXTRA_SHARDS.
    const one = written(DOCS, 1e9);
    expectMatches(await one.search.search(stem, 10), truth, 10, tolerance(DOCS, stem));
    // Two characters are not a prefix yet: only the word itself, which none is.
    expect(await one.search.search(stem.slice(0, 2), 10)).toEqual([]);
    // Not the words before the last: the stem alone there finds nothing, and the last word scores alone.
    const last = VOCABULARY.filter((w) => !VOCABULARY.some((o) => o !== w && o.startsWith(w)))[0] ?? '';
    const both = await one.search.search(`${stem} ${last}`, 10);
    expectMatches(both, reference(DOCS, last, true), 10, tolerance(DOCS, last));
  });

  it('follows a prefix whose words run over into the next shard', async () => {
    const stems = [...new Set(VOCABULARY.map((w) => w.slice(0, 3)))];
    const across = stems.find(
      (stem) => shardOfWord(shards.first, `${stem}\uffff`) === shardOfWord(shards.first, stem) + 1,
    );
    expect(across).toBeDefined();
    const stem = across ?? '';
    const { search: fresh, served: counted } = written(DOCS, 1500);
    expectMatches(await fresh.search(stem, 10), reference(DOCS, stem, true), 10, tolerance(DOCS, stem));
    expect(counted.fetched).toHaveLength(2);
  });

  it('finds Chinese words as Intl.Segmenter splits them, in a query without spaces', async () => {
    const cjk: LexicalDoc[] = [
      { title: '天气', text: '明天会下雨，记得带伞。' },
      { title: '图书馆', text: '图书馆周末开放。' },
      { text: 'Rain in Tokyo.' },
    ];
    const { search: s } = written(cjk, 1e9);
    const found = await s.search('明天下雨', 3);
    expect(found.map((hit) => hit.row)).toEqual([0]);
    expectMatches(found, reference(cjk, '明天下雨', true), 3, tolerance(cjk, '明天下雨'));
  });

  it('refuses a damaged shard with the file’s name and the way out', () => {
    const content = files[0]?.content as Uint8Array;
    expect(() => readLexicalShard(content.subarray(0, content.length - 3), DOCS.length, 'index-l0.bin')).toThrow(
      'index-l0.bin: it ends mid-word; rebuild the index with `tabembed index --lexical`',
    );
    expect(() => readLexicalShard(content, 10, 'index-l0.bin')).toThrow(
      /^index-l0\.bin: the word "\w+" is in \d+ rows, not 1 to 10/,
    );
  });
});
