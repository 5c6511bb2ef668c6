/**
 * The whole Node path (tokenizer → EOS rule → planner → left padding → onnxruntime → last
 * token → Matryoshka → L2) against the independent reference embedding (its own prompt, its
 * own tokenizer implementation, float64 forward on the unpadded ids). Thresholds as in
 * fixture-vs-reference.test.ts: fp32 ≥ 0.99999 (float32 rounding), q4 ≥ 0.9999 with the
 * reference on the dequantised q4 weights.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder, type NodeBackend } from '../../src/node/node-embedder.ts';
import {
  loadReferenceModel,
  referenceEmbedding,
  referenceIds,
  referencePrompt,
  type ReferenceModel,
} from '../reference/reference-embedding.ts';
import { cosine } from '../reference/qwen3-forward.ts';
import { EOS_ID } from '../reference/padded-batch.ts';
import { qwen3Forward } from '../reference/qwen3-forward.ts';

const TINY = 'public/models/qwen3-tiny';
const NOPAST = 'public/models/qwen3-tiny-nopast';
const TEXTS = [
  'Hello world',
  'The quick brown fox jumps over the lazy dog while the farmer watches from the porch.',
  '你好，世界！今天天气很好。',
  'Ça va ? Très bien, merci.',
  'x',
  'Embeddings map text to vectors so that texts with similar meaning end up close together; this one is longer than the rest so the batch carries plenty of left padding for the short rows.',
];
const INSTRUCTION = 'Given a question, retrieve passages that answer it';
/**
 * q8 against a reference that rounds each projection input per token to 8 bits as the engine's
 * rewritten graph does (src/engine/graph/row-quantization.ts): what remains is float32 vs
 * float64 arithmetic, plus the rare input that lands on the other side of a rounding boundary
 * in float32 than in float64 (one level, 1/127 of that token's largest value).
 * Measured min cos 0.9999835 (1 - cos = 1.7e-5) on native and WASM alike; 0.9999 allows 6× that.
 * The export's own per-tensor graph, run as it is, scores 0.9993–0.9996 against this reference
 * (1 - cos 4–7e-4), so the bar also fails if the rewrite does not happen.
 */
const Q8_THRESHOLD = 0.9999;

function vectors(result: { vectors: Float32Array; dimensions: number }, n: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) =>
    result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions),
  );
}

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
}, 120_000);

const CASES: { backend: NodeBackend; dtype: 'fp32' | 'q4' | 'q8'; file: string; threshold: number }[] = [
  { backend: 'native', dtype: 'fp32', file: 'model.onnx', threshold: 0.99999 },
  { backend: 'native', dtype: 'q4', file: 'model_q4.onnx', threshold: 0.9999 },
  { backend: 'native', dtype: 'q8', file: 'model_quantized.onnx', threshold: Q8_THRESHOLD },
  { backend: 'wasm', dtype: 'fp32', file: 'model.onnx', threshold: 0.99999 },
  { backend: 'wasm', dtype: 'q8', file: 'model_quantized.onnx', threshold: Q8_THRESHOLD },
];

for (const { backend, dtype, file, threshold } of CASES) {
  describe(`the Node path on ${backend} with ${dtype}`, () => {
    let engine: EmbedEngine;
    let reference: ReferenceModel;
    beforeAll(async () => {
      const activations = dtype === 'q8' ? 'per-row-int8' : 'exact';
      [engine, reference] = await Promise.all([
        createNodeEmbedder({ model: TINY, backend, dtype }),
        loadReferenceModel(TINY, file, activations),
      ]);
    }, 120_000);
    afterAll(() => engine.dispose());

    it(`embeds a mixed batch as the reference does (cos ≥ ${threshold}) and reports the tokens`, async () => {
      const result = await engine.embed(TEXTS);
      const measured = vectors(result, TEXTS.length).map((v, i) =>
        cosine(v, referenceEmbedding(reference, TEXTS[i] ?? '')),
      );
      console.log(`[${backend} ${dtype}] min cos ${Math.min(...measured).toFixed(9)}`);
      for (const cos of measured) expect(cos).toBeGreaterThanOrEqual(threshold);
      expect(result.tokens).toEqual(TEXTS.map((t) => referenceIds(t).length));
    });

    it('embeds queries with the instruction prompt and cuts Matryoshka prefixes', async () => {
      const result = await engine.embed(TEXTS.slice(0, 3), { kind: 'query', instruction: INSTRUCTION, dimensions: 48 });
      expect(result.dimensions).toBe(48);
      vectors(result, 3).forEach((v, i) => {
        expect(Math.hypot(...v)).toBeCloseTo(1, 5);
        expect(
          cosine(v, referenceEmbedding(reference, referencePrompt(TEXTS[i] ?? '', { instruction: INSTRUCTION }), 48)),
        ).toBeGreaterThanOrEqual(threshold);
      });
    });
  });
}

describe('the Node path on a graph without past_key_values or position_ids', () => {
  it('reads the input names and still matches the reference', async () => {
    const [engine, reference] = await Promise.all([
      createNodeEmbedder({ model: NOPAST, dtype: 'fp32' }),
      loadReferenceModel(NOPAST, 'model.onnx'),
    ]);
    try {
      expect(engine.info().graph).toEqual({
        positionIds: false,
        pastKeyValues: 0,
        output: 'last_hidden_state',
        activationQuantization: 'none',
      });
      const result = await engine.embed(TEXTS);
      vectors(result, TEXTS.length).forEach((v, i) =>
        expect(cosine(v, referenceEmbedding(reference, TEXTS[i] ?? ''))).toBeGreaterThanOrEqual(0.99999),
      );
    } finally {
      await engine.dispose();
    }
  }, 120_000);
});

describe('truncation to maxTokens', () => {
  it('keeps the head of the text and the final <|endoftext|>, says which texts it cut, and refuses instead when asked', async () => {
    const maxTokens = 8;
    const [engine, reference] = await Promise.all([
      createNodeEmbedder({ model: TINY, dtype: 'fp32', maxTokens }),
      loadReferenceModel(TINY, 'model.onnx'),
    ]);
    try {
      const text = TEXTS[1] ?? '';
      const short = 'cats purr';
      expect(referenceIds(text).length).toBeGreaterThan(maxTokens);
      expect(referenceIds(short).length).toBeLessThanOrEqual(maxTokens);
      const result = await engine.embed([text]);
      expect(result.tokens).toEqual([maxTokens]);
      expect(result.truncated).toEqual([true]);
      const both = await engine.embed([short, text]);
      expect(both.truncated).toEqual([false, true]);
      expect(both.tokens).toEqual([referenceIds(short).length, maxTokens]);
      // Asked to refuse, the call fails naming the long text, and nothing runs.
      const batches = engine.metrics().batches;
      await expect(engine.embed([short, text], { overLength: 'refuse' })).rejects.toMatchObject({
        code: 'INPUT_TOO_LONG',
        index: 1,
        message: expect.stringMatching(
          /^texts\[1\] is \d+ tokens \(with the final <\|endoftext\|>\), over this embedder's limit of 8 \(maxTokens\)/,
        ),
      });
      expect(engine.metrics().batches).toBe(batches);
      expect((await engine.embed([short], { overLength: 'refuse' })).truncated).toEqual([false]);
      const ids = [...referenceIds(text).slice(0, maxTokens - 1), EOS_ID];
      const states = qwen3Forward(reference.weights, reference.config, ids);
      const expected = states[states.length - 1] ?? new Float64Array();
      expect(cosine(result.vectors, expected)).toBeGreaterThanOrEqual(0.99999);
      // Pooling the last word instead of <|endoftext|> would give another vector.
      const withoutEos = qwen3Forward(reference.weights, reference.config, referenceIds(text).slice(0, maxTokens));
      expect(cosine(result.vectors, withoutEos[withoutEos.length - 1] ?? new Float64Array())).toBeLessThan(0.99);
    } finally {
      await engine.dispose();
    }
  }, 120_000);
});

describe('an export whose config does not declare its external data', () => {
  it('finds model.onnx_data beside the graph and loads it', async () => {
    // As torch.onnx / onnxruntime tools leave a repo: no transformers.js_config in config.json.
    const dir = mkdtempSync(join(tmpdir(), 'tabembed-undeclared-'));
    try {
      const config = JSON.parse(readFileSync(join(TINY, 'config.json'), 'utf8')) as Record<string, unknown>;
      delete config['transformers.js_config'];
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      mkdirSync(join(dir, 'onnx'));
      for (const file of ['tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model.onnx_data'])
        copyFileSync(join(TINY, file), join(dir, file));
      const [engine, reference] = await Promise.all([
        createNodeEmbedder({ model: dir, dtype: 'fp32' }),
        loadReferenceModel(TINY, 'model.onnx'),
      ]);
      const result = await engine.embed(['Hello world']);
      expect(cosine(result.vectors, referenceEmbedding(reference, 'Hello world'))).toBeGreaterThanOrEqual(0.99999);
      await engine.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
