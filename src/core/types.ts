import type { TextKind } from './prompt.ts';

/** Where the model files come from. */
export type ModelSource =
  | string // Hub id, e.g. 'onnx-community/Qwen3-Embedding-0.6B-ONNX'
  | { url: string } // base URL in Hub layout, e.g. '/models/qwen3-tiny/'
  | { hub: string; revision?: string; host?: string };

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
/** Where the graph runs: WebGPU or WASM in onnxruntime-web, native CPU in onnxruntime-node (CLI). */
export type DeviceName = 'webgpu' | 'wasm' | 'cpu';

export interface EmbedderOptions {
  model?: ModelSource;
  dtype?: Dtype | 'auto';
  device?: 'webgpu' | 'wasm' | 'auto';
  /** Longest token sequence fed to the model; longer texts are truncated, keeping the final <|endoftext|>. */
  maxTokens?: number;
  onProgress?: (event: LoadProgress) => void;
}

export interface EmbedOptions {
  kind?: TextKind;
  /** Task description for queries; ignored for documents. */
  instruction?: string;
  /** Matryoshka size: keep the first `dimensions` values (32 ≤ d ≤ hidden size), then L2-normalise. */
  dimensions?: number;
  signal?: AbortSignalLike;
}

/** The part of DOM's AbortSignal the core reads (core compiles without DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export type LoadPhase = 'resolve' | 'download' | 'verify' | 'compile' | 'warmup' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  file?: string;
  loaded?: number;
  total?: number;
}

/** What was chosen at load and why; `info()` returns it. */
export interface EmbedderInfo {
  model: string;
  revision: string | undefined;
  dtype: Dtype;
  dtypeReason: string;
  device: DeviceName;
  deviceReason: string;
  adapter: AdapterSummary | undefined;
  hiddenSize: number;
  maxTokens: number;
  modelFile: string;
  graph: { positionIds: boolean; pastKeyValues: number; output: string };
  randomWeights: boolean;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}
