/**
 * What a version 3 compact index keeps of its items (item-shards.ts: excerpts in small shards,
 * the id read back from the url), and that a version 2 index (whole items per vector shard, one
 * lexical file) still loads and answers as it did. The version 2 files are made here from the
 * layout compact-index-file.ts describes, with the version 2 lexical writer (lexical-file.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildLexical, queryLexical } from '../../src/search/bm25.ts';
import { parseCompactHead } from '../../src/search/compact-head.ts';
import { writeCompactIndex, type CompactFile } from '../../src/search/compact-index-file.ts';
import { CompactIndex } from '../../src/search/compact-index.ts';
import { EXCERPT_CHARS, excerpt, readItemShard } from '../../src/search/item-shards.ts';
import { encodeLexical } from '../../src/search/lexical-file.ts';
import { GOOD_INDEX } from '../reliability/cases-files.ts';
import { memoryFiles } from './compact-recall.ts';
import { randomUnitVectors } from './random-unit-vectors.ts';

const D = 16;
const N = 30;
const LONG = 'The river runs through the mountain valley and on to the sea. '.repeat(20);
const ITEMS = Array.from({ length: N }, (_, i) => ({
  id: i % 2 === 0 ? `/p/${i}/#s` : `item-${i}`,
  url: `/p/${i}/#s`,
  title: `Page ${i}`,
  headings: ['Section'],
  text: `Section\n${i === 8 ? 'Glacier lakes freeze in winter. ' : ''}${LONG}`,
}));
const INDEX = {
  ...GOOD_INDEX,
  fingerprint: { ...GOOD_INDEX.fingerprint, dimensions: D },
  items: ITEMS,
  vectors: randomUnitVectors(N, D, 5),
};

describe('item shards', () => {
  it('keep an excerpt: whole when short, else cut at a space near 200 characters and ended with “…”', () => {
    expect(excerpt('  Short text.  ')).toBe('Short text.');
    const cut = excerpt(LONG);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    expect(cut.length).toBeGreaterThan((EXCERPT_CHARS * 3) / 4);
    expect(LONG.startsWith(cut.slice(0, -1))).toBe(true);
    expect(LONG[cut.length - 1]).toBe(' '); // the cut fell on a space, not mid-word
    // No space to cut at (Chinese): cut at the limit; never between a surrogate pair's halves.
    expect(excerpt('雨'.repeat(300))).toBe(`${'雨'.repeat(EXCERPT_CHARS)}…`);
    expect(excerpt(`${'a'.repeat(EXCERPT_CHARS - 1)}😀tail`)).toBe(`${'a'.repeat(EXCERPT_CHARS - 1)}…`);
  });

  it('hold 10 rows each here, an id only where it differs from the url, and read back as the items with excerpts', async () => {
    const { head, files } = writeCompactIndex(INDEX, 'int8', 1000, 'index', true, 10);
    const shard = files.find((f) => f.name === 'index-i1.json');
    const rows = JSON.parse(String(shard?.content)) as Record<string, unknown>[];
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ url: '/p/10/#s', title: 'Page 10', text: excerpt(ITEMS[10]?.text ?? '') });
    expect(rows[1]?.['id']).toBe('item-11');
    const index = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), memoryFiles(files));
    const [hit] = await index.searchWords('glacier', 3);
    expect(hit?.item).toEqual({ id: '/p/8/#s', url: '/p/8/#s', title: 'Page 8', text: excerpt(ITEMS[8]?.text ?? '') });
  });

  it('refuse a shard of the wrong length or with a bad item, naming the file', () => {
    expect(() => readItemShard('[{"url":"/a","text":"x"}]', 2, 'index-i3.json')).toThrow(
      'index-i3.json is not a JSON array of 2 items (another length or shape); rebuild the index',
    );
    expect(() => readItemShard('[{"url":"javascript:alert(1)","text":"x"}]', 1, 'index-i3.json')).toThrow(
      'index-i3.json: items[0]',
    );
  });
});

/** The same index in yesterday's version 2 layout: each vector shard's whole items, one index-lex.json. */
function versionTwo(shardRows: number): { head: string; files: CompactFile[] } {
  const { head, files } = writeCompactIndex(INDEX, 'float32', shardRows, 'index');
  const v3 = JSON.parse(head) as { shards: Record<string, unknown>[] } & Record<string, unknown>;
  const shards = v3.shards.map((shard, s) => ({ ...shard, items: `index-i${s}.json` }));
  const { items: _items, ...rest } = v3;
  const v2 = { ...rest, version: 2, shards, lexical: 'index-lex.json' };
  const v2Files: CompactFile[] = [
    ...files.filter((f) => f.name.startsWith('index-v')),
    ...shards.map((_, s) => ({
      name: `index-i${s}.json`,
      content: JSON.stringify(ITEMS.slice(s * shardRows, (s + 1) * shardRows)),
    })),
    { name: 'index-lex.json', content: encodeLexical(buildLexical(ITEMS)) },
  ];
  return { head: JSON.stringify(v2), files: v2Files };
}

describe('a version 2 compact index', () => {
  it('loads and answers words from its one lexical file, with whole texts, as before', async () => {
    const { head, files } = versionTwo(12);
    const served = memoryFiles(files);
    const index = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), served);
    expect(index.head.lexical).toEqual({ kind: 'file', file: 'index-lex.json' });
    const hits = await index.searchWords('glacier winter', 5);
    const truth = queryLexical(buildLexical(ITEMS), 'glacier winter', 5);
    expect(hits.map((h) => h.item.id)).toEqual(truth.map(({ row }) => ITEMS[row]?.id));
    expect(hits.map((h) => h.score)).toEqual(truth.map(({ score }) => score));
    expect(hits[0]?.item.text).toBe(ITEMS[8]?.text); // the whole text: version 2 kept it
    expect(served.fetched).toEqual(['index-lex.json', 'index-i0.json']);
  });

  it('finds vectors and their items by the shard that holds them', async () => {
    const { head, files } = versionTwo(12);
    const served = memoryFiles(files);
    const index = new CompactIndex(parseCompactHead(JSON.parse(head), 'index.json'), served);
    const [hit] = await index.search(INDEX.vectors.subarray(25 * D, 26 * D), 1);
    expect(hit?.item.id).toBe(ITEMS[25]?.id);
    expect(served.fetched.filter((f) => f.endsWith('.json'))).toEqual(['index-i2.json']);
  });
});
