import { describe, expect, it } from 'vitest';
import { adapter } from './adapter-summary.ts';
import type { BackendRace } from '../../src/core/types.ts';
import {
  DECISIVE_RATIO,
  describeRace,
  heatDecides,
  heatShape,
  judgeRace,
  raceFinished,
  raceShape,
  RACE_RUNS,
  RACE_TIME_BUDGET_MS,
  shouldRace,
  WASM_MARGIN,
} from '../../src/engine/backend-race.ts';
import {
  parseVerdict,
  verdictFresh,
  verdictKey,
  VERDICT_MAX_AGE_MS,
  type RaceVerdict,
} from '../../src/engine/race-verdict.ts';

const INTEL = adapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Iris(R) Xe Graphics' });
const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader' });
const BOTH = ['webgpu', 'wasm'] as const;

describe('shouldRace', () => {
  it("races only 'auto' on a hardware adapter, in a runtime with both devices", () => {
    expect(shouldRace('auto', INTEL, BOTH)).toBe(true);
    expect(shouldRace('webgpu', INTEL, BOTH)).toBe(false);
    expect(shouldRace('wasm', INTEL, BOTH)).toBe(false);
    expect(shouldRace('auto', SWIFTSHADER, BOTH)).toBe(false);
    expect(shouldRace('auto', adapter({ vendor: 'nvidia', isFallbackAdapter: true }), BOTH)).toBe(false);
    expect(shouldRace('auto', undefined, BOTH)).toBe(false);
    expect(shouldRace('auto', INTEL, ['wasm'])).toBe(false);
    expect(shouldRace('cpu', undefined, ['cpu'])).toBe(false);
  });
});

describe('raceShape', () => {
  it("takes the warm-up's 256-token rows, as many as WASM's 1024-token budget holds", () => {
    expect(raceShape({ tokenBudget: 8192, maxRows: 64 }, 8192)).toEqual({ rows: 4, length: 256 });
  });
  it('shrinks to a smaller GPU budget, a short maxTokens, and the row cap', () => {
    expect(raceShape({ tokenBudget: 512, maxRows: 64 }, 8192)).toEqual({ rows: 2, length: 256 });
    expect(raceShape({ tokenBudget: 8192, maxRows: 64 }, 100)).toEqual({ rows: 10, length: 100 });
    expect(raceShape({ tokenBudget: 8192, maxRows: 3 }, 8192)).toEqual({ rows: 3, length: 256 });
    expect(raceShape({ tokenBudget: 200, maxRows: 64 }, 8192)).toEqual({ rows: 1, length: 200 });
  });
});

describe('the heat', () => {
  it('is one row of 64 tokens, or of maxTokens when that is shorter', () => {
    expect(heatShape(8192)).toEqual({ rows: 1, length: 64 });
    expect(heatShape(16)).toEqual({ rows: 1, length: 16 });
  });
  it(`decides only for a WebGPU ≥ ${DECISIVE_RATIO}× faster: a WASM lead on one short row says little about a batch`, () => {
    expect(heatDecides(10, 30)).toBe(true);
    expect(heatDecides(10, 29)).toBe(false);
    expect(heatDecides(90, 10)).toBe(false);
  });
});

describe('raceFinished', () => {
  it(`waits for a timed run on each device, then for ${RACE_RUNS} each unless the first pair differs ≥ ${DECISIVE_RATIO}×`, () => {
    expect(raceFinished([], [])).toBe(false);
    expect(raceFinished([40], [])).toBe(false);
    expect(raceFinished([40], [119])).toBe(false);
    expect(raceFinished([40], [120])).toBe(true);
    expect(raceFinished([360], [120])).toBe(true);
    expect(raceFinished([40, 41], [60, 62])).toBe(false);
    expect(raceFinished([40, 41, 39], [60, 62, 61])).toBe(true);
  });
  it(`stops after a pair once the timed runs have taken ${RACE_TIME_BUDGET_MS} ms`, () => {
    expect(raceFinished([900], [1099])).toBe(false);
    expect(raceFinished([900], [1100])).toBe(true);
    expect(raceFinished([4000], [6000])).toBe(true);
    expect(raceFinished([5000], [])).toBe(false);
  });
});

describe('judgeRace', () => {
  it("compares each device's fastest run", () => {
    expect(judgeRace([41, 40, 44], [130, 128, 131])).toEqual({ winner: 'webgpu', webgpuMs: 40, wasmMs: 128, runs: 3 });
    expect(judgeRace([160, 150, 170], [95, 90, 200])).toEqual({ winner: 'wasm', webgpuMs: 150, wasmMs: 90, runs: 3 });
  });
  it(`gives WebGPU a near tie: WASM must be faster by ${WASM_MARGIN}×`, () => {
    expect(judgeRace([100], [95]).winner).toBe('webgpu');
    expect(judgeRace([100], [91]).winner).toBe('webgpu');
    expect(judgeRace([100], [90]).winner).toBe('wasm');
  });
  it('refuses a race without a timed run on each device', () => {
    expect(() => judgeRace([], [10])).toThrow('at least one timed run per device');
  });
});

describe('describeRace', () => {
  const race: BackendRace = {
    shape: { rows: 4, length: 256 },
    webgpuMs: 41.3,
    wasmMs: 130.4,
    runs: 3,
    winner: 'webgpu',
    remembered: false,
    decidedAt: '2026-12-06T10:00:00.000Z',
  };
  it('says what ran, how long each device took and what was kept', () => {
    expect(describeRace(race)).toBe('raced on a 4×256 batch: webgpu 41 ms, wasm 130 ms; kept webgpu');
    expect(describeRace({ ...race, webgpuMs: 1.26, wasmMs: 0.84, winner: 'wasm' })).toBe(
      'raced on a 4×256 batch: webgpu 1.3 ms, wasm 0.8 ms; kept wasm',
    );
  });
  it('dates a remembered verdict', () => {
    expect(describeRace({ ...race, remembered: true })).toBe(
      'remembered from 2026-12-06 (a 4×256 batch: webgpu 41 ms, wasm 130 ms); kept webgpu',
    );
  });
});

describe('race verdicts', () => {
  const NOW = Date.parse('2026-12-06T10:00:00.000Z');
  const verdict: RaceVerdict = {
    version: 1,
    shape: { rows: 4, length: 256 },
    webgpuMs: 160,
    wasmMs: 90,
    runs: 3,
    winner: 'wasm',
    runtime: 'onnxruntime-web 1.30.0 (jspi)',
    decidedAt: '2026-12-01T08:00:00.000Z',
  };

  it('are keyed by adapter, model, revision and dtype, not by limits or features', () => {
    const key = verdictKey({
      adapter: INTEL,
      model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      revision: 'abc',
      dtype: 'q4',
    });
    expect(
      verdictKey({
        adapter: { ...INTEL, maxBufferSize: 1, shaderF16: true },
        model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        revision: 'abc',
        dtype: 'q4',
      }),
    ).toBe(key);
    const others = [
      verdictKey({
        adapter: { ...INTEL, device: '0x9a49' },
        model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        revision: 'abc',
        dtype: 'q4',
      }),
      verdictKey({
        adapter: { ...INTEL, description: 'another driver' },
        model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        revision: 'abc',
        dtype: 'q4',
      }),
      verdictKey({ adapter: INTEL, model: 'onnx-community/Qwen3-Embedding-4B-ONNX', revision: 'abc', dtype: 'q4' }),
      verdictKey({
        adapter: INTEL,
        model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        revision: undefined,
        dtype: 'q4',
      }),
      verdictKey({
        adapter: INTEL,
        model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        revision: 'abc',
        dtype: 'q4f16',
      }),
    ];
    expect(new Set([key, ...others]).size).toBe(6);
  });

  it('hold for 30 days on the runtime that raced them', () => {
    expect(verdictFresh(verdict, verdict.runtime, NOW)).toBe(true);
    expect(verdictFresh(verdict, verdict.runtime, Date.parse(verdict.decidedAt) + VERDICT_MAX_AGE_MS)).toBe(true);
    expect(verdictFresh(verdict, verdict.runtime, Date.parse(verdict.decidedAt) + VERDICT_MAX_AGE_MS + 1)).toBe(false);
  });

  it('are raced again on another onnxruntime version or build, or when dated in the future', () => {
    expect(verdictFresh(verdict, 'onnxruntime-web 1.31.0 (jspi)', NOW)).toBe(false);
    expect(verdictFresh(verdict, 'onnxruntime-web 1.30.0 (asyncify)', NOW)).toBe(false);
    expect(verdictFresh(verdict, verdict.runtime, Date.parse(verdict.decidedAt) - 1)).toBe(false);
  });

  it('are read back only when the stored value has their shape', () => {
    expect(parseVerdict(JSON.parse(JSON.stringify(verdict)))).toEqual(verdict);
    expect(parseVerdict({ ...verdict, extra: 1 })).toEqual(verdict);
    for (const broken of [
      undefined,
      null,
      'wasm',
      [],
      { ...verdict, version: 2 },
      { ...verdict, winner: 'cpu' },
      { ...verdict, wasmMs: -1 },
      { ...verdict, webgpuMs: Number.NaN },
      { ...verdict, shape: { rows: 4 } },
      { ...verdict, shape: null },
      { ...verdict, runtime: 1 },
      { ...verdict, decidedAt: 'yesterday' },
      { ...verdict, runs: 0 },
    ]) {
      expect(parseVerdict(broken)).toBeUndefined();
    }
  });
});
