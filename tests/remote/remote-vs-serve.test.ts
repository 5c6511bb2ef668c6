/**
 * The remote provider against the real `tabembed serve` (its server in this process, on real
 * HTTP, over its own engine), not a stand-in: what comes back must be what the local CLI's
 * embedder (createNodeEmbedder, a second engine on the same files) gives for the same documents,
 * queries and Matryoshka sizes, with the first-use probe proven against that local embedder.
 * fp32 on both sides; requests merged and batched differently on each: cos ≥ 0.99999 leaves room
 * for float32 summation order only (a wrong prompt or cut gives far less on this model).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/core/cosine.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { startServer, type RunningServer } from '../../src/node/serve/server.ts';
import { createRemoteEmbedder } from '../../src/remote/remote-embedder.ts';

const MODEL_DIR = 'public/models/qwen3-tiny';
const DOCUMENTS = Array.from({ length: 40 }, (_, i) =>
  i % 2 === 0 ? `Passage ${i}: the harbour lights come on at dusk.` : `段落 ${i}：港口的灯在黄昏亮起。`,
);
const QUERY = 'when do the harbour lights come on?';
const TASK = 'Given a question, find the passage that answers it';

let served: EmbedEngine;
let local: EmbedEngine;
let server: RunningServer;

beforeAll(async () => {
  served = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
  local = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
  server = await startServer({ engine: served, modelId: 'qwen3-tiny' });
  await server.ready;
}, 120_000);

afterAll(async () => {
  await server.drain();
  await served.dispose();
  await local.dispose();
});

function rows(result: { vectors: Float32Array; dimensions: number }): Float32Array[] {
  return Array.from({ length: result.vectors.length / result.dimensions }, (_, i) =>
    result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions),
  );
}

function expectSame(remote: readonly Float32Array[], expected: readonly Float32Array[]): void {
  expect(remote).toHaveLength(expected.length);
  remote.forEach((vector, i) => {
    expect(vector).toHaveLength(expected[i]?.length ?? -1);
    expect(cosine(vector, expected[i] ?? new Float32Array())).toBeGreaterThanOrEqual(0.99999);
  });
}

describe('the remote provider on tabembed serve', () => {
  it('gives the local embedder’s documents, queries and Matryoshka cuts, its probe proven against it', async () => {
    const remote = createRemoteEmbedder({
      baseURL: `${server.url}/v1`,
      model: 'qwen3-tiny',
      engine: 'tabembed',
      verifyAgainst: local,
    });
    await remote.verify();
    // Every probe matched the local model's vector (cos ≥ 0.999 each, else verify() throws INDEX_MISMATCH).
    expect(remote.info().probe).toMatchObject({ probes: 6, verifiedAgainst: local.info().space });
    console.log(`[remote-vs-serve] worst probe cosine ${remote.info().probe?.minCosine?.toFixed(9)}`);
    expect(remote.info().probe?.minCosine).toBeGreaterThanOrEqual(0.99999);
    expectSame(await remote.embed(DOCUMENTS), rows(await local.embed(DOCUMENTS)));
    expectSame(
      [await remote.embedQuery(QUERY, { instruction: TASK })],
      rows(await local.embed([QUERY], { kind: 'query', instruction: TASK })),
    );
    expectSame(
      await remote.embedDocuments(DOCUMENTS.slice(0, 6), { dimensions: 32 }),
      rows(await local.embed(DOCUMENTS.slice(0, 6), { dimensions: 32 })),
    );
    await remote.dispose();
  });
});
