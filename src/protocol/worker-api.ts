/**
 * The one protocol between the page and the embedding worker. Types only: the worker's `api`
 * object must satisfy `EmbedWorkerApi` (checked by the compiler in workers/embed.worker.ts)
 * and the client talks to it as `Comlink.Remote<EmbedWorkerApi>`.
 */
import type {
  DeviceChoice,
  DeviceName,
  Dtype,
  EmbedBatchProgress,
  EmbedderInfo,
  EmbedderMetrics,
  EmbedRequest,
  LoadProgress,
  ModelSource,
} from '../core/types.ts';

export interface WorkerLoadOptions {
  /** Already absolute: the client resolves relative URLs against the page, not the worker. */
  model: ModelSource | undefined;
  dtype: Dtype | 'auto';
  device: DeviceChoice;
  maxTokens: number | undefined;
  /** Keep downloaded files in the origin's storage (OPFS) and reuse them. */
  cache: boolean;
  /** See EmbedderOptions.idleTimeoutMs; undefined: the default. */
  idleTimeoutMs: number | undefined;
  /**
   * Absolute URLs of onnxruntime-web's runtime files, when the page knows them (the library
   * build, whose bundler placed them); absent, the worker looks in `<base>ort/` (the app build).
   */
  runtimeFiles: OrtRuntimeFiles | undefined;
}

/**
 * onnxruntime-web's runtime files for each build the worker may choose (src/engine/ort-web-build.ts):
 * a glue script and its wasm. The worker loads one build, so a page downloads one pair.
 */
export interface OrtRuntimeFiles {
  jspi: OrtBuildFiles;
  asyncify: OrtBuildFiles;
  plain: OrtBuildFiles;
}

export interface OrtBuildFiles {
  mjs: string;
  wasm: string;
}

/** What `measure` found: the page adds which files its cache holds (client/model-download.ts). */
export interface WorkerDownloadPlan {
  model: string;
  dtype: Dtype;
  device: DeviceName;
  files: { path: string; size: number | undefined }[];
  /** The model's folder in the OPFS cache (core/cache-manifest.ts); undefined for picked files. */
  cacheKey: string | undefined;
}

export interface WorkerEmbedResult {
  /**
   * [n × dimensions], transferred, in the caller's order. Absent when the call had an onBatch:
   * every row already crossed in a batch, and the page assembled them.
   */
  vectors: Float32Array | undefined;
  dimensions: number;
  tokens: number[];
  truncated: boolean[];
  /** The engine's state after the call (the device may have changed after a GPU failure). */
  info: EmbedderInfo;
}

export interface EmbedWorkerApi {
  /**
   * Takes the Web Lock `name` for the rest of the worker's life and resolves once it holds it.
   * The page then queues for the same lock: the browser grants it when this worker ends, however
   * it ends (terminated, crashed), which nothing else tells the page (client/worker-life.ts).
   */
  holdLife(name: string): Promise<void>;
  /** The lock `holdLife` took, if any: a connected worker watches it too (core/worker-end.ts). */
  lifeLock(): Promise<string | undefined>;
  /** `callId` lets `cancel` abort the load too. */
  load(callId: number, options: WorkerLoadOptions, onProgress?: (event: LoadProgress) => void): Promise<EmbedderInfo>;
  /**
   * The files a load with these options would read and their sizes, before any of their bytes:
   * config.json and the sizes only (no cache entry is opened, so no other load waits for this).
   */
  measure(
    options: Pick<WorkerLoadOptions, 'model' | 'dtype' | 'device' | 'idleTimeoutMs'>,
  ): Promise<WorkerDownloadPlan>;
  /** `callId` lets `cancel` reach this call: an AbortSignal cannot cross postMessage. */
  embed(
    callId: number,
    texts: string[],
    request: EmbedRequest,
    onBatch?: (progress: EmbedBatchProgress) => void,
  ): Promise<WorkerEmbedResult>;
  /** Content tokens per text (final `<|endoftext|>` not counted), for sizing chunks. */
  countTokens(texts: string[]): Promise<number[]>;
  metrics(): Promise<EmbedderMetrics>;
  cancel(callId: number): void;
  info(): Promise<EmbedderInfo>;
  /**
   * Serves EmbedPortApi on `port` (transferred: one end of a MessageChannel the page made), so
   * that another worker embeds without the page in between. Its call ids are its own.
   */
  connect(port: MessagePort): void;
  dispose(): Promise<void>;
}

/**
 * What the embed worker serves on a connected port: embedding, not the worker's life (no load,
 * no dispose). The search worker indexes through one, so texts and vectors cross between the two
 * workers once and never through the page.
 */
export type EmbedPortApi = Pick<EmbedWorkerApi, 'embed' | 'cancel' | 'info' | 'lifeLock'>;
