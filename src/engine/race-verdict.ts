import type { AdapterSummary, BackendRace, Dtype } from '../core/types.ts';
import { isRecord } from '../core/is-record.ts';

/**
 * A backend race's verdict, remembered between loads so that only the first load on an adapter
 * pays for the race, and the next opens the winner alone (a WASM verdict never creates a WebGPU
 * session). Pure: the key, the record's shape and when it expires. The storage itself is the
 * caller's (the browser worker: OPFS; Node: none).
 */

/** What is stored: the race as info() reports it, plus the runtime that ran it. */
export interface RaceVerdict extends Omit<BackendRace, 'remembered'> {
  version: 1;
  /** `OrtRuntime.name`, e.g. 'onnxruntime-web 1.30.0 (jspi)': another version or build races again. */
  runtime: string;
}

/**
 * Where verdicts are kept. `get` returns whatever was stored (or undefined); the engine checks
 * its shape (`parseVerdict`), since storage outlives code versions and can be edited by hand.
 */
export interface VerdictStore {
  get(key: string): Promise<unknown>;
  set(key: string, verdict: RaceVerdict): Promise<void>;
}

/** Drivers and browsers update; a month-old verdict is raced again. */
export const VERDICT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** The browser worker's OPFS folder for verdicts (apart from the model cache, which lists its folder as models). */
export const VERDICT_FOLDER = 'tabembed-backend-race-v1';

export interface VerdictKeyParts {
  adapter: AdapterSummary;
  model: string;
  revision: string | undefined;
  dtype: Dtype;
}

/**
 * One verdict per adapter (vendor, architecture, device, description), model, revision and
 * dtype. Limits and features are left out: they follow from the adapter and would only split
 * the key.
 *
 * @example verdictKey({ adapter, model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', revision: 'c25a394d…', dtype: 'q4f16' })
 *   // '{"model":"onnx-community/Qwen3-Embedding-0.6B-ONNX","revision":"c25a394d…","dtype":"q4f16","adapter":["nvidia","ampere","","…"]}'
 */
export function verdictKey(parts: VerdictKeyParts): string {
  const { adapter } = parts;
  return JSON.stringify({
    model: parts.model,
    revision: parts.revision ?? null,
    dtype: parts.dtype,
    adapter: [adapter.vendor, adapter.architecture, adapter.device, adapter.description],
  });
}

/** A stored value as a verdict, or undefined when it is not one (missing, older format, damaged). */
export function parseVerdict(value: unknown): RaceVerdict | undefined {
  if (!isRecord(value)) return undefined;
  const v: Partial<Record<keyof RaceVerdict, unknown>> = value;
  const shape = v.shape;
  const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (v.version !== 1 || (v.winner !== 'webgpu' && v.winner !== 'wasm')) return undefined;
  if (!positive(v.webgpuMs) || !positive(v.wasmMs) || !positive(v.runs)) return undefined;
  if (!isRecord(shape) || !positive(shape['rows']) || !positive(shape['length'])) return undefined;
  if (typeof v.runtime !== 'string' || typeof v.decidedAt !== 'string' || Number.isNaN(Date.parse(v.decidedAt)))
    return undefined;
  return {
    version: 1,
    winner: v.winner,
    shape: { rows: shape['rows'], length: shape['length'] },
    webgpuMs: v.webgpuMs,
    wasmMs: v.wasmMs,
    runs: v.runs,
    runtime: v.runtime,
    decidedAt: v.decidedAt,
  };
}

/**
 * Whether a verdict still stands: raced by the same runtime (version and build), at most
 * VERDICT_MAX_AGE_MS ago. One dated in the future (a clock set back) is not trusted.
 */
export function verdictFresh(verdict: RaceVerdict, runtime: string, now: number): boolean {
  const age = now - Date.parse(verdict.decidedAt);
  return verdict.runtime === runtime && age >= 0 && age <= VERDICT_MAX_AGE_MS;
}
