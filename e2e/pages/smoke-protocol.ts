/**
 * Messages between the smoke page and its worker (types only). Test-only: raw onnxruntime-web,
 * no product code, so a failure here points at the build/serving setup, not at the engine.
 */

export type SmokeBackend = 'wasm' | 'webgpu';

export interface RunRequest {
  readonly kind: 'run';
  readonly id: number;
  /** Folder in Hub layout, e.g. `/models/qwen3-tiny/` (config.json + onnx/model_q4.onnx). */
  readonly modelUrl: string;
  readonly modelFile: string;
  readonly backend: SmokeBackend;
  readonly numThreads: number;
  readonly tokens: number;
}

export interface ProbeRequest {
  readonly kind: 'probe';
  readonly id: number;
}

export type SmokeRequest = RunRequest | ProbeRequest;

export interface ProbeResult {
  readonly crossOriginIsolated: boolean;
  readonly sharedArrayBuffer: boolean;
  readonly hardwareConcurrency: number;
}

export interface RunResult {
  readonly backend: SmokeBackend;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly dims: readonly number[];
  /** Hidden state of the last position, [hidden]. */
  readonly last: Float32Array;
  readonly allFinite: boolean;
  readonly hiddenSize: number;
  readonly numThreads: number;
  /** ort.env.wasm.wasmPaths as the worker set it. */
  readonly wasmPaths: string;
  readonly createMs: number;
  readonly runMs: number;
  /** Resource Timing entries for ort's runtime files fetched by this worker. */
  readonly ortFetches: readonly string[];
}

export type SmokeResponse =
  | { readonly id: number; readonly ok: true; readonly probe: ProbeResult }
  | { readonly id: number; readonly ok: true; readonly run: RunResult }
  | { readonly id: number; readonly ok: false; readonly error: string };
