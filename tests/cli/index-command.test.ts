/**
 * `tabembed index` as a site owner runs it: the bin script, a corpus on stdin, one precomputed
 * index on stdout. The vectors are checked against the independent float64 reference (fp32,
 * cos ≥ 0.99999, as for `embed`) and the file is read back with the widget's own parser.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactIndex } from '../../src/search/compact-index.ts';
import { DEFAULT_INSTRUCTION } from '../../src/core/prompt.ts';
import { parseCliCommand } from '../../src/node/cli-args.ts';
import { INDEX_POLICY, parseIndex, parseSourceText, type PrecomputedIndex } from '../../src/search/index-file.ts';
import { cosine } from '../reference/qwen3-forward.ts';
import { referenceEmbedding, type ReferenceModel } from '../reference/reference-embedding.ts';
import { MODEL, prepareCli, tabembed } from './run-cli.ts';

const CORPUS = [
  '"The cat sleeps on the sofa."',
  '',
  '{"id":"bread","text":"Sourdough needs a lively starter.","url":"/recipes/bread","title":"Bread"}',
  '{"text":"猫在沙发上睡觉。"}',
].join('\n');
const TEXTS = ['The cat sleeps on the sofa.', 'Sourdough needs a lively starter.', '猫在沙发上睡觉。'];

let reference: ReferenceModel;

beforeAll(async () => {
  reference = await prepareCli();
}, 120_000);

function readIndex(stdout: string): PrecomputedIndex {
  return parseIndex(JSON.parse(stdout), 'stdout');
}

function row(index: PrecomputedIndex, i: number): Float32Array {
  const d = index.fingerprint.dimensions;
  return index.vectors.subarray(i * d, (i + 1) * d);
}

describe('tabembed index', () => {
  it('writes an index the widget reads: items with ids, urls and titles, the fingerprint under --model-id, reference vectors', async () => {
    const run = await tabembed(
      [
        'index',
        '--model',
        MODEL,
        '--model-id',
        '/models/qwen3-tiny/',
        '--dtype',
        'fp32',
        '--dimensions',
        '32',
        '--instruction',
        'Find the recipe',
      ],
      CORPUS,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const index = readIndex(run.stdout);
    expect(index.fingerprint).toEqual({
      model: '/models/qwen3-tiny/',
      revision: undefined,
      dtype: 'fp32',
      dimensions: 32,
      instructionPolicy: INDEX_POLICY,
      source: { kind: 'local' },
    });
    expect(index.instruction).toBe('Find the recipe');
    expect(index.items).toEqual([
      { id: '0', text: TEXTS[0] },
      { id: 'bread', text: TEXTS[1], url: '/recipes/bread', title: 'Bread' },
      { id: '2', text: TEXTS[2] },
    ]);
    // Documents go in raw (no instruction): the reference embeds the bare text, cut to 32 dims.
    TEXTS.forEach((text, i) =>
      expect(cosine(Array.from(row(index, i)), referenceEmbedding(reference, text, 32))).toBeGreaterThanOrEqual(
        0.99999,
      ),
    );
  });

  it('stores the same vectors `tabembed embed` prints for the same texts', async () => {
    const [indexRun, embedRun] = await Promise.all([
      tabembed(['index', '--model', MODEL, '--model-id', '/m/', '--dtype', 'q8', '--dimensions', '48'], CORPUS),
      tabembed(['embed', '--model', MODEL, '--dtype', 'q8', '--dimensions', '48'], CORPUS),
    ]);
    const index = readIndex(indexRun.stdout);
    const embedded = embedRun.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { embedding: number[] }).embedding);
    expect(index.fingerprint.dtype).toBe('q8');
    expect(embedded).toHaveLength(3);
    // Same engine, same batch, same float32 values: JSON numbers print a float32 exactly, so the two must be equal.
    embedded.forEach((vector, i) => expect(cosine(vector, Array.from(row(index, i)))).toBeGreaterThanOrEqual(0.999999));
    const maxDiff = Math.max(
      ...embedded.flatMap((vector, i) => vector.map((v, j) => Math.abs(v - (row(index, i)[j] ?? NaN)))),
    );
    console.log(`[index] embed vs index vectors: max |Δ| ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBe(0);
  });

  it('defaults to the model hidden size, the default instruction, and notes that a folder path is not what a page loads', async () => {
    const run = await tabembed(['index', '--model', MODEL, '--dtype', 'q4'], '"only one"\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'note: the index names the model "public/models/qwen3-tiny", a folder on this machine; pass --model-id',
    );
    const index = readIndex(run.stdout);
    expect(index.fingerprint.dimensions).toBe(64);
    expect(index.fingerprint.model).toBe(MODEL);
    expect(index.instruction).toBe(DEFAULT_INSTRUCTION);
  });

  it('records the revision a page resolves a Hub --model-id to: the pinned default, else main', async () => {
    const [pinned, other] = await Promise.all([
      tabembed(
        ['index', '--model', MODEL, '--model-id', 'onnx-community/Qwen3-Embedding-0.6B-ONNX', '--dtype', 'q4'],
        '"x"\n',
      ),
      tabembed(['index', '--model', MODEL, '--model-id', 'someone/qwen3-embed-mirror', '--dtype', 'q4'], '"x"\n'),
    ]);
    expect(readIndex(pinned.stdout).fingerprint.revision).toBe('c25a394dd583836952667c12f008335071b3f43d');
    expect(readIndex(other.stdout).fingerprint.revision).toBe('main');
  });

  // Bad entries, an empty corpus, a byte-order mark and bad flags are cases of the bad-input matrix
  // (tests/reliability/cases-cli.ts).
});

describe('parseCliCommand', () => {
  it('parses index with every flag', () => {
    expect(
      parseCliCommand([
        'index',
        '--model',
        'public/models/qwen3-tiny',
        '--model-id',
        '/models/qwen3-tiny/',
        '--dtype',
        'q8',
        '--dimensions',
        '32',
        '--instruction',
        'Find code',
        '--max-tokens',
        '512',
        '--backend',
        'wasm',
        '--idle-timeout',
        '2.5',
      ]),
    ).toEqual({
      name: 'index',
      options: {
        model: 'public/models/qwen3-tiny',
        modelId: '/models/qwen3-tiny/',
        dtype: 'q8',
        instruction: 'Find code',
        dimensions: 32,
        maxTokens: 512,
        backend: 'wasm',
        idleTimeoutMs: 2500,
      },
    });
  });

  it('still parses embed as before', () => {
    expect(parseCliCommand(['embed', '--model', 'm'])).toEqual({
      name: 'embed',
      options: expect.objectContaining({ model: 'm', kind: 'document' }),
    });
  });
});

describe('tabembed index --out: the compact index', () => {
  it('writes a head and shards whose float32 rows are the version 1 file’s, and int8 / binary heads the widget reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tabembed-compact-'));
    const args = ['index', '--model', MODEL, '--model-id', '/m/', '--dtype', 'fp32', '--dimensions', '32'];
    const [v1, float32, int8, binary] = await Promise.all([
      tabembed(args, CORPUS),
      tabembed([...args, '--out', join(dir, 'f'), '--shard-rows', '2'], CORPUS),
      tabembed([...args, '--out', join(dir, 'i'), '--encoding', 'int8'], CORPUS),
      tabembed([...args, '--out', join(dir, 'b'), '--encoding', 'binary', '--shard-rows', '1', '--lexical'], CORPUS),
    ]);
    for (const run of [float32, int8, binary]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
    }
    const trusted = readIndex(v1.stdout);
    const head = (sub: string) => {
      const source = parseSourceText(readFileSync(join(dir, sub, 'index.json'), 'utf8'), 'index.json');
      if (source.kind !== 'compact') throw new Error(`read as ${source.kind}`);
      return source.head;
    };
    const files = (sub: string) => ({
      bytes: (name: string) => Promise.resolve(new Uint8Array(readFileSync(join(dir, sub, name)))),
      text: (name: string) => Promise.resolve(readFileSync(join(dir, sub, name), 'utf8')),
    });
    expect(head('f')).toMatchObject({ fingerprint: trusted.fingerprint, count: 3, encoding: 'float32' });
    expect(head('f').shards.map((s) => s.rows)).toEqual([2, 1]);
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(
      [
        'index.json',
        // Three short items: one lexical shard; a vector shard and an item shard per row (--shard-rows 1).
        'index-l0.bin',
        ...[0, 1, 2].flatMap((s) => [`index-i${s}.json`, `index-r${s}.bin`, `index-v${s}.bin`]),
      ].sort(),
    );
    // --lexical: the words of each text find it, Chinese included.
    const words = new CompactIndex(head('b'), files('b'));
    expect((await words.searchWords('sofa', 3)).map((h) => h.item.id)).toEqual(['0']);
    expect((await words.searchWords('沙发', 3)).map((h) => h.item.id)).toEqual(['2']);
    // Each stored row found first for its own vector, scored as the version 1 file scores it.
    for (const [sub, tolerance] of [
      ['f', 0], // the same float32 values, the same float32 dot product
      ['i', 0.02], // int8: each value off by at most half a step (|v|max/254), over 32 values
      ['b', 0.02], // binary: the hit is rescored with its int8 codes
    ] as const) {
      const index = new CompactIndex(head(sub), files(sub));
      for (let i = 0; i < 3; i++) {
        const [hit] = await index.search(row(trusted, i), 1);
        expect(hit?.item).toEqual(trusted.items[i]);
        expect(Math.abs((hit?.score ?? 0) - 1)).toBeLessThanOrEqual(tolerance + 1e-6);
      }
    }
  });
});

describe('tabembed index --site: a built site', () => {
  it('indexes each section of each page under its URL, with reference vectors of the text it shows, and heading words in the lexical part', async () => {
    const site = mkdtempSync(join(tmpdir(), 'tabembed-site-'));
    mkdirSync(join(site, 'guide'));
    writeFileSync(
      join(site, 'index.html'),
      '<title>Home</title><nav>Menu</nav><main><p>A starter kit for cats: the starter sofa.</p></main><footer>© us</footer>',
    );
    writeFileSync(
      join(site, 'guide', 'index.html'),
      '<title>Guide</title><main><h1>Baking</h1><p>Flour and water.</p><h2 id="levain">Sourdough starter</h2><p>Feed it daily.</p></main>',
    );
    const args = [
      'index',
      '--model',
      MODEL,
      '--model-id',
      '/m/',
      '--dtype',
      'fp32',
      '--site',
      site,
      '--base-url',
      '/docs/',
    ];
    const [v1, compact] = await Promise.all([
      tabembed(args, ''),
      tabembed([...args, '--out', join(site, 'out'), '--lexical'], ''),
    ]);
    expect(v1.code).toBe(0);
    expect(compact.code).toBe(0);
    const index = readIndex(v1.stdout);
    expect(index.items).toEqual([
      { id: '/docs/guide/', url: '/docs/guide/', title: 'Guide', text: 'Baking\nFlour and water.' },
      {
        id: '/docs/guide/#levain',
        url: '/docs/guide/#levain',
        title: 'Guide',
        text: 'Baking › Sourdough starter\nFeed it daily.',
      },
      { id: '/docs/', url: '/docs/', title: 'Home', text: 'A starter kit for cats: the starter sofa.' },
    ]);
    index.items.forEach((item, i) =>
      expect(cosine(row(index, i), referenceEmbedding(reference, item.text))).toBeGreaterThanOrEqual(0.99999),
    );
    const source = parseSourceText(readFileSync(join(site, 'out', 'index.json'), 'utf8'), 'index.json');
    if (source.kind !== 'compact') throw new Error(`read as ${source.kind}`);
    const words = new CompactIndex(source.head, {
      bytes: (name) => Promise.resolve(new Uint8Array(readFileSync(join(site, 'out', name)))),
      text: (name) => Promise.resolve(readFileSync(join(site, 'out', name), 'utf8')),
    });
    // "starter" is twice in the home page's text, once in the levain section's heading: headings
    // weigh double (bm25.ts), so the section comes first only when its heading reached the lexical part.
    expect((await words.searchWords('starter', 3)).map((hit) => hit.item.id)).toEqual([
      '/docs/guide/#levain',
      '/docs/',
    ]);
  });

  it('refuses --base-url without --site, and a --site that is not a folder with SOURCE_INVALID', async () => {
    expect(() => parseCliCommand(['index', '--model', 'm', '--base-url', '/docs/'])).toThrow(/give --site/);
    expect(() => parseCliCommand(['index', '--model', 'm', '--site', 'x', '--base-url', 'docs'])).toThrow(
      /--base-url must start/,
    );
    const run = await tabembed(['index', '--model', MODEL, '--site', '/nonexistent/site'], '');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/SOURCE_INVALID.*\/nonexistent\/site/);
  });
});
