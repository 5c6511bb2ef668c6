/**
 * GPU recovery on the real engine and real onnxruntime-node sessions, with a runtime that poses
 * as WebGPU and fails like one (faulty-gpu-runtime.ts): an out-of-memory halves the token
 * budget and re-runs the failed rows in smaller batches, a lost device gets a new session, and
 * a GPU that keeps failing hands the engine to WASM with the reason. Whatever happens, every
 * text is computed exactly once and comes back in the caller's order.
 *
 * Vectors are compared with a fault-free CPU engine on the same file at cosine ≥ 0.99999: both
 * sides run onnxruntime-node's kernels on the same weights, but a retried row sits in a batch of
 * another shape (other rows, other padded length), which changes float32 summation order and
 * leaves 1 − cos near 1e-13 (measured); a wrong or swapped row of this random-weight model scores
 * far below 0.9, so the bound separates the two by orders of magnitude.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { cosine } from '../../src/core/cosine.ts';
import type { AdapterSummary, EmbedBatchProgress } from '../../src/core/types.ts';
import { EmbedEngine, type EmbedBatchResult } from '../../src/engine/embed-engine.ts';
import { CPU_TOKEN_BUDGET } from '../../src/engine/token-budget.ts';
import { modelFiles } from '../../src/model/model-files.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { fsSource } from '../../src/node/fs-source.ts';
import { referenceIds } from '../reference/reference-embedding.ts';
import { faultyGpuRuntime, rowKey, type GpuFaults, type RunLog } from './faulty-gpu-runtime.ts';

const MODEL = 'public/models/qwen3-tiny';
const MIN_COSINE = 0.99999;
// tokenBudget() gives WebGPU half the storage-binding size over intermediate × 4 bytes per
// token: 786432 / 2 / (192 × 4) = 512 tokens per batch for the tiny fixture.
const GPU_BUDGET = 512;
const ADAPTER: AdapterSummary = {
  vendor: 'test',
  architecture: 'fault-injecting',
  device: '',
  description: 'onnxruntime-node posing as a GPU',
  isFallbackAdapter: false,
  shaderF16: false,
  maxBufferSize: 1 << 30,
  maxStorageBufferBindingSize: GPU_BUDGET * 192 * 4 * 2,
};
// 40 distinct documents of 6–~150 tokens: several batches at 512 tokens, every one under 256 alone.
const TEXTS = Array.from(
  { length: 40 },
  (_, i) => `item ${i}: ${'a passage of ordinary words '.repeat(1 + ((i * 7) % 23))}`,
);

let expected: EmbedBatchResult;

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  const clean = await createNodeEmbedder({ model: MODEL, dtype: 'q4' });
  expected = await clean.embed(TEXTS);
  await clean.dispose();
}, 120_000);

interface Harness {
  engine: EmbedEngine;
  log: RunLog;
}
const open: EmbedEngine[] = [];
afterAll(() => Promise.all(open.map((engine) => engine.dispose())));

/** An engine on the posing runtime; faults fire from the start when `duringLoad`, else after load. */
async function gpuEngine(faults: GpuFaults, duringLoad = false): Promise<Harness> {
  const { runtime, log, armed } = faultyGpuRuntime(faults);
  armed.on = duringLoad;
  const engine = await EmbedEngine.load(
    { files: modelFiles(fsSource(MODEL)), runtime, device: 'webgpu', dtype: 'q4', adapter: ADAPTER },
    { model: MODEL, revision: undefined },
  );
  open.push(engine);
  armed.on = true;
  log.computed.clear(); // the load's probe and warm-up are not the caller's texts
  return { engine, log };
}

/** Same vectors as the fault-free run, in order, each text computed once, every batch streamed once. */
function expectEveryVectorOnce(result: EmbedBatchResult, log: RunLog, batches: EmbedBatchProgress[]): number {
  expect(result.vectors.length).toBe(expected.vectors.length);
  const d = result.dimensions;
  const cosines = TEXTS.map((_, i) =>
    cosine(result.vectors.subarray(i * d, (i + 1) * d), expected.vectors.subarray(i * d, (i + 1) * d)),
  );
  expect(Math.min(...cosines)).toBeGreaterThanOrEqual(MIN_COSINE);
  expect(TEXTS.map((text) => log.computed.get(rowKey(referenceIds(text))) ?? 0)).toEqual(TEXTS.map(() => 1));
  expect([...log.computed.values()].reduce((a, b) => a + b, 0)).toBe(TEXTS.length);

  expect(batches.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual(TEXTS.map((_, i) => i));
  expect(batches.map((b) => b.done)).toEqual(
    batches.map((_, k) => batches.slice(0, k + 1).reduce((sum, b) => sum + b.indices.length, 0)),
  );
  expect(batches.at(-1)?.done).toBe(TEXTS.length);
  for (const batch of batches) {
    batch.indices.forEach((index, r) =>
      expect(Array.from(batch.vectors.subarray(r * d, (r + 1) * d))).toEqual(
        Array.from(result.vectors.subarray(index * d, (index + 1) * d)),
      ),
    );
  }
  return Math.min(...cosines);
}

async function embedStreaming(
  engine: EmbedEngine,
): Promise<{ result: EmbedBatchResult; batches: EmbedBatchProgress[] }> {
  const batches: EmbedBatchProgress[] = [];
  const result = await engine.embed(TEXTS, { onBatch: (b) => batches.push(b) });
  return { result, batches };
}

describe('GPU recovery', () => {
  it('halves the token budget once on out-of-memory above 300 tokens, and re-runs only the failed rows', async () => {
    const { engine, log } = await gpuEngine({ oomAboveTokens: 300 });
    expect(engine.info().tokenBudget).toBe(GPU_BUDGET);
    const { result, batches } = await embedStreaming(engine);
    const minCos = expectEveryVectorOnce(result, log, batches);
    console.log(
      `[gpu-recovery] oom: ${log.failures.length} failed run(s), 1 − min cos ${(1 - minCos).toExponential(1)}, budget ${engine.info().tokenBudget}`,
    );
    expect(log.failures.length).toBeGreaterThan(0);
    expect(log.failures.every((message) => message.includes('out of memory'))).toBe(true);
    // 512 → 256 fits every batch under the 300-token limit: one halving, never a second.
    expect(engine.info().tokenBudget).toBe(GPU_BUDGET / 2);
    expect(engine.info()).toMatchObject({ device: 'webgpu', fallback: undefined });

    // The smaller budget sticks: the next call fails no more.
    const failuresBefore = log.failures.length;
    await engine.embed(TEXTS);
    expect(log.failures.length).toBe(failuresBefore);
  }, 60_000);

  it('recreates the WebGPU session after a lost device and stays on WebGPU', async () => {
    const { engine, log } = await gpuEngine({ loseDeviceAfterRuns: 2 });
    const sessionsBefore = log.sessions.webgpu;
    const { result, batches } = await embedStreaming(engine);
    const minCos = expectEveryVectorOnce(result, log, batches);
    console.log(
      `[gpu-recovery] lost device: ${log.failures.length} failed run(s), 1 − min cos ${(1 - minCos).toExponential(1)}, budget ${engine.info().tokenBudget}`,
    );
    expect(log.failures).toEqual([expect.stringContaining('Device lost')]);
    expect(log.sessions.webgpu).toBe(sessionsBefore + 1);
    expect(engine.info()).toMatchObject({ device: 'webgpu', fallback: undefined, tokenBudget: GPU_BUDGET / 2 });
  }, 60_000);

  it('falls back to WASM with the reason when every GPU run fails, for two concurrent calls', async () => {
    const { engine, log } = await gpuEngine({ alwaysFail: true });
    const wasmSessionsBefore = log.sessions.wasm;
    // The documents' first batch fails first (several rows: split, then one row: fall back);
    // the query, queued behind it, must come out of the same recovery intact.
    const documents = embedStreaming(engine);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const query = await engine.embed([TEXTS[3] ?? ''], { kind: 'query' });
    const { result, batches } = await documents;
    expect(query.vectors.length).toBe(expected.dimensions);
    // The query's row is counted too: it is not one of TEXTS' document rows.
    log.computed.delete(
      [...log.computed.keys()].find((key) => !TEXTS.some((text) => rowKey(referenceIds(text)) === key)) ?? '',
    );
    const minCos = expectEveryVectorOnce(result, log, batches);
    console.log(
      `[gpu-recovery] always failing: ${log.failures.length} failed run(s), 1 − min cos ${(1 - minCos).toExponential(1)}; ${engine.info().fallback ?? ''}`,
    );
    const info = engine.info();
    expect(info.device).toBe('wasm');
    expect(log.failures.length).toBeGreaterThan(1);
    expect(info.fallback).toMatch(/^switched to wasm: WebGPU failed .*Invalid argument/);
    expect(info.deviceReason).toContain(info.fallback);
    expect(info.tokenBudget).toBe(CPU_TOKEN_BUDGET);
    expect(log.sessions.wasm).toBe(wasmSessionsBefore + 1);
  }, 60_000);

  it('falls back to WASM at load when the GPU fails the numerics probe', async () => {
    const { engine, log } = await gpuEngine({ alwaysFail: true }, true);
    expect(engine.info().device).toBe('wasm');
    expect(engine.info().fallback).toMatch(/WebGPU failed .*probe.*Invalid argument/);
    const { result, batches } = await embedStreaming(engine);
    expectEveryVectorOnce(result, log, batches);
  }, 60_000);
});
