/**
 * `tabembed embed|index --remote` as a user runs it, against an engine on 127.0.0.1 that answers
 * as vLLM documents, computing with the fixture model. Vectors are checked against the independent
 * float64 reference (fp32 everywhere: cos ≥ 0.99999), not against the remote code's own output.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { parseIndex } from '../../src/search/index-file.ts';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { cosine } from '../reference/qwen3-forward.ts';
import { referenceEmbedding, referencePrompt, type ReferenceModel } from '../reference/reference-embedding.ts';
import { startFakeEngine, type FakeEngine } from '../remote/fake-engines.ts';
import { MODEL, prepareCli, tabembed } from './run-cli.ts';

const SERVED = 'Qwen/Qwen3-Embedding-tiny';
const OTHER_DIR = join(tmpdir(), `tabembed-cli-remote-other-${process.pid}`);
const TEXTS = ['Hello world', '你好，世界', 'the tide rises twice a day'];
const INPUT = TEXTS.map((text, i) => JSON.stringify({ id: `t${i}`, text })).join('\n');

let reference: ReferenceModel;
let weights: EmbedEngine;
let otherWeights: EmbedEngine;
let vllm: FakeEngine;
let impostor: FakeEngine;

beforeAll(async () => {
  reference = await prepareCli();
  weights = await createNodeEmbedder({ model: MODEL, dtype: 'fp32' });
  const { modelDir } = await generateFixture({ outDir: OTHER_DIR, seed: 7, variants: ['fp32'] });
  otherWeights = await createNodeEmbedder({ model: modelDir, dtype: 'fp32' });
  vllm = await startFakeEngine({ dialect: 'vllm', model: SERVED, weights });
  impostor = await startFakeEngine({ dialect: 'vllm', model: SERVED, weights: otherWeights });
  process.env['TABEMBED_REMOTE_API_KEY'] = 'secret-key';
}, 120_000);

afterAll(async () => {
  await Promise.all([vllm.close(), impostor.close(), weights.dispose(), otherWeights.dispose()]);
  rmSync(OTHER_DIR, { recursive: true, force: true });
});

const remoteArgs = (engine: FakeEngine): string[] => [
  '--remote',
  `${engine.baseURL}/v1`,
  '--remote-model',
  SERVED,
  '--remote-engine',
  'vllm',
];

describe('tabembed --remote', () => {
  it('embed: queries prompted here, vectors from the engine equal to the reference, the key from TABEMBED_REMOTE_API_KEY', async () => {
    const instruction = 'Find the greeting';
    const run = await tabembed(
      ['embed', ...remoteArgs(vllm), '--query', '--instruction', instruction, '--dimensions', '32'],
      INPUT,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; embedding: number[]; tokens?: number });
    expect(lines.map((line) => line.id)).toEqual(['t0', 't1', 't2']);
    lines.forEach((line, i) => {
      expect(line.embedding).toHaveLength(32);
      // A remote engine gives a token total per request, not per text: no made-up count.
      expect(line.tokens).toBeUndefined();
      const expected = referenceEmbedding(reference, referencePrompt(TEXTS[i] ?? '', { instruction }), 32);
      expect(cosine(line.embedding, expected)).toBeGreaterThanOrEqual(0.99999);
    });
    expect(vllm.requests.every((r) => r.authorization === 'Bearer secret-key')).toBe(true);
  });

  it('index beside --model: proves the engine by probe, names the local model, records the engine', async () => {
    const run = await tabembed(
      ['index', ...remoteArgs(vllm), '--model', MODEL, '--dtype', 'fp32', '--model-id', '/models/qwen3-tiny/'],
      INPUT,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const index = parseIndex(JSON.parse(run.stdout), 'index.json');
    expect(index.fingerprint).toMatchObject({
      model: '/models/qwen3-tiny/',
      dtype: 'fp32',
      dimensions: 64,
      source: { kind: 'remote', baseURL: `${vllm.baseURL}/v1`, engine: 'vllm', model: SERVED, verified: true },
    });
    TEXTS.forEach((text, i) =>
      expect(
        cosine(index.vectors.subarray(i * 64, (i + 1) * 64), referenceEmbedding(reference, referencePrompt(text))),
      ).toBeGreaterThanOrEqual(0.99999),
    );
  });

  it('refuses, with INDEX_MISMATCH naming the probe, an engine that serves another model than --model', async () => {
    const run = await tabembed(['index', ...remoteArgs(impostor), '--model', MODEL, '--dtype', 'fp32'], INPUT);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^tabembed: INDEX_MISMATCH: .* probe 0 \(document "The capital of France is Paris\."\) has cosine/,
    );
    expect(run.stdout).toBe('');
  });

  it('refuses --remote-engine outside the known dialects, and --remote-model without --remote', async () => {
    const bad = await tabembed(['embed', '--remote', 'http://127.0.0.1:9/v1', '--remote-engine', 'triton'], INPUT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--remote-engine must be one of vllm, sglang, tei, openai, tabembed, got triton');
    const alone = await tabembed(['embed', '--model', MODEL, '--remote-model', SERVED], INPUT);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--remote-model and --remote-engine need --remote <baseURL>');
  });
});
