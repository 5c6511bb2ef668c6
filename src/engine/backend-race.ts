import type { AdapterSummary, BackendRace, DeviceName } from '../core/types.ts';
import { chooseDevice } from './device-choice.ts';
import { CPU_TOKEN_BUDGET } from './token-budget.ts';
import { WARMUP_BATCH_LENGTH } from './warm-up.ts';

/**
 * WebGPU or WASM, decided by measurement (issue 13, item 6). A hardware GPU is usually far
 * faster than WASM, but not always: an integrated GPU, a small model, or a driver whose WebGPU
 * kernels are slow can lose to the CPU. So on `device: 'auto'` with a hardware adapter, the load
 * times the same graph file on both devices and keeps the faster one. The choices here are
 * pure; device-race.ts runs them.
 *
 * The race costs WASM time, and on a real model that is not small: one 4×256 batch of the
 * real-width qwen3-wide-2l fixture (q4, 2 of 0.6B's 28 layers) took 3.4–4.1 s on WASM here
 * (onnxruntime-web in Node, 2 busy cores), so a 0.6B batch costs tens of seconds on a slow
 * machine. Hence a heat first: one short row, where a GPU has the least lead (its fixed cost per
 * run weighs most). A GPU DECISIVE_RATIO× faster there wins outright; only a closer heat goes on
 * to the document batch, and that stops early once its runs have taken RACE_TIME_BUDGET_MS.
 */

/** Timed runs per device at most. */
export const RACE_RUNS = 3;
/** A gap this large is decided: no cold start or noise explains it. */
export const DECISIVE_RATIO = 3;
/** The document batch's timed runs stop after the first pair once they have taken this long. */
export const RACE_TIME_BUDGET_MS = 2000;
/** The heat's one row, in tokens: a short passage or a long query. */
export const HEAT_LENGTH = 64;
/**
 * WASM must be this much faster to win. The race batch is capped at WASM's token budget, while
 * WebGPU runs wider batches in use (up to 8192 tokens), where its lead grows; and a busy GPU
 * leaves the page's CPU cores free. A near tie is therefore WebGPU's.
 */
export const WASM_MARGIN = 1.1;

export interface RaceShape {
  rows: number;
  length: number;
}

/**
 * Only `'auto'` on a hardware adapter races, in a runtime that has both devices: a forced device
 * is the caller's override, and a software adapter (SwiftShader) already gets WASM by rule.
 */
export function shouldRace(
  requested: DeviceName | 'auto',
  adapter: AdapterSummary | undefined,
  devices: readonly DeviceName[],
): boolean {
  return (
    requested === 'auto' &&
    chooseDevice('auto', adapter).device === 'webgpu' &&
    devices.includes('webgpu') &&
    devices.includes('wasm')
  );
}

/** The heat: one short row. */
export function heatShape(maxTokens: number): RaceShape {
  return { rows: 1, length: Math.max(1, Math.min(HEAT_LENGTH, maxTokens)) };
}

/**
 * Whether the heat settles the race: only for WebGPU, since a GPU's lead grows with the batch
 * while a CPU's cost grows with it in proportion; a WASM lead on one short row says little about
 * a document batch.
 */
export function heatDecides(webgpuMs: number, wasmMs: number): boolean {
  return wasmMs >= DECISIVE_RATIO * webgpuMs;
}

/**
 * A typical document batch: the warm-up's 256-token rows (warm-up.ts), as many as both devices'
 * budgets allow. WASM's budget (1024 tokens) caps it, so each WASM run costs what one of its
 * batches costs in use.
 *
 * @example raceShape({ tokenBudget: 8192, maxRows: 64 }, 8192) // { rows: 4, length: 256 }
 */
export function raceShape(gpuLimits: { tokenBudget: number; maxRows: number }, maxTokens: number): RaceShape {
  const budget = Math.min(gpuLimits.tokenBudget, CPU_TOKEN_BUDGET);
  const length = Math.max(1, Math.min(WARMUP_BATCH_LENGTH, maxTokens, budget));
  return { rows: Math.max(1, Math.min(gpuLimits.maxRows, Math.floor(budget / length))), length };
}

/**
 * Whether the document batch's timed runs so far settle the race: all runs done, or after a
 * pair, a decisive gap or the time budget spent.
 */
export function raceFinished(webgpuMs: readonly number[], wasmMs: readonly number[]): boolean {
  if (webgpuMs.length >= RACE_RUNS && wasmMs.length >= RACE_RUNS) return true;
  if (webgpuMs.length === 0 || wasmMs.length === 0) return false;
  const gpu = Math.min(...webgpuMs);
  const cpu = Math.min(...wasmMs);
  const spent = [...webgpuMs, ...wasmMs].reduce((sum, ms) => sum + ms, 0);
  return Math.max(gpu, cpu) >= DECISIVE_RATIO * Math.min(gpu, cpu) || spent >= RACE_TIME_BUDGET_MS;
}

/**
 * Each device's fastest run (a run is only ever slowed by noise: a cold allocator, another tab),
 * and the winner: WASM only when it beats WebGPU by WASM_MARGIN.
 *
 * @example judgeRace([41, 40, 44], [130, 128, 131]) // { winner: 'webgpu', webgpuMs: 40, wasmMs: 128, runs: 3 }
 */
export function judgeRace(
  webgpuMs: readonly number[],
  wasmMs: readonly number[],
): Pick<BackendRace, 'winner' | 'webgpuMs' | 'wasmMs' | 'runs'> {
  if (webgpuMs.length === 0 || wasmMs.length === 0) throw new Error('a race needs at least one timed run per device');
  const gpu = Math.min(...webgpuMs);
  const cpu = Math.min(...wasmMs);
  return {
    winner: cpu * WASM_MARGIN < gpu ? 'wasm' : 'webgpu',
    webgpuMs: gpu,
    wasmMs: cpu,
    runs: Math.min(webgpuMs.length, wasmMs.length),
  };
}

/**
 * The race in words, for `info().deviceReason`.
 *
 * @example
 *   describeRace({ shape: { rows: 4, length: 256 }, webgpuMs: 41, wasmMs: 130, winner: 'webgpu', remembered: false, … })
 *   // 'raced on a 4×256 batch: webgpu 41 ms, wasm 130 ms; kept webgpu'
 *   // remembered: 'remembered from 2026-12-06 (a 4×256 batch: webgpu 41 ms, wasm 130 ms); kept webgpu'
 */
export function describeRace(race: BackendRace): string {
  const times = `a ${race.shape.rows}×${race.shape.length} batch: webgpu ${ms(race.webgpuMs)}, wasm ${ms(race.wasmMs)}`;
  return race.remembered
    ? `remembered from ${race.decidedAt.slice(0, 10)} (${times}); kept ${race.winner}`
    : `raced on ${times}; kept ${race.winner}`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
}
