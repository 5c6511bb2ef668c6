/**
 * BM25 over a compact index's lexical part, fetching what a query needs: for a version 3 index
 * the shards of its own words (lexical-shards.ts), for a version 2 index its one lexical file
 * (lexical-file.ts, read whole as before).
 *
 * The query's last word may still be being typed, so over a sharded index it also matches the
 * words it begins (from PREFIX_MIN characters on): "mount" finds "mountain". Such a word scores
 * as its BM25 score times |typed| / |word| (the longer the untyped tail, the less sure the match),
 * and an item counts its best-scoring match of the last word once, so a page that uses many
 * words of one stem is not counted many times over.
 */
import { EmbedError } from '../core/errors.ts';
import { K1, queryLexical } from './bm25.ts';
import type { CompactFiles } from './compact-index.ts';
import { tryJson } from './json-value.ts';
import { decodeLexical } from './lexical-file.ts';
import {
  readLexicalShard,
  shardOfWord,
  WEIGHT_LEVELS,
  type LexicalShards,
  type WeightedPostings,
} from './lexical-shards.ts';
import { lexicalTokens } from './lexical-tokens.ts';
import { TopK } from './top-k.ts';

/** Characters the last word needs before it also matches longer words (shorter ones match too much to rank). */
export const PREFIX_MIN = 3;
/** Shards a prefix may reach into beyond its own: what a short prefix costs in bytes is bounded. */
export const PREFIX_EXTRA_SHARDS = 1;

/** A compact index's lexical part: a version 2 file, or version 3's shards. */
export type LexicalPart = { kind: 'file'; file: string } | ({ kind: 'shards' } & LexicalShards);

export interface RankedRow {
  row: number;
  score: number;
}

/** Ranks rows by the words of a query, fetching what it needs through `files`. */
export interface LexicalSearch {
  search(query: string, k: number): Promise<RankedRow[]>;
}

/**
 * @example
 * const lexical = lexicalSearch({ kind: 'shards', files: 'index-l', first: ['', 'gl'] }, 30000, files);
 * await lexical.search('mountain riv', 5); // [{ row: 812, score: 7.1 }, …]; fetched index-l3.bin and index-l5.bin
 */
export function lexicalSearch(part: LexicalPart, count: number, files: CompactFiles): LexicalSearch {
  return part.kind === 'file' ? wholeFile(part.file, count, files) : new ShardedLexical(part, count, files);
}

/** Version 2: one file of every posting and every item's length, fetched whole by the first query. */
function wholeFile(name: string, count: number, files: CompactFiles): LexicalSearch {
  let loading: Promise<ReturnType<typeof decodeLexical>> | undefined;
  const load = async (): Promise<ReturnType<typeof decodeLexical>> => {
    const parsed = tryJson(await files.text(name));
    if (!parsed.ok) throw new EmbedError('SOURCE_INVALID', `${name} is not JSON (${parsed.reason}); rebuild the index`);
    return decodeLexical(parsed.value, count, name);
  };
  return {
    async search(query, k) {
      loading ??= load();
      // A failed fetch is forgotten, so the next query tries again.
      loading.catch(() => (loading = undefined));
      return queryLexical(await loading, query, Math.min(k, count));
    },
  };
}

class ShardedLexical implements LexicalSearch {
  private readonly cache = new Map<number, Promise<Map<string, WeightedPostings>>>();

  constructor(
    private readonly part: LexicalShards,
    private readonly count: number,
    private readonly files: CompactFiles,
  ) {}

  async search(query: string, k: number): Promise<RankedRow[]> {
    const tokens = lexicalTokens(query);
    const typed = tokens.at(-1);
    if (typed === undefined || k < 1) return [];
    const prefix = [...typed].length >= PREFIX_MIN ? typed : undefined;
    const whole = [...new Set(tokens)].filter((word) => word !== prefix);
    const scores = new Map<number, number>();
    const add = (postings: WeightedPostings, factor: number, into: Map<number, number>, best: boolean): void => {
      const weight = this.idf(postings.rows.length) * ((K1 + 1) / WEIGHT_LEVELS) * factor;
      postings.rows.forEach((row, i) => {
        const score = weight * (postings.weights[i] ?? 0);
        const before = into.get(row) ?? 0;
        into.set(row, best ? Math.max(before, score) : before + score);
      });
    };
    const [exact, expanded] = await Promise.all([
      Promise.all(whole.map(async (word) => (await this.shard(shardOfWord(this.part.first, word))).get(word))),
      prefix === undefined ? [] : this.wordsBeginning(prefix),
    ]);
    for (const postings of exact) if (postings) add(postings, 1, scores, false);
    const last = new Map<number, number>();
    for (const { word, postings } of expanded) add(postings, [...(prefix ?? '')].length / [...word].length, last, true);
    for (const [row, score] of last) scores.set(row, (scores.get(row) ?? 0) + score);
    const top = new TopK(Math.min(k, scores.size));
    for (const [row, score] of scores) top.push(row, score);
    return top.sorted();
  }

  /** idf = ln(1 + (N − df + 0.5) / (df + 0.5)), as bm25.ts computes it. */
  private idf(df: number): number {
    return Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  /** Every word beginning with `prefix` in its shard and at most PREFIX_EXTRA_SHARDS after it. */
  private async wordsBeginning(prefix: string): Promise<{ word: string; postings: WeightedPostings }[]> {
    const from = shardOfWord(this.part.first, prefix);
    // Every word beginning with the prefix sorts before the prefix followed by the last UTF-16 unit.
    const to = Math.min(shardOfWord(this.part.first, `${prefix}\uffff`), from + PREFIX_EXTRA_SHARDS);
    const shards = await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => this.shard(from + i)));
    const out: { word: string; postings: WeightedPostings }[] = [];
    for (const shard of shards)
      for (const [word, postings] of shard) if (word.startsWith(prefix)) out.push({ word, postings });
    return out;
  }

  private shard(k: number): Promise<Map<string, WeightedPostings>> {
    const cached = this.cache.get(k);
    if (cached) return cached;
    const name = `${this.part.files}${k}.bin`;
    const made = this.files.bytes(name).then((bytes) => readLexicalShard(bytes, this.count, name));
    this.cache.set(k, made);
    made.catch(() => this.cache.delete(k));
    return made;
  }
}
