/**
 * Warm-up at load on the real engine and onnxruntime-node sessions: the shapes warmupPlan()
 * chooses are the ones that actually run, before any caller, and info().coldStart times them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { AdapterSummary } from '../../src/core/types.ts';
import { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { modelFiles } from '../../src/model/model-files.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { fsSource } from '../../src/node/fs-source.ts';
import { faultyGpuRuntime } from './faulty-gpu-runtime.ts';

const MODEL = 'public/models/qwen3-tiny';
// 512 tokens per batch for the tiny fixture (see gpu-recovery.test.ts): the batch shape is 2 × 256.
const ADAPTER: AdapterSummary = {
  vendor: 'test',
  architecture: 'posing',
  device: '',
  description: 'onnxruntime-node posing as a GPU',
  isFallbackAdapter: false,
  shaderF16: false,
  maxBufferSize: 1 << 30,
  maxStorageBufferBindingSize: 512 * 192 * 4 * 2,
};
const open: EmbedEngine[] = [];
beforeAll(() => generateFixture({ outDir: 'public/models' }), 120_000);
afterAll(() => Promise.all(open.map((engine) => engine.dispose())));

describe('warm-up at load', () => {
  it('runs the probe, a one-row query and a full-budget batch on WebGPU, and times each', async () => {
    const { runtime, log } = faultyGpuRuntime({});
    const engine = await EmbedEngine.load(
      { files: modelFiles(fsSource(MODEL)), runtime, device: 'webgpu', dtype: 'q4', adapter: ADAPTER },
      { model: MODEL, revision: undefined },
    );
    open.push(engine);
    const { coldStart } = engine.info();
    const probe = coldStart.shapes[0]?.length ?? 0;
    expect(coldStart.shapes.map(({ what, rows, length }) => ({ what, rows, length }))).toEqual([
      { what: 'probe', rows: 1, length: probe },
      { what: 'query', rows: 1, length: 24 },
      { what: 'batch', rows: 2, length: 256 },
    ]);
    // The probe also runs once on WASM, to compare.
    expect(log.shapes).toEqual([`webgpu 1×${probe}`, `wasm 1×${probe}`, 'webgpu 1×24', 'webgpu 2×256']);
    expect(coldStart.shapes.every((shape) => shape.ms > 0)).toBe(true);
    expect(coldStart.warmupMs).toBeGreaterThanOrEqual(coldStart.shapes.reduce((sum, shape) => sum + shape.ms, 0));
    console.log(
      `[warm-up] posing webgpu: load ${coldStart.loadMs.toFixed(0)} ms, warm-up ${coldStart.warmupMs.toFixed(0)} ms, ${JSON.stringify(coldStart.shapes)}`,
    );
  }, 60_000);

  it('runs one 24-token query on the native CPU', async () => {
    const engine = await createNodeEmbedder({ model: MODEL, dtype: 'q4' });
    open.push(engine);
    const { coldStart } = engine.info();
    expect(coldStart.shapes.map(({ what, rows, length }) => ({ what, rows, length }))).toEqual([
      { what: 'query', rows: 1, length: 24 },
    ]);
    expect(engine.metrics().batches).toBe(1);
    console.log(
      `[warm-up] native cpu: load ${coldStart.loadMs.toFixed(0)} ms, warm-up ${coldStart.warmupMs.toFixed(1)} ms`,
    );
  }, 60_000);
});
