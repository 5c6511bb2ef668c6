/**
 * The remote provider against engines that answer as their documentation says, whose vectors come
 * from the real local model: what comes back must be what the local embedder (createNodeEmbedder,
 * the already-trusted path) gives for the same texts, queries and Matryoshka sizes. fp32 on both
 * sides, batches composed differently: cos ≥ 0.99999 leaves room for float32 summation order only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/core/cosine.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import type { RemoteEngine } from '../../src/remote/dialects.ts';
import { createRemoteEmbedder } from '../../src/remote/remote-embedder.ts';
import { startFakeEngine, type FakeEngine } from './fake-engines.ts';

const MODEL_DIR = 'public/models/qwen3-tiny';
const SERVED = 'Qwen/Qwen3-Embedding-tiny';
const DOCUMENTS = Array.from({ length: 70 }, (_, i) =>
  i % 3 === 0 ? `Document ${i}: the tide rises twice a day.` : i % 3 === 1 ? `文档 ${i}：今天天气很好。` : `doc ${i}`,
);
const QUERY = 'when does the tide rise?';
const TASK = 'Given a question, find the passage that answers it';

let local: EmbedEngine;

beforeAll(async () => {
  local = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
});
afterAll(() => local.dispose());

function rowsOf(result: { vectors: Float32Array; dimensions: number }): Float32Array[] {
  return Array.from({ length: result.vectors.length / result.dimensions }, (_, i) =>
    result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions),
  );
}

function expectSame(remote: readonly Float32Array[], expected: readonly Float32Array[], width: number): void {
  expect(remote).toHaveLength(expected.length);
  remote.forEach((vector, i) => {
    expect(vector).toHaveLength(width);
    expect(cosine(vector, expected[i] ?? new Float32Array())).toBeGreaterThanOrEqual(0.99999);
  });
}

const CASES: { dialect: RemoteEngine; as: string; requests: number }[] = [
  { dialect: 'vllm', as: 'as vLLM documents (OpenAI shapes, base64, no matryoshka flag)', requests: 2 },
  { dialect: 'sglang', as: 'as SGLang documents (--is-embedding, float answers)', requests: 2 },
  { dialect: 'tei', as: 'as TEI documents (at most 32 inputs per request, model ignored)', requests: 3 },
  { dialect: 'openai', as: 'as the OpenAI API documents (rows keyed by index, in any order)', requests: 2 },
  { dialect: 'tabembed', as: 'as tabembed serve answers (OpenAI shapes, dimensions honoured)', requests: 2 },
];

describe.each(CASES)('remote provider, $as', ({ dialect, requests }) => {
  let engine: FakeEngine;
  beforeAll(async () => {
    engine = await startFakeEngine({ dialect, model: SERVED, weights: local });
  });
  afterAll(() => engine.close());

  it('gives the local model’s documents, queries and Matryoshka cuts, in order, in batches the engine accepts', async () => {
    const remote = createRemoteEmbedder({
      baseURL: `${engine.baseURL}/v1`,
      model: SERVED,
      engine: dialect,
      apiKey: 'k-1',
    });
    const documents = await remote.embed(DOCUMENTS);
    expectSame(documents, rowsOf(await local.embed(DOCUMENTS)), 64);
    const query = await remote.embedQuery(QUERY, { instruction: TASK });
    expectSame([query], rowsOf(await local.embed([QUERY], { kind: 'query', instruction: TASK })), 64);
    const cut = await remote.embedDocuments(DOCUMENTS.slice(0, 5), { dimensions: 32 });
    expectSame(cut, rowsOf(await local.embed(DOCUMENTS.slice(0, 5), { dimensions: 32 })), 32);

    // The probe, then 70 documents in batches of the engine's size, one query, one cut batch.
    const sizes = engine.requests.map((r) => (r.body['input'] as string[]).length);
    expect(sizes.slice(1, 1 + requests).reduce((a, b) => a + b, 0)).toBe(70);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(dialect === 'tei' ? 32 : 64);
    // The query went out prompted, exactly as the model card writes it.
    expect(engine.requests.some((r) => (r.body['input'] as string[])[0] === `Instruct: ${TASK}\nQuery:${QUERY}`)).toBe(
      true,
    );
    expect(engine.requests.every((r) => r.authorization === 'Bearer k-1')).toBe(true);
    expect(remote.info()).toMatchObject({ provider: 'remote', engine: dialect, hiddenSize: 64, model: SERVED });
    // Every text the engine embedded (6 probes, 70 documents, 1 query, 5 cut), one batch per request.
    const metrics = await remote.metrics();
    expect(metrics).toMatchObject({ texts: 82, batches: engine.requests.length, paddingRatio: 0, queueDepth: 0 });
    expect(metrics.tokens).toBe(engine.requests.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0));
    expect(metrics.latencyMs.calls).toBe(3);
    await remote.dispose();
  });
});
