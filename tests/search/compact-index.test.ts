/**
 * The compact (version 3) index: written by writeCompactIndex, read back through its head and
 * lazily fetched shards by CompactIndex. Files are served from memory with every fetch logged
 * (the widget's fetches are counted in e2e/widget-compact.spec.ts). References are float64
 * scans written in tests/search/compact-recall.ts, not the index's own scoring.
 */
import { describe, expect, it } from 'vitest';
import { CompactIndex } from '../../src/search/compact-index.ts';
import { writeCompactIndex, type CompactEncoding } from '../../src/search/compact-index-file.ts';
import { parseCompactHead } from '../../src/search/compact-head.ts';
import { parseSourceText } from '../../src/search/index-file.ts';
import { packSigns, scanSigns, signTables } from '../../src/search/sign-bits.ts';
import { TopK } from '../../src/search/top-k.ts';
import { GOOD_INDEX } from '../reliability/cases-files.ts';
import { exactTop, measureCompact, memoryFiles } from './compact-recall.ts';
import { randomUnitVectors } from './random-unit-vectors.ts';

const D = 32;
const N = 50;
const VECTORS = randomUnitVectors(N, D, 11);
const ITEMS = Array.from({ length: N }, (_, i) => ({ id: `doc-${i}`, text: `text ${i}`, url: `/p/${i}` }));
const INDEX = {
  ...GOOD_INDEX,
  fingerprint: { ...GOOD_INDEX.fingerprint, dimensions: D },
  items: ITEMS,
  vectors: VECTORS,
};

/** Item shards of 10 rows, as many as the default vector shards here: a hit's item shard is its vector shard's number. */
function open(encoding: CompactEncoding, shardRows = 10) {
  const { head, files } = writeCompactIndex(INDEX, encoding, shardRows, 'index', false, 10);
  const served = memoryFiles(files);
  const source = parseSourceText(head, 'index.json');
  if (source.kind !== 'compact') throw new Error(`read as ${source.kind}`);
  return {
    index: new CompactIndex(source.head, served),
    served,
    head: JSON.parse(head) as Record<string, unknown>,
    files,
  };
}

function dot64(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

describe('compact index: format', () => {
  it('writes a version 3 head with the fingerprint, the count, one entry per shard and the item shards, and reads it back', () => {
    const { head, files } = open('binary', 20);
    expect(head).toMatchObject({ format: 'tabembed-index', version: 3, count: N, encoding: 'binary', rescore: 'int8' });
    expect(head['shards']).toEqual([
      { rows: 20, vectors: 'index-v0.bin', rescore: 'index-r0.bin' },
      { rows: 20, vectors: 'index-v1.bin', rescore: 'index-r1.bin' },
      { rows: 10, vectors: 'index-v2.bin', rescore: 'index-r2.bin' },
    ]);
    expect(head['items']).toEqual({ rows: 10, files: 'index-i' });
    expect(files.filter((f) => f.name.startsWith('index-i')).map((f) => f.name)).toEqual(
      [0, 1, 2, 3, 4].map((k) => `index-i${k}.json`),
    );
    // Sizes by the layout in compact-index-file.ts: binary 4 + d/8 bytes a row, int8 4 + d.
    const size = (name: string): number => {
      const content = files.find((f) => f.name === name)?.content;
      return typeof content === 'string' ? -1 : (content?.length ?? -1);
    };
    expect(size('index-v2.bin')).toBe(10 * (4 + D / 8));
    expect(size('index-r2.bin')).toBe(10 * (4 + D));
  });

  it('rejects a shard name that leaves the head’s folder, rows that do not add up, and a truncated shard', async () => {
    const { head, files } = writeCompactIndex(INDEX, 'int8', 25, 'index', true);
    type Head = { shards: Record<string, unknown>[]; items: Record<string, unknown>; lexical: Record<string, unknown> };
    const edit = (change: (file: Head & Record<string, unknown>) => void): string => {
      const file = JSON.parse(head) as Head & Record<string, unknown>;
      change(file);
      return JSON.stringify(file);
    };
    const read = (text: string) => parseCompactHead(JSON.parse(text), 'index.json');
    expect(() => read(edit((f) => (f.shards[0]!['vectors'] = '../secret.bin')))).toThrow(
      'index.json: "shards[0].vectors" is "../secret.bin"; expected a file name beside the head',
    );
    expect(() => read(edit((f) => (f.items['files'] = 'https://evil.example/x')))).toThrow(
      '"items.files" is "https://evil.example/x"; expected a file name beside the head',
    );
    expect(() => read(edit((f) => delete (f as Partial<Head>).items))).toThrow(
      '"items" is missing; expected { rows, files }',
    );
    expect(() => read(edit((f) => (f.lexical['files'] = '/etc/l')))).toThrow(
      '"lexical.files" is "/etc/l"; expected a file name beside the head',
    );
    expect(() => read(edit((f) => (f.lexical['first'] = ['', 'b', 'a'])))).toThrow(
      '"lexical.first" is an array; expected a non-empty array of words in ascending order',
    );
    expect(() => read(edit((f) => (f.shards[1]!['rows'] = 24)))).toThrow(
      '"shards"; their rows add up to 49, but "count" is 50',
    );
    expect(() => read(edit((f) => (f['encoding'] = 'int4')))).toThrow(
      '"encoding" is "int4"; expected one of float32, int8, binary',
    );
    const short = files.map((f) =>
      f.name === 'index-v1.bin' && typeof f.content !== 'string' ? { ...f, content: f.content.subarray(1) } : f,
    );
    const index = new CompactIndex(read(head), memoryFiles(short));
    await expect(index.search(VECTORS.subarray(0, D), 3)).rejects.toThrow(
      `index-v1.bin holds ${25 * (4 + D) - 1} bytes, expected 25 rows × ${4 + D} bytes`,
    );
  });
});

describe('compact index: search', () => {
  it('float32 gives the exact top k with float64-reference scores (|Δ| ≤ 1e-6: float32 sums over 32 values)', async () => {
    const { index } = open('float32');
    for (const q of [0, 17, 49]) {
      const query = VECTORS.subarray(q * D, (q + 1) * D);
      const hits = await index.search(query, 5);
      expect(hits.map((h) => h.item.id)).toEqual(exactTop(VECTORS, D, query, 5).map((r) => `doc-${r}`));
      hits.forEach((hit) => {
        const row = Number(hit.item.id.slice(4));
        expect(Math.abs(hit.score - dot64(query, VECTORS.subarray(row * D, (row + 1) * D)))).toBeLessThanOrEqual(1e-6);
      });
      expect(hits[0]?.item).toEqual(ITEMS[q]);
    }
  });

  it('fetches nothing until a search, every codes shard on the first, then only the item shards of its hits, each file once', async () => {
    const { index, served } = open('int8');
    expect(served.fetched).toEqual([]);
    await index.search(VECTORS.subarray(12 * D, 13 * D), 1); // row 12 is its own best match: shard 1
    expect(served.fetched.filter((f) => f.endsWith('.bin')).sort()).toEqual([
      'index-v0.bin',
      'index-v1.bin',
      'index-v2.bin',
      'index-v3.bin',
      'index-v4.bin',
    ]);
    expect(served.fetched.filter((f) => f.endsWith('.json'))).toEqual(['index-i1.json']);
    await index.search(VECTORS.subarray(13 * D, 14 * D), 1); // shard 1 again: nothing new
    await index.search(VECTORS.subarray(44 * D, 45 * D), 1); // shard 4: its items only
    expect(served.fetched.slice(6)).toEqual(['index-i4.json']);
  });

  it('binary fetches the int8 rescore shards of its candidates only, and finds each row first for its own vector', async () => {
    const { index, served } = open('binary', 10);
    const hits = await index.search(VECTORS.subarray(3 * D, 4 * D), 1);
    expect(hits[0]?.item.id).toBe('doc-3');
    // 40 candidates of 50 rows: some shard may be spared, none is fetched twice.
    const rescored = served.fetched.filter((f) => f.includes('-r'));
    expect(new Set(rescored).size).toBe(rescored.length);
    expect(rescored.length).toBeGreaterThan(0);
    expect(served.fetched.filter((f) => f.endsWith('.json'))).toEqual(['index-i0.json']);
  });

  it('a failed shard fetch fails the search with its error and is tried again by the next search', async () => {
    const { head, files } = writeCompactIndex(INDEX, 'float32', 25, 'index');
    const served = memoryFiles(files);
    let failures = 1;
    const index = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), {
      bytes: (name) =>
        name === 'index-v1.bin' && failures-- > 0 ? Promise.reject(new Error('HTTP 503')) : served.bytes(name),
      text: (name) => served.text(name),
    });
    await expect(index.search(VECTORS.subarray(0, D), 2)).rejects.toThrow('HTTP 503');
    expect((await index.search(VECTORS.subarray(0, D), 2))[0]?.item.id).toBe('doc-0');
  });
});

describe('compact index: the lexical part', () => {
  it('answers word searches from its words’ shards and the hits’ item shards, fetching no vector shard', async () => {
    const { head, files } = writeCompactIndex(INDEX, 'int8', 10, 'index', true);
    const served = memoryFiles(files);
    const index = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), served);
    expect(index.head.lexical).toEqual({ kind: 'shards', files: 'index-l', first: [''] });
    const hits = await index.searchWords('TEXT 37', 3);
    // "37" is in one item; "text" in all 50, so every other item scores lower on "text" alone.
    expect(hits[0]?.item).toEqual(ITEMS[37]);
    expect(hits).toHaveLength(3);
    // 50 short items: one lexical shard; item shards of 10 rows, as the vector shards (--shard-rows 10):
    // item 37's, then shard 0's for the two "text"-only hits (equal scores go to the lower rows).
    expect(served.fetched).toEqual(['index-l0.bin', 'index-i3.json', 'index-i0.json']);
    expect(served.fetched.filter((f) => f.startsWith('index-v'))).toEqual([]);
  });

  it('an index written without it says how to add it', async () => {
    await expect(open('int8').index.searchWords('text', 3)).rejects.toThrow(
      'this index has no lexical part: rebuild it with `tabembed index --out <dir> --lexical`',
    );
  });
});

describe('sign bits', () => {
  it('score a row as scale · Σ ±qᵢ, the scale being mean |v − centre|', () => {
    const vectors = Float32Array.from([0.6, -0.8, 0.1, -0.2, 0.3, 0.5, -0.1, 0.4, 0.9, -0.9]);
    const dims = 10;
    const centre = new Float32Array(dims).fill(0.05);
    const { bits, scales } = packSigns(vectors, dims, centre);
    expect(bits.length).toBe(2);
    const residual = Array.from(vectors, (v, i) => v - (centre[i] ?? 0));
    expect(scales[0]).toBeCloseTo(residual.reduce((s, r) => s + Math.abs(r), 0) / dims, 6);
    const query = Float32Array.from({ length: dims }, (_, i) => Math.cos(i + 1));
    const expected = (scales[0] ?? 0) * residual.reduce((s, r, i) => s + (r > 0 ? 1 : -1) * (query[i] ?? 0), 0);
    const top = new TopK(1);
    scanSigns(query, bits, scales, dims, 7, top, signTables(query, dims));
    expect(top.sorted()[0]?.row).toBe(7);
    expect(top.sorted()[0]?.score).toBeCloseTo(expected, 5);
  });
});

/*
 * Recall floors on seeded random unit vectors (2,000 rows × 256, 50 queries, seeds 1 and 2), at
 * a fixed width: random vectors have no Matryoshka structure, so they measure what each encoding
 * loses, not what a cut loses. The seeds make each figure exact and repeatable (measured: float32
 * 1.000, int8 0.982, binary 0.972, bench/index-size.md); the floors sit at the goal of
 * 0.95, 11–16 of the 500 top-10 places below the measurement, so that a change in rounding or
 * in the candidate count that costs a few places passes and one that breaks an encoding fails.
 */
describe('compact index: recall@10 against exact float32 search (2,000 × 256 random unit vectors)', () => {
  const docs = randomUnitVectors(2000, 256, 1);
  const queries = randomUnitVectors(50, 256, 2);
  it.each([
    ['float32', 1],
    ['int8', 0.95],
    ['binary', 0.95],
  ] as const)('%s ≥ %d', async (encoding, floor) => {
    const measured = await measureCompact(docs, queries, 256, 256, encoding);
    expect(measured.recall).toBeGreaterThanOrEqual(floor);
  });
});
