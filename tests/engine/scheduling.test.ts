/**
 * The engine's scheduling on a real onnxruntime-node session with the tiny fixture: a query
 * overtakes a long document job between batches, long jobs stream their batches, and metrics
 * count what actually ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import type { EmbedBatchProgress } from '../../src/core/types.ts';

let engine: EmbedEngine;
// 400 texts of ~100 tokens: with the CPU budget of 8192 tokens that is several batches.
const DOCUMENTS = Array.from(
  { length: 400 },
  (_, i) => `document ${i}: ${'words that make a passage long enough '.repeat(12)}`,
);

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  engine = await createNodeEmbedder({ model: 'public/models/qwen3-tiny', dtype: 'q4' });
}, 120_000);
afterAll(() => engine.dispose());

describe('the engine scheduler', () => {
  it('lets a query overtake a long document job, and streams the job batch by batch', async () => {
    const finished: string[] = [];
    const batches: EmbedBatchProgress[] = [];
    const documents = engine
      .embed(DOCUMENTS, { onBatch: (b) => batches.push(b) })
      .then((r) => (finished.push('documents'), r));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const query = engine.embed(['where is the cat?'], { kind: 'query' }).then((r) => (finished.push('query'), r));
    const [docs] = await Promise.all([documents, query]);
    expect(finished).toEqual(['query', 'documents']);

    expect(batches.length).toBeGreaterThan(2);
    expect(batches.at(-1)?.done).toBe(DOCUMENTS.length);
    expect(batches.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual(DOCUMENTS.map((_, i) => i));
    // Streamed vectors are the same numbers as the final result.
    const first = batches[0];
    const index = first?.indices[0] ?? 0;
    expect(Array.from(first?.vectors.subarray(0, 64) ?? [])).toEqual(
      Array.from(docs.vectors.subarray(index * 64, (index + 1) * 64)),
    );
  }, 120_000);

  it('reports tokens, batches, padding and bytes read back for what ran', async () => {
    const before = engine.metrics();
    const result = await engine.embed(['short', 'a somewhat longer text than the first one']);
    const after = engine.metrics();
    const tokens = result.tokens.reduce((a, b) => a + b, 0);
    expect(after.tokens - before.tokens).toBe(tokens);
    expect(after.texts - before.texts).toBe(2);
    expect(after.batches - before.batches).toBe(1);
    // One [2, longest, 64] float32 hidden state came back.
    expect(after.bytesReadBackLastBatch).toBe(2 * Math.max(...result.tokens) * 64 * 4);
    expect(after.paddingRatio).toBeGreaterThan(0);
    expect(after.latencyMs.calls).toBeGreaterThan(before.latencyMs.calls);
  });
});
