/**
 * `tabembed index` as a site owner runs it: the bin script, a corpus on stdin, one precomputed
 * index on stdout. The vectors are checked against the independent float64 reference (fp32,
 * cos ≥ 0.99999, as for `embed`) and the file is read back with the widget's own parser.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUCTION } from '../../src/core/prompt.ts';
import { parseCliCommand } from '../../src/node/cli-args.ts';
import { INDEX_POLICY, parseIndex, type PrecomputedIndex } from '../../src/search/index-file.ts';
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
