/**
 * What a `<semantic-search>` index weighs per item, and what its encodings and Matryoshka cuts
 * cost in recall@10 against exact float32 search at full width:
 *
 * - (a) the fixture: the sample corpus (322 passages, 60 queries) embedded by the tiny Qwen3 model
 *   (onnxruntime-node, fp32) at its hidden size, 64, then cut to 32 (the smallest Matryoshka
 *   size). Its weights are random, so its prefixes were never trained to be embeddings: a cut
 *   there shows what a cut does to a model without Matryoshka training, not what it does to
 *   Qwen3-Embedding.
 * - (b) seeded random unit vectors, 2,000 × 1,024 / 256 / 128 and 10,000 × 256, each searched
 *   at its own width: random vectors have no Matryoshka structure (any prefix is as good as any
 *   other), so a cut would measure nothing; they measure what each encoding loses at a width.
 *
 * Bytes are the files `tabembed index --out` writes (compact-index-file.ts): the codes a search
 * fetches for every row, the vector files in all (binary adds its int8 rescore codes), every
 * file (item shards and head too), and every file gzipped one by one, as a server sends them.
 * Writes bench/index-size.md. A measurement, not a test: nothing passes or fails on a number.
 *
 *   npm run bench:index
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_INSTRUCTION } from '../src/core/prompt.ts';
import { createNodeEmbedder } from '../src/node/node-embedder.ts';
import { COMPACT_ENCODINGS } from '../src/search/compact-index-file.ts';
import { serializeIndex } from '../src/search/index-file.ts';
import { buildLexical } from '../src/search/bm25.ts';
import { encodeLexical } from '../src/search/lexical-file.ts';
import { measureCompact, type CompactMeasure } from '../tests/search/compact-recall.ts';
import { randomUnitVectors } from '../tests/search/random-unit-vectors.ts';
import { ROOT } from './bench-args.ts';

interface Row {
  data: string;
  n: number;
  dims: number;
  encoding: string;
  recall: number;
  search: number;
  vectors: number;
  total: number;
  gzip: number;
}

function bytesOf(content: Uint8Array | string): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

function row(data: string, n: number, dims: number, encoding: string, m: CompactMeasure): Row {
  const all = [...m.files.map((f) => bytesOf(f.content)), bytesOf(m.head)];
  return {
    data,
    n,
    dims,
    encoding,
    recall: m.recall,
    search: m.searchBytesPerItem,
    vectors: m.vectorBytesPerItem,
    total: all.reduce((s, b) => s + b.length, 0) / n,
    gzip: all.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0) / n,
  };
}

/** The version 1 file for the same rows (full width, float32 base64, items inline), per item. */
function v1Bytes(
  vectors: Float32Array,
  dims: number,
  items: { id: string; text: string }[],
): { raw: number; gzip: number } {
  const fingerprint = { model: 'm', revision: undefined, dtype: 'fp32', dimensions: dims, instructionPolicy: 'p' };
  const text = bytesOf(serializeIndex({ fingerprint, instruction: 'i', items, vectors }));
  return { raw: text.length / items.length, gzip: gzipSync(text, { level: 9 }).length / items.length };
}

/** The lexical file (`--lexical`) of these items, per item: raw and gzipped. */
function lexicalBytes(items: { title?: string; text: string }[]): { raw: number; gzip: number } {
  const text = bytesOf(encodeLexical(buildLexical(items)));
  return { raw: text.length / items.length, gzip: gzipSync(text, { level: 9 }).length / items.length };
}

async function fixture(): Promise<{
  rows: Row[];
  v1: { raw: number; gzip: number };
  lexical: { raw: number; gzip: number };
}> {
  const corpus = join(ROOT, 'src/demo/sample-corpus');
  const passages = JSON.parse(readFileSync(join(corpus, 'passages.json'), 'utf8')) as {
    id: string;
    title: string;
    text: string;
  }[];
  const queries = JSON.parse(readFileSync(join(corpus, 'queries.json'), 'utf8')) as { query: string }[];
  const engine = await createNodeEmbedder({ model: join(ROOT, 'public/models/qwen3-tiny'), dtype: 'fp32' });
  const full = engine.info().hiddenSize;
  const docs = (
    await engine.embed(
      passages.map((p) => p.text),
      { kind: 'document' },
    )
  ).vectors;
  const asked = (
    await engine.embed(
      queries.map((q) => q.query),
      { kind: 'query', instruction: DEFAULT_INSTRUCTION },
    )
  ).vectors;
  await engine.dispose();
  const items = passages.map(({ id, title, text }) => ({ id, title, text }));
  const rows: Row[] = [];
  for (const dims of [full, 32])
    for (const encoding of COMPACT_ENCODINGS)
      rows.push(
        row('fixture', items.length, dims, encoding, await measureCompact(docs, asked, full, dims, encoding, items)),
      );
  return { rows, v1: v1Bytes(docs, full, items), lexical: lexicalBytes(items) };
}

async function random(): Promise<{ rows: Row[]; v1: { raw: number; gzip: number } }> {
  const rows: Row[] = [];
  let v1 = { raw: 0, gzip: 0 };
  for (const [n, dims] of [
    [2000, 1024],
    [2000, 256],
    [2000, 128],
    [10_000, 256],
  ] as const) {
    const docs = randomUnitVectors(n, dims, 1);
    const queries = randomUnitVectors(50, dims, 2);
    const items = Array.from({ length: n }, (_, i) => ({ id: String(i), text: `item ${i}` }));
    for (const encoding of COMPACT_ENCODINGS)
      rows.push(row('random', n, dims, encoding, await measureCompact(docs, queries, dims, dims, encoding, items)));
    if (dims === 1024) v1 = v1Bytes(docs, dims, items);
  }
  return { rows, v1 };
}

function table(rows: Row[]): string {
  const lines = [
    '| data | items | dims | encoding | recall@10 | search codes B/item | vector files B/item | all files B/item | gzip B/item |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.data} | ${r.n} | ${r.dims} | ${r.encoding} | ${r.recall.toFixed(3)} | ${r.search.toFixed(0)} | ${r.vectors.toFixed(0)} | ${r.total.toFixed(0)} | ${r.gzip.toFixed(0)} |`,
    );
  return lines.join('\n');
}

const started = new Date().toISOString();
const fix = await fixture();
const rnd = await random();
const md = `# Compact index: bytes per item and recall@10

Written by \`npm run bench:index\` (bench/index-size.ts) on ${started}. recall@10 is against exact
float32 search at the full width (64 for the fixture, the row's own width for random vectors),
over 60 queries (fixture) or 50 (random). "search codes" is what the first search fetches for
every row; "vector files" adds binary's int8 rescore codes (fetched for the shards that hold
candidates); "all files" adds the item shards (titles and texts) and the head; "gzip" is every
file gzipped on its own (level 9). Shards of 1,000 rows.

## (a) The fixture: the sample corpus embedded by the tiny model (hidden size 64)

The tiny model's weights are random, so its prefixes were never trained as embeddings: the
32-dimension rows show what a cut costs a model without Matryoshka training, not Qwen3-Embedding.
The item shards (titles and texts: ${((fix.rows[0]?.total ?? 0) - (fix.rows[0]?.vectors ?? 0)).toFixed(0)} B/item with the head) dominate "all files" here.

${table(fix.rows)}

The version 1 file of the same index (64 float32 values in base64, items inline): ${fix.v1.raw.toFixed(0)} B/item, ${fix.v1.gzip.toFixed(0)} B/item gzipped.
The lexical file (\`--lexical\`: BM25 postings of the titles and texts, in English, Chinese, French, German, Spanish, Japanese, Portuguese and Italian here): ${fix.lexical.raw.toFixed(0)} B/item, ${fix.lexical.gzip.toFixed(0)} B/item gzipped.

## (b) Seeded random unit vectors, at a fixed width

No Matryoshka structure, so each width is searched as it is: these rows measure the encodings' loss.
Item texts are \`item <n>\` (≈ 30 bytes a row of JSON).

${table(rnd.rows)}

The version 1 file of 2,000 × 1,024: ${rnd.v1.raw.toFixed(0)} B/item, ${rnd.v1.gzip.toFixed(0)} B/item gzipped.
`;
writeFileSync(join(ROOT, 'bench/index-size.md'), md);
process.stdout.write(md);
