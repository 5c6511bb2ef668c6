/**
 * Searching a compact (version 2 or 3) index whose shards are fetched as a search needs them
 * (compact-index-file.ts has the layout). Opening one reads only the head; the first search
 * fetches every shard's search codes (a brute-force scan reads every row, and they are the
 * small part: 36 bytes a row for binary at 256 dimensions), then only what its best rows need:
 * the int8 rescore shards holding a binary search's candidates, and the item shards holding the
 * hits. Each file is fetched once and kept; a failed fetch is forgotten, so the next search
 * tries it again.
 *
 * The three encodings rank like this:
 * - float32: exact dot products, the same scores as the version 1 file.
 * - int8: dot(query, centre + codes · scale), the int8 index's approximate score (int8-rows.ts);
 *   no float32 is stored to rescore with, so the scores and the order are int8's.
 * - binary: scale · dot(query, ±1) over the sign bits (sign-bits.ts) ranks every row; the best
 *   k · BINARY_OVERSAMPLE are rescored with their int8 codes, and the k best of those are the hits.
 */
import { EmbedError } from '../core/errors.ts';
import type { SearchItem } from './corpus-file.ts';
import { readFloat32, readInt8, readSigns } from './compact-index-file.ts';
import type { CompactHead, CompactShard } from './compact-head.ts';
import { dotFloat } from './dot-product.ts';
import type { Int8Rows } from './int8-rows.ts';
import { scanSigns, signTables } from './sign-bits.ts';
import { TopK } from './top-k.ts';
import { itemShardOf, readItemShard } from './item-shards.ts';
import { lexicalSearch, type LexicalSearch } from './lexical-search.ts';

/**
 * How many binary candidates per hit are rescored with int8. Measured on seeded random unit
 * vectors of 256 dimensions (50 queries, recall@10 against exact float32 search): with 10 per
 * hit 0.83, 20 0.93, 40 0.98 over 2,000 rows, and 0.90 with 40 over 10,000. Random vectors are
 * binary's worst case (no cluster structure: the top scores crowd), so 40 is the smallest that
 * keeps the 2,000-row case above 0.95; rescoring 400 rows costs 400 dequantised dot products,
 * little next to embedding the query, but they fall in most int8 shards (bench/index-size.md).
 */
export const BINARY_OVERSAMPLE = 40;

/** Where a compact index's files come from (the widget fetches them beside the head; tests read a folder). */
export interface CompactFiles {
  bytes(name: string): Promise<Uint8Array>;
  text(name: string): Promise<string>;
}

/** One hit: the item and its score (float32 exact, or int8's approximation: see above). */
export interface CompactHit {
  item: SearchItem;
  score: number;
}

type SearchCodes =
  | { kind: 'float32'; rows: Float32Array }
  | { kind: 'int8'; rows: Int8Rows }
  | { kind: 'binary'; bits: Uint8Array; scales: Float32Array };

/**
 * @example
 * const index = new CompactIndex(head, { bytes: (f) => fetchBytes(f), text: (f) => fetchText(f) });
 * await index.search(queryVector, 5); // [{ item: { id: 'tea', text: '…' }, score: 0.61 }, …] best first
 * // rejects with EmbedError SOURCE_INVALID (a shard missing, truncated or damaged), INVALID_INPUT (query length)
 */
export class CompactIndex {
  /** Each file's decoded content, by file name, one map per kind of file. */
  private readonly codeCache = new Map<string, Promise<SearchCodes>>();
  private readonly rescoreCache = new Map<string, Promise<Int8Rows>>();
  private readonly itemCache = new Map<string, Promise<SearchItem[]>>();
  /** The lexical part's reader, made on the first word search. */
  private lexical: LexicalSearch | undefined;
  /** The first row of each shard, and one past the last as the final entry. */
  private readonly starts: number[] = [0];

  constructor(
    readonly head: CompactHead,
    private readonly files: CompactFiles,
  ) {
    for (const shard of head.shards) this.starts.push((this.starts.at(-1) ?? 0) + shard.rows);
  }

  get size(): number {
    return this.head.count;
  }

  get dimensions(): number {
    return this.head.fingerprint.dimensions;
  }

  async search(query: Float32Array, k: number): Promise<CompactHit[]> {
    const d = this.dimensions;
    if (query.length !== d)
      throw new EmbedError('INVALID_INPUT', `the query has ${query.length} values; this index's vectors have ${d}`);
    const limit = Math.min(k, this.size);
    const codes = await Promise.all(this.head.shards.map((shard, s) => this.codes(shard, s)));
    const ranked =
      this.head.encoding === 'binary'
        ? await this.rescored(query, codes, limit)
        : this.scan(query, codes, new TopK(limit)).sorted();
    return Promise.all(ranked.map(async ({ row, score }) => ({ item: await this.item(row), score })));
  }

  /**
   * The `k` best items for the words of `query` by BM25 (bm25.ts), best first; only items that
   * share a word with it, the last word also matching the words it begins (lexical-search.ts).
   * Fetches the lexical shards of the query's words (version 2: the one lexical file, on the
   * first call), then the item shards of the hits.
   *
   * @example
   * await index.searchWords('下雨', 3); // [{ item: { id: 'rain', … }, score: 1.9 }]
   * // rejects with EmbedError SOURCE_INVALID when the index has no lexical part (`tabembed index --lexical`) or it is damaged
   */
  async searchWords(query: string, k: number): Promise<CompactHit[]> {
    const part = this.head.lexical;
    if (part === undefined)
      throw new EmbedError(
        'SOURCE_INVALID',
        'this index has no lexical part: rebuild it with `tabembed index --out <dir> --lexical`',
      );
    this.lexical ??= lexicalSearch(part, this.size, this.files);
    const ranked = await this.lexical.search(query, Math.min(k, this.size));
    return Promise.all(ranked.map(async ({ row, score }) => ({ item: await this.item(row), score })));
  }

  /** Offers every row to `top` by its search score. */
  private scan(query: Float32Array, codes: SearchCodes[], top: TopK): TopK {
    const d = this.dimensions;
    const tables = this.head.encoding === 'binary' ? signTables(query, d) : undefined;
    codes.forEach((shard, s) => {
      const base = this.starts[s] ?? 0;
      if (shard.kind === 'float32') {
        for (let row = 0; row * d < shard.rows.length; row++)
          top.push(base + row, dotFloat(query, shard.rows, row * d, d));
      } else if (shard.kind === 'int8') {
        // The int8 scan's own ranking: its best `top.k` rows of this shard, by approximate score.
        const rows = shard.rows.capacity;
        for (const { row, score } of shard.rows.candidates(query, top.k, rows, top.k)) top.push(base + row, score);
      } else {
        scanSigns(query, shard.bits, shard.scales, d, base, top, tables);
      }
    });
    return top;
  }

  /** Binary: the best k · BINARY_OVERSAMPLE rows by sign bits, rescored with their int8 codes. */
  private async rescored(
    query: Float32Array,
    codes: SearchCodes[],
    k: number,
  ): Promise<{ row: number; score: number }[]> {
    const candidates = this.scan(query, codes, new TopK(Math.min(this.size, k * BINARY_OVERSAMPLE))).sorted();
    const d = this.dimensions;
    const out = new Float32Array(d);
    const top = new TopK(k);
    await Promise.all(
      candidates.map(async ({ row }) => {
        const s = this.shardOf(row);
        const rows = await this.rescoreRows(s);
        top.push(row, dotFloat(query, rows.dequantize(row - (this.starts[s] ?? 0), out), 0, d));
      }),
    );
    return top.sorted();
  }

  private shardOf(row: number): number {
    let s = 0;
    while (row >= (this.starts[s + 1] ?? Infinity)) s++;
    return s;
  }

  private async item(row: number): Promise<SearchItem> {
    if (row < 0 || row >= this.size)
      throw new EmbedError('SOURCE_INVALID', `row ${row} is past the index's ${this.size} items`);
    const { items: sharded } = this.head;
    // Version 3: fixed-size item shards of excerpts; version 2: each vector shard's whole items.
    const { name, index, rows } = sharded
      ? {
          ...itemShardOf(sharded, row),
          rows: Math.min(sharded.rows, this.size - Math.floor(row / sharded.rows) * sharded.rows),
        }
      : this.wholeItems(row);
    const items = await once(this.itemCache, name, async () => readItemShard(await this.files.text(name), rows, name));
    return items[index] ?? { id: '', text: '' };
  }

  private wholeItems(row: number): { name: string; index: number; rows: number } {
    const s = this.shardOf(row);
    const shard = this.head.shards[s];
    if (shard?.items === undefined)
      throw new EmbedError('SOURCE_INVALID', `shard ${s} names no items file; rebuild the index`);
    return { name: shard.items, index: row - (this.starts[s] ?? 0), rows: shard.rows };
  }

  private codes(shard: CompactShard, s: number): Promise<SearchCodes> {
    const d = this.dimensions;
    return once(this.codeCache, shard.vectors, async (): Promise<SearchCodes> => {
      const bytes = await this.files.bytes(shard.vectors);
      switch (this.head.encoding) {
        case 'float32':
          return { kind: 'float32', rows: readFloat32(bytes, shard.rows, d, shard.vectors) };
        case 'int8':
          return { kind: 'int8', rows: readInt8(bytes, shard.rows, d, this.centre(), shard.vectors) };
        case 'binary':
          return { kind: 'binary', ...readSigns(bytes, shard.rows, d, `${shard.vectors} (shard ${s})`) };
        default:
          return this.head.encoding satisfies never;
      }
    });
  }

  private rescoreRows(s: number): Promise<Int8Rows> {
    const shard = this.head.shards[s];
    const name = shard?.rescore;
    if (!shard || name === undefined)
      return Promise.reject(new EmbedError('SOURCE_INVALID', `shard ${s} has no rescore file; rebuild the index`));
    return once(this.rescoreCache, name, async () =>
      readInt8(await this.files.bytes(name), shard.rows, this.dimensions, this.centre(), name),
    );
  }

  private centre(): Float32Array {
    return this.head.centre ?? new Float32Array(this.dimensions);
  }
}

/** The file's decoded content, made once; a failure is not kept, so a later search retries. */
function once<T>(cache: Map<string, Promise<T>>, name: string, make: () => Promise<T>): Promise<T> {
  const cached = cache.get(name);
  if (cached) return cached;
  const made = make();
  cache.set(name, made);
  made.catch(() => cache.delete(name));
  return made;
}
