/**
 * The backend race on the real engine and real onnxruntime-node sessions, with a runtime that
 * poses as a hardware WebGPU (faulty-gpu-runtime.ts) and adds a delay to every run on one
 * device, so either device can be made the slower one. With `device: 'auto'` the load times both
 * on a short heat and, unless WebGPU wins it ≥ 3×, on one document batch; it keeps the faster,
 * releases the other's session and says why in info(); the next load with the same verdict
 * store opens the winner alone.
 *
 * Delays of 300–450 ms against the tiny fixture's few-ms batches make the winner certain; measured
 * times are asserted only against the delay they must include. Vectors are compared with a
 * fault-free CPU engine at cosine ≥ 0.99999, as in gpu-recovery.test.ts (same kernels, same
 * weights; only batch shapes differ).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { cosine } from '../../src/core/cosine.ts';
import type { AdapterSummary, DeviceName } from '../../src/core/types.ts';
import { EmbedEngine, type EmbedBatchResult } from '../../src/engine/embed-engine.ts';
import { verdictKey, type RaceVerdict, type VerdictStore } from '../../src/engine/race-verdict.ts';
import { CPU_TOKEN_BUDGET } from '../../src/engine/token-budget.ts';
import { modelFiles } from '../../src/model/model-files.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { fsSource } from '../../src/node/fs-source.ts';
import { referenceIds } from '../reference/reference-embedding.ts';
import { faultyGpuRuntime, rowKey, type GpuFaults, type RunLog } from './faulty-gpu-runtime.ts';

const MODEL = 'public/models/qwen3-tiny';
// Measured in vitest beside a Playwright run on 2 cores: a tiny-model run slowed by up to ~250 ms.
// 300 ms of delay keeps every verdict below beyond that noise.
const DELAY_MS = 300;
// A GPU budget of 512 tokens (see gpu-recovery.test.ts) caps the document batch at 2 rows of 256 tokens.
const RACE_SHAPE = '2×256';
const HEAT_SHAPE = '1×64';
const ADAPTER: AdapterSummary = {
  vendor: 'test',
  architecture: 'posing',
  device: '',
  description: 'onnxruntime-node posing as a hardware GPU',
  isFallbackAdapter: false,
  shaderF16: false,
  maxBufferSize: 1 << 30,
  maxStorageBufferBindingSize: 512 * 192 * 4 * 2,
};
const KEY = verdictKey({ adapter: ADAPTER, model: MODEL, revision: undefined, dtype: 'q4' });
const TEXTS = Array.from(
  { length: 24 },
  (_, i) => `item ${i}: ${'a passage of ordinary words '.repeat(1 + ((i * 7) % 23))}`,
);

let expected: EmbedBatchResult;
const open: EmbedEngine[] = [];

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  const clean = await createNodeEmbedder({ model: MODEL, dtype: 'q4' });
  expected = await clean.embed(TEXTS);
  await clean.dispose();
}, 120_000);
afterAll(() => Promise.all(open.map((engine) => engine.dispose())));

interface MemoryStore extends VerdictStore {
  records: Map<string, unknown>;
  reads: number;
}

function memoryStore(seed: [string, unknown][] = []): MemoryStore {
  const store: MemoryStore = {
    records: new Map(seed),
    reads: 0,
    async get(key) {
      store.reads++;
      return structuredClone(store.records.get(key));
    },
    async set(key, verdict) {
      store.records.set(key, structuredClone(verdict));
    },
  };
  return store;
}

async function load(
  device: DeviceName | 'auto',
  faults: GpuFaults,
  verdicts?: VerdictStore,
): Promise<{ engine: EmbedEngine; log: RunLog; runtimeName: string }> {
  const { runtime, log } = faultyGpuRuntime(faults);
  const engine = await EmbedEngine.load(
    { files: modelFiles(fsSource(MODEL)), runtime, device, dtype: 'q4', adapter: ADAPTER },
    { model: MODEL, revision: undefined },
    verdicts ? { verdicts } : {},
  );
  open.push(engine);
  return { engine, log, runtimeName: runtime.name };
}

/** Every text once, on `device`, with the fault-free engine's vectors. */
async function expectEveryTextOnce(engine: EmbedEngine, log: RunLog, device: 'webgpu' | 'wasm'): Promise<void> {
  log.computed.clear();
  const before = log.shapes.length;
  const result = await engine.embed(TEXTS);
  const d = result.dimensions;
  const cosines = TEXTS.map((_, i) =>
    cosine(result.vectors.subarray(i * d, (i + 1) * d), expected.vectors.subarray(i * d, (i + 1) * d)),
  );
  expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.99999);
  expect(TEXTS.map((text) => log.computed.get(rowKey(referenceIds(text))) ?? 0)).toEqual(TEXTS.map(() => 1));
  expect(log.shapes.slice(before).every((shape) => shape.startsWith(`${device} `))).toBe(true);
}

const raceRuns = (log: RunLog, device: 'webgpu' | 'wasm', shape = RACE_SHAPE): number =>
  log.shapes.filter((run) => run === `${device} ${shape}`).length;

describe('backend race at load', () => {
  it('a GPU slower than WASM loses: WASM serves, the WebGPU session is released, info() says why, and the next load never opens WebGPU', async () => {
    const store = memoryStore();
    const { engine, log, runtimeName } = await load('auto', { delayMs: { webgpu: DELAY_MS } }, store);
    const info = engine.info();
    console.log(`[backend-race] slow gpu: ${info.deviceReason}; ${JSON.stringify(info.race)}`);
    expect(info.device).toBe('wasm');
    expect(info.race).toMatchObject({ shape: { rows: 2, length: 256 }, winner: 'wasm', remembered: false });
    expect(info.race?.webgpuMs).toBeGreaterThanOrEqual(DELAY_MS - 1);
    expect(info.race?.wasmMs).toBeLessThan((info.race?.webgpuMs ?? 0) / 1.1);
    expect(info.deviceReason).toMatch(
      /^a hardware WebGPU adapter is available \(.*\); raced on a 2×256 batch: webgpu \d+ ms, wasm [\d.]+ ms; kept wasm$/,
    );
    expect(info.fallback).toBeUndefined();
    expect(info.tokenBudget).toBe(CPU_TOKEN_BUDGET);
    // One session per device: the probe's WASM session raced and stayed; the GPU's was released.
    expect(log.sessions).toEqual({ webgpu: 1, wasm: 1 });
    expect(log.released).toEqual({ webgpu: 1, wasm: 0 });
    // A heat the GPU lost, then the document batch: the GPU ran each once untimed, then the
    // devices took turns. WASM then warmed up its query shape.
    expect([raceRuns(log, 'webgpu', HEAT_SHAPE), raceRuns(log, 'wasm', HEAT_SHAPE)]).toEqual([2, 1]);
    expect(raceRuns(log, 'webgpu')).toBe((info.race?.runs ?? 0) + 1);
    expect(raceRuns(log, 'wasm')).toBe(info.race?.runs);
    expect(log.shapes.at(-1)).toBe('wasm 1×24');
    expect(info.coldStart.shapes.map(({ what, rows, length }) => `${what} ${rows}×${length}`)).toEqual([
      expect.stringMatching(/^probe 1×\d+$/),
      'race 2×256',
      'query 1×24',
    ]);
    expect(store.records.get(KEY)).toEqual({ version: 1, ...info.race, remembered: undefined, runtime: runtimeName });
    await expectEveryTextOnce(engine, log, 'wasm');

    const again = await load('auto', { delayMs: { webgpu: DELAY_MS } }, store);
    const second = again.engine.info();
    expect(second.device).toBe('wasm');
    expect(second.race).toEqual({ ...info.race, remembered: true });
    expect(second.deviceReason).toMatch(
      /; remembered from \d{4}-\d\d-\d\d \(a 2×256 batch: webgpu \d+ ms, wasm [\d.]+ ms\); kept wasm$/,
    );
    expect(second.canary).toBeUndefined();
    expect(again.log.sessions).toEqual({ webgpu: 0, wasm: 1 });
    expect(again.log.shapes).toEqual(['wasm 1×24']);
    await expectEveryTextOnce(again.engine, again.log, 'wasm');
  }, 60_000);

  it('a GPU far faster than WASM wins the heat outright: the WASM session is released, and the next load opens WASM for the probe only', async () => {
    // Winning outright needs WASM ≥ 3× WebGPU on the heat: 301 against 1 ms on the runtime's
    // clock (faulty-gpu-runtime.ts), whatever else the machine is doing.
    const delayMs = { wasm: 300 };
    const store = memoryStore();
    const { engine, log } = await load('auto', { delayMs }, store);
    const info = engine.info();
    console.log(`[backend-race] fast gpu: ${info.deviceReason}; ${JSON.stringify(info.race)}`);
    expect(info.device).toBe('webgpu');
    expect(info.race).toMatchObject({ shape: { rows: 1, length: 64 }, runs: 1, winner: 'webgpu', remembered: false });
    expect(info.race?.wasmMs).toBeGreaterThanOrEqual(delayMs.wasm - 1);
    expect(info.deviceReason).toMatch(/; raced on a 1×64 batch: webgpu [\d.]+ ms, wasm \d+ ms; kept webgpu$/);
    // The document batch never ran on WASM.
    expect(raceRuns(log, 'wasm')).toBe(0);
    expect(info.canary?.action).toBe('kept webgpu');
    expect(log.sessions).toEqual({ webgpu: 1, wasm: 1 });
    expect(log.released).toEqual({ webgpu: 0, wasm: 1 });
    // The winner's warm-up follows the race: WebGPU's query and full-budget batch.
    expect(log.shapes.slice(-2)).toEqual(['webgpu 1×24', 'webgpu 2×256']);
    await expectEveryTextOnce(engine, log, 'webgpu');

    const again = await load('auto', { delayMs }, store);
    expect(again.engine.info().race).toEqual({ ...info.race, remembered: true });
    expect(again.engine.info().device).toBe('webgpu');
    expect(again.log.sessions).toEqual({ webgpu: 1, wasm: 1 });
    expect(again.log.released).toEqual({ webgpu: 0, wasm: 1 });
    expect(raceRuns(again.log, 'wasm', HEAT_SHAPE)).toBe(0);
  }, 60_000);

  it('a close heat goes on to the document batch, 3 timed runs each, and the faster device there wins', async () => {
    // 301 against 451 ms on the runtime's clock: not 3× on the heat, so the document batch
    // decides, on each device's fastest of 3 runs.
    const { engine, log } = await load('auto', { delayMs: { webgpu: 300, wasm: 450 } }, memoryStore());
    const info = engine.info();
    console.log(`[backend-race] close: ${info.deviceReason}`);
    expect(info).toMatchObject({
      device: 'webgpu',
      race: { shape: { rows: 2, length: 256 }, runs: 3, winner: 'webgpu' },
    });
    expect(raceRuns(log, 'wasm', HEAT_SHAPE)).toBe(1);
    // WebGPU: once untimed, 3 timed, then its warm-up's full-budget batch, which is 2×256 here too.
    expect([raceRuns(log, 'webgpu'), raceRuns(log, 'wasm')]).toEqual([5, 3]);
    expect(log.shapes.slice(-2)).toEqual(['webgpu 1×24', 'webgpu 2×256']);
  }, 60_000);

  it('a forced device never races and ignores a remembered verdict', async () => {
    const verdict: RaceVerdict = {
      version: 1,
      shape: { rows: 2, length: 256 },
      webgpuMs: 90,
      wasmMs: 30,
      runs: 3,
      winner: 'wasm',
      runtime: faultyGpuRuntime({}).runtime.name,
      decidedAt: new Date().toISOString(),
    };
    const store = memoryStore([[KEY, verdict]]);
    const { engine, log } = await load('webgpu', { delayMs: { webgpu: DELAY_MS } }, store);
    expect(engine.info()).toMatchObject({
      device: 'webgpu',
      race: undefined,
      deviceReason: expect.stringMatching(/^webgpu was requested/),
    });
    expect(store.reads).toBe(0);
    expect(raceRuns(log, 'wasm')).toBe(0);
    expect(store.records.get(KEY)).toEqual(verdict);
  }, 60_000);

  it('a verdict older than 30 days, or from another onnxruntime, is raced again and replaced', async () => {
    const name = faultyGpuRuntime({}).runtime.name;
    const stale: RaceVerdict[] = [
      {
        version: 1,
        shape: { rows: 2, length: 256 },
        webgpuMs: 90,
        wasmMs: 30,
        runs: 3,
        winner: 'wasm',
        runtime: name,
        decidedAt: new Date(Date.now() - 31 * 86_400_000).toISOString(),
      },
      {
        version: 1,
        shape: { rows: 2, length: 256 },
        webgpuMs: 90,
        wasmMs: 30,
        runs: 3,
        winner: 'wasm',
        runtime: 'onnxruntime-web 1.29.0 (jspi)',
        decidedAt: new Date().toISOString(),
      },
    ];
    for (const verdict of stale) {
      const store = memoryStore([[KEY, verdict]]);
      const { engine, log } = await load('auto', { delayMs: { wasm: DELAY_MS } }, store);
      expect(engine.info()).toMatchObject({ device: 'webgpu', race: { winner: 'webgpu', remembered: false } });
      expect(raceRuns(log, 'wasm', HEAT_SHAPE)).toBe(1);
      expect(store.records.get(KEY)).toMatchObject({ winner: 'webgpu', runtime: name });
    }
  }, 60_000);

  it('a verdict store that fails or hangs costs a race, never the load', async () => {
    const broken: VerdictStore = {
      get: () => Promise.reject(new Error('storage is gone')),
      set: () => Promise.reject(new Error('storage is gone')),
    };
    const hanging: VerdictStore = { get: () => new Promise(() => undefined), set: () => new Promise(() => undefined) };
    for (const store of [broken, hanging]) {
      const { engine } = await load('auto', { delayMs: { webgpu: DELAY_MS } }, store);
      expect(engine.info()).toMatchObject({ device: 'wasm', race: { winner: 'wasm', remembered: false } });
    }
  }, 60_000);

  it('a GPU that fails the race batch hands the engine to WASM with the reason, and nothing is remembered', async () => {
    const store = memoryStore();
    // The probe and the heat (one short row each) fit under 300 tokens; the 2×256 document batch
    // does not. The delay keeps WebGPU from winning the heat by 3× and skipping that batch: both
    // devices are the same CPU kernels here, so without it, noise on a loaded machine could
    // decide the heat (seen once in CI-like runs, two suites at once).
    const { engine, log } = await load('auto', { oomAboveTokens: 300, delayMs: { webgpu: DELAY_MS } }, store);
    const info = engine.info();
    expect(info.device).toBe('wasm');
    expect(info.race).toBeUndefined();
    expect(info.fallback).toMatch(/^switched to wasm: WebGPU failed the backend race \(WebGPU out of memory/);
    expect(info.deviceReason).toContain(`then ${info.fallback ?? ''}`);
    expect(log.released.webgpu).toBe(1);
    expect(store.records.size).toBe(0);
    await expectEveryTextOnce(engine, log, 'wasm');
  }, 60_000);
});
