import type { DeviceChoice, Dtype } from './choices.ts';
import type { TextKind } from './prompt.ts';

/**
 * Where the model files come from:
 * - a Hub id, e.g. `'onnx-community/Qwen3-Embedding-0.6B-ONNX'` (its default revision);
 * - `{ hub, revision, host }`: any repo at a revision, on the Hub or a mirror. `host` is a base
 *   (`https://hf-mirror.example`) or a URL template with `{model}` and `{revision}`
 *   (`https://www.modelscope.cn/models/{model}/resolve/{revision}/`);
 * - `{ url }`: a base URL in Hub layout, e.g. `'/models/qwen3-tiny/'` or a CDN folder;
 * - `{ files }`: local files picked or dropped by the user, with their paths in Hub layout
 *   (`config.json`, `onnx/model_q4.onnx`, …); no network at all.
 */
export type ModelSource =
  string | { hub: string; revision?: string; host?: string } | { url: string } | { files: readonly LocalModelFile[] };

/** A File (or any Blob) from a file picker, a dropped folder or a directory handle. */
export interface LocalModelFile {
  path: string;
  file: BlobLike;
}

/** The part of DOM's Blob the model loader reads (core compiles without DOM types). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type { DeviceChoice, Dtype } from './choices.ts';
/** Where the graph runs: WebGPU or WASM in onnxruntime-web, native CPU in onnxruntime-node (CLI). */
export type DeviceName = 'webgpu' | 'wasm' | 'cpu';

export interface EmbedderOptions {
  model?: ModelSource;
  dtype?: Dtype | 'auto';
  device?: DeviceChoice;
  /** Longest token sequence fed to the model; longer texts are truncated, keeping the final <|endoftext|>. */
  maxTokens?: number;
  onProgress?: (event: LoadProgress) => void;
  /** Keep model files in the browser's storage and load them from there next time (default true). */
  cache?: boolean;
  /**
   * Milliseconds without a byte after which a model file request counts as stalled: it is
   * aborted and resumed where it stopped, and after 3 tries the load fails with
   * MODEL_FETCH_FAILED naming the file and the byte reached (default 30 000). In the browser it
   * also bounds each call to the model cache's storage: one that takes longer leaves the cache
   * out of this load, which goes on from the network.
   */
  idleTimeoutMs?: number;
}

/** A text longer than `maxTokens`: cut to it, keeping the final `<|endoftext|>`, or refuse the call. */
export type OverLength = 'truncate' | 'refuse';

/**
 * What one embed call asks for: the same object on every hop (page → worker → engine, and in
 * Node), so no layer maps it field by field. Plain data, so it crosses postMessage as it is.
 */
export interface EmbedRequest {
  /** 'document' (default) or 'query', which adds the instruction. */
  kind?: TextKind | undefined;
  /** Task description for queries; ignored for documents. */
  instruction?: string | undefined;
  /** Matryoshka size: keep the first `dimensions` values (32 ≤ d ≤ hidden size), then L2-normalise. */
  dimensions?: number | undefined;
  /**
   * 'truncate' (default) cuts a text over `maxTokens` and says so in `truncated`; 'refuse' fails
   * the call with INPUT_TOO_LONG naming the first such text, before anything is embedded.
   */
  overLength?: OverLength | undefined;
}

/** An EmbedRequest plus what only the caller's side holds: its signal and its batch callback. */
export interface EmbedOptions<Signal extends AbortSignalLike = AbortSignalLike> extends EmbedRequest {
  signal?: Signal | undefined;
  /**
   * Called after each batch with its vectors, so long jobs can stream results. Every call has
   * returned before the embed call resolves. In the browser a callback that throws is reported
   * (as an event listener's error is) and the embed call goes on.
   */
  onBatch?: ((progress: EmbedBatchProgress) => void) | undefined;
}

/** What `embedDetailed` gives: the vectors, and per text what was fed to the model. */
export interface EmbedDetails {
  /** One L2-normalised vector per text, in order (views into one buffer). */
  vectors: Float32Array[];
  /** Tokens fed to the model per text: the prompt (with a query's instruction) and the final `<|endoftext|>`, after truncation. */
  tokens: number[];
  /** Per text: whether it was cut to `maxTokens`. */
  truncated: boolean[];
}

/** The part of DOM's AbortSignal the core reads (core compiles without DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export type LoadPhase = 'resolve' | 'download' | 'verify' | 'compile' | 'upload' | 'warmup' | 'ready';

/**
 * One event of the load's progress stream. `download` events carry the file's bytes and the
 * whole load's: `totalBytes` is known before the first byte (HEAD / file sizes), counts every
 * file of the load (cached ones included) and `totalLoaded` ends exactly at it. `upload` events,
 * while the session is created, count the weight bytes onnxruntime has read so far (to GPU
 * buffers on WebGPU, to its heap on WASM): `totalBytes` is every external weight of the graph,
 * `totalLoaded` rises with the reads it makes and ends exactly at it once the session exists.
 */
export interface LoadProgress {
  phase: LoadPhase;
  file?: string;
  /** Bytes of `file` so far, and its size. */
  loaded?: number;
  total?: number;
  /** Bytes of the whole load so far, and its size. */
  totalLoaded?: number;
  totalBytes?: number;
  /** Network rate over the last seconds, and the time left at that rate. */
  bytesPerSecond?: number;
  etaSeconds?: number;
  /** The file came from the local cache, not the network. */
  fromCache?: boolean;
}

/**
 * What loading a model would download, measured before any weight byte is fetched
 * (`measureModelDownload`): the files the load would read for the dtype it would choose on this
 * device, with their sizes from the server (HEAD), a packed model's manifest or the Hub's listing.
 */
export interface ModelDownloadSize {
  model: string;
  dtype: Dtype;
  device: DeviceName;
  /** Every file the load reads (tokenizer, graph, external data); `size` undefined where the server gave none. */
  files: { path: string; size: number | undefined; cached: boolean }[];
  /** The sum of the known sizes: what a load with an empty cache fetches. */
  totalBytes: number;
  /** Bytes of those files already complete in this origin's model cache: a load reads them from there. */
  cachedBytes: number;
}

/**
 * Where a provider's vectors live: two providers with the same `id` make comparable vectors.
 * `prompting` is the policy (documents raw, queries `Instruct: {task}\nQuery:{text}`).
 */
export interface EmbeddingSpace {
  id: string;
  model: string;
  revision: string | undefined;
  dtype: string;
  prompting: string;
}

/** What was chosen at load and why; `info()` returns it. */
export interface EmbedderInfo {
  /** The embedding space of this model as loaded (model, revision, dtype, prompting policy). */
  space: EmbeddingSpace;
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
  /**
   * What the graph takes and gives, read from it. `activationQuantization`: 'per-row' when a q8
   * graph's quantisers were made per row at load (vectors independent of their batch-mates),
   * 'per-tensor' when some could not be (then they are not), 'none' for graphs without any.
   */
  graph: {
    positionIds: boolean;
    pastKeyValues: number;
    output: string;
    activationQuantization: 'none' | 'per-row' | 'per-tensor';
  };
  randomWeights: boolean;
  /** Whether files are kept in (and were read from) the origin's storage. */
  cached: boolean;
  /**
   * ms spent reading files and creating the session (`loadMs`), then on the WebGPU probe and the
   * warm-up runs (`warmupMs`); `shapes` times each of those runs.
   */
  coldStart: { loadMs: number; warmupMs: number; shapes: WarmupShape[] };
  /** WebGPU only: a probe text's cosine between WebGPU and WASM at load, and what followed. */
  canary: { cosine: number; action: 'kept webgpu' | 'switched to wasm' } | undefined;
  /**
   * `device: 'auto'` on a hardware WebGPU adapter only: WebGPU and WASM timed at load on one
   * short row (a WebGPU 3× faster wins there) and else on a document batch, the faster kept (a
   * near tie goes to WebGPU); or the verdict an earlier load on this adapter, model, revision,
   * dtype and onnxruntime build reached within 30 days. `deviceReason`
   * says the same in words. Undefined when no race applied (a forced device, a software or no
   * adapter) or when a device failed during it (then `fallback` or `deviceReason` says so).
   *
   * @example
   *   info().race // { shape: { rows: 4, length: 256 }, webgpuMs: 41.2, wasmMs: 130.5, runs: 1,
   *               //   winner: 'webgpu', remembered: false, decidedAt: '2026-12-06T10:00:00.000Z' }
   */
  race: BackendRace | undefined;
  /** Why the engine left WebGPU for WASM after loading (failed canary, lost device, repeated out-of-memory). */
  fallback: string | undefined;
  /** Tokens per batch now (halved after each GPU out-of-memory). */
  tokenBudget: number;
  /**
   * Only when the page configured a `remoteFallback`: that the tab was chosen, and why
   * (core/provider-choice.ts). Set on the page, never by the engine.
   */
  choice?: ProviderChoice | undefined;
}

/** Which provider serves a page that configured a remote fallback, and why (`info().choice`). */
export interface ProviderChoice {
  provider: 'local' | 'remote';
  reason: string;
}

/** WebGPU against WASM at load (`info().race`). */
export interface BackendRace {
  /** The batch that decided: rows × padded length in tokens, the same graph file on both devices. */
  shape: { rows: number; length: number };
  /** Each device's fastest timed run of that batch, in ms. */
  webgpuMs: number;
  wasmMs: number;
  /** Timed runs per device on `shape`: 3, or 1 when the first pair differed ≥ 3× or took 2 s (always 1 for the short row). */
  runs: number;
  winner: 'webgpu' | 'wasm';
  /** True when an earlier load's verdict was reused and nothing was raced this time. */
  remembered: boolean;
  /** When the race ran (ISO 8601). */
  decidedAt: string;
}

/**
 * One step at load: the WebGPU probe, the backend race (all its runs on both devices; `rows ×
 * length` is the batch that decided it, see `EmbedderInfo.race`), a one-row query, or a
 * full-budget batch.
 */
export interface WarmupShape {
  what: 'probe' | 'race' | 'query' | 'batch';
  rows: number;
  /** Padded length in tokens. */
  length: number;
  ms: number;
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

/** What the engine has done so far; `metrics()` returns it. Rates are over session time. */
export interface EmbedderMetrics {
  texts: number;
  /** Real tokens fed (padding excluded). */
  tokens: number;
  batches: number;
  tokensPerSecond: number;
  textsPerSecond: number;
  /** Share of fed positions that were padding. */
  paddingRatio: number;
  /** rows per batch → how many batches had that many rows. */
  batchRows: Record<number, number>;
  /** Per embed call, over the last 256 calls. */
  latencyMs: { p50: number; p95: number; calls: number };
  /** Batches waiting for the session now. */
  queueDepth: number;
  /** Bytes copied back from onnxruntime to JavaScript, in all and for the last batch. */
  bytesReadBack: number;
  bytesReadBackLastBatch: number;
}

/** Part of a long embed call, delivered as soon as its batch is done. */
export interface EmbedBatchProgress {
  /** Positions in the caller's list. */
  indices: number[];
  /** [indices.length × dimensions] */
  vectors: Float32Array;
  dimensions: number;
  /** Texts done so far in this call, and in all. */
  done: number;
  total: number;
}
