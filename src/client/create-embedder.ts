import * as Comlink from 'comlink';
import { EmbedError } from '../core/errors.ts';
import type {
  EmbedBatchProgress,
  EmbedDetails,
  EmbedderInfo,
  EmbedderMetrics,
  EmbedderOptions,
  EmbedOptions as CoreEmbedOptions,
  ModelSource,
} from '../core/types.ts';
import { validateEmbedOptions, validateOptionNames } from '../core/validate.ts';
import { installErrorWire } from '../protocol/error-wire.ts';
import { createRemoteEmbedder, type RemoteEmbedder, type RemoteOptions } from '../remote/remote-embedder.ts';
import type { EmbedWorkerApi } from '../protocol/worker-api.ts';
import { ORT_RUNTIME_FILES } from './ort-files.ts';
import { createWithFallback, type CreateEmbedderWithFallbackOptions } from './fallback-embedder.ts';
import { startEmbedWorker } from './start-worker.ts';
import { workerCalls, type WorkerCalls } from './worker-calls.ts';
import { watchWorkerLife, type WorkerLife } from './worker-life.ts';
// The bundled worker's URL (Vite's `?worker&url`): a plain `new URL('assets/…', import.meta.url)`
// in the library build, which downstream bundlers copy like any asset.
import EMBED_WORKER_URL from '../../workers/embed.worker.ts?worker&url';

/** Options of one embed call on the page: the request, a real AbortSignal and a batch callback. */
export type EmbedOptions = CoreEmbedOptions<AbortSignal>;

export interface Embedder {
  /** One L2-normalised vector per text, in order. Documents by default; `kind: 'query'` adds the instruction. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /**
   * `embed`, with what each text fed the model: `{ vectors, tokens: [4, 131], truncated: [false, true] }`.
   * With `overLength: 'refuse'` a text over maxTokens rejects the call with INPUT_TOO_LONG (its `index` set).
   */
  embedDetailed(texts: string[], options?: EmbedOptions): Promise<EmbedDetails>;
  embedQuery(text: string, options?: Omit<EmbedOptions, 'kind'>): Promise<Float32Array>;
  embedDocuments(texts: string[], options?: Omit<EmbedOptions, 'kind' | 'instruction'>): Promise<Float32Array[]>;
  /**
   * Tokens each text holds as a document, before truncation, its final `<|endoftext|>` not
   * counted: `countTokens(['hello world'])` → `[2]`. For cutting texts into chunks of a token size.
   */
  countTokens(texts: string[]): Promise<number[]>;
  info(): EmbedderInfo;
  /** Throughput, padding, latency percentiles, queue depth and bytes read back so far. */
  metrics(): Promise<EmbedderMetrics>;
  /**
   * A MessagePort that serves embedding (`EmbedPortApi`, over Comlink) to the worker you transfer
   * it to, so that worker's texts and vectors go straight between it and the embedding worker,
   * never through the page. The search page's search worker indexes through one.
   */
  createPort(): Promise<MessagePort>;
  dispose(): Promise<void>;
}

export interface CreateEmbedderOptions extends EmbedderOptions {
  /** A worker to use instead of starting one (e.g. from a bundler's own worker import). */
  worker?: Worker;
  signal?: AbortSignal;
}

/** Every option createEmbedder takes: the compiler keeps this list equal to the type's keys. */
const CREATE_EMBEDDER_OPTIONS = {
  model: true,
  dtype: true,
  device: true,
  maxTokens: true,
  onProgress: true,
  cache: true,
  idleTimeoutMs: true,
  worker: true,
  signal: true,
} satisfies Record<keyof CreateEmbedderOptions, true>;

/** `createEmbedder({ remote })`: an engine's `/v1/embeddings` instead of a model in this tab. */
export interface CreateRemoteEmbedderOptions {
  remote: RemoteOptions;
  /** Aborts the first-use probe. */
  signal?: AbortSignal;
}

/**
 * A remote engine (vLLM, SGLang, TEI, an OpenAI-compatible server, `tabembed serve`) as an
 * embedder: no worker, only fetch. Resolves once the probe texts came back (and, given
 * `remote.verifyAgainst`, matched that local embedder's vectors, cos ≥ 0.999 each).
 *
 * @example
 * const local = await createEmbedder({ model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX' });
 * const remote = await createEmbedder({
 *   remote: { baseURL: 'https://gpu.example/v1', model: 'Qwen/Qwen3-Embedding-0.6B', engine: 'vllm', verifyAgainst: local },
 * });
 * const [v] = await remote.embed(['a document'], { dimensions: 256 }); // Float32Array(256)
 * // Throws EmbedError: INVALID_OPTION, REMOTE_FAILED, REMOTE_REFUSED, INDEX_MISMATCH, ABORTED.
 */
export function createEmbedder(options: CreateRemoteEmbedderOptions): Promise<RemoteEmbedder>;
/**
 * With `remoteFallback` and `device: 'auto'` (the default): the model in a worker in this tab, or
 * the remote engine when this device cannot hold it (core/provider-choice.ts: memory, a phone,
 * no hardware WebGPU). `info().choice` says which and why. An explicit device never goes remote.
 *
 * @example
 * const embedder = await createEmbedder({
 *   model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
 *   remoteFallback: { remote: { baseURL: 'https://gpu.example/v1', model: 'Qwen/Qwen3-Embedding-0.6B', engine: 'vllm' } },
 * });
 * embedder.info().choice; // { provider: 'remote', reason: "loading the model takes about 1.33 GB at peak (…), more than half of this device's 2 GB" }
 * if (isRemoteEmbedder(embedder)) console.log('texts go to', embedder.info().baseURL);
 * // Throws what either provider throws.
 */
export function createEmbedder(options: CreateEmbedderWithFallbackOptions): Promise<Embedder | RemoteEmbedder>;
/**
 * Starts the embedding worker, loads the model in it and returns the API.
 *
 * @example
 * const embedder = await createEmbedder({ model: { url: '/models/qwen3-tiny/' } });
 * const [a, b] = await embedder.embed(['first text', 'second text']); // Float32Array(1024) each
 * const q = await embedder.embedQuery('what is tabembed?');           // Float32Array(1024)
 * // Throws EmbedError: INVALID_INPUT, INVALID_OPTION, MODEL_FILE_MISSING, MODEL_FETCH_FAILED,
 * // MODEL_CONFIG_INVALID, MODEL_GRAPH_UNSUPPORTED, DTYPE_UNAVAILABLE, DEVICE_UNAVAILABLE, SESSION_FAILED, ABORTED.
 */
export function createEmbedder(options?: CreateEmbedderOptions): Promise<Embedder>;
export async function createEmbedder(
  options: CreateEmbedderOptions | CreateRemoteEmbedderOptions | CreateEmbedderWithFallbackOptions = {},
): Promise<Embedder | RemoteEmbedder> {
  // From plain JavaScript `createEmbedder(null)` or a model id string reaches here; `'remote' in`
  // would throw a bare TypeError naming nothing.
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new EmbedError(
      'INVALID_OPTION',
      `createEmbedder takes an options object such as { model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX' }, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  if ('remote' in options) {
    validateOptionNames(options, ['remote', 'signal'], 'createEmbedder({ remote })');
    const remote = createRemoteEmbedder(options.remote);
    await remote.verify(options.signal);
    return remote;
  }
  if ('remoteFallback' in options)
    return createWithFallback(options, Object.keys(CREATE_EMBEDDER_OPTIONS), {
      local: createWorkerEmbedder,
      remote: (remote, signal) => createEmbedder({ remote, ...(signal ? { signal } : {}) }),
    });
  return createWorkerEmbedder(options);
}

async function createWorkerEmbedder(options: CreateEmbedderOptions): Promise<Embedder> {
  installErrorWire();
  // A misspelt option (`modle`) would otherwise be dropped here, and the load would quietly
  // fetch the default model from the Hub: refused before any worker starts.
  validateOptionNames(options, Object.keys(CREATE_EMBEDDER_OPTIONS), 'createEmbedder');
  const worker = options.worker ?? startEmbedWorker(EMBED_WORKER_URL);
  const remote = Comlink.wrap<EmbedWorkerApi>(worker);
  const calls = workerCalls(remote);
  let nextCallId = 0;
  let info: EmbedderInfo;
  let loading: Promise<EmbedderInfo> | undefined;
  let life: WorkerLife;
  try {
    life = await workerGuard(worker, watchWorkerLife(calls));
    const cache = options.cache ?? true;
    // Ask the browser not to evict our files under storage pressure (it may say no; that's fine).
    if (cache) void navigator.storage?.persist?.().catch(() => false);
    const loadId = nextCallId++;
    const onAbort = (): void => void calls.cancel(loadId);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    loading = calls.load(
      loadId,
      {
        model: absolute(options.model),
        dtype: options.dtype ?? 'auto',
        device: options.device ?? 'auto',
        maxTokens: options.maxTokens,
        cache,
        idleTimeoutMs: options.idleTimeoutMs,
        runtimeFiles: ORT_RUNTIME_FILES,
      },
      options.onProgress ? Comlink.proxy(options.onProgress) : undefined,
    );
    info = await workerGuard(worker, abortable(life.race(loading), options.signal)).finally(() =>
      options.signal?.removeEventListener('abort', onAbort),
    );
  } catch (error) {
    if (!options.worker) endAfter(loading, worker);
    throw error;
  }

  // After dispose() the Comlink proxy is released and would throw its own untyped Error; every
  // call says NOT_LOADED instead, so callers (the OpenAI route answers 503) can tell what happened.
  let disposed = false;
  // A worker that ended by itself says so on every later call, as its calls in flight did.
  let ended: Error | undefined;
  life.ended.catch((error: unknown) => (ended = error instanceof Error ? error : new Error(String(error))));
  const live = (): WorkerCalls => {
    if (disposed)
      throw new EmbedError('NOT_LOADED', 'this embedder was disposed: create a new one with createEmbedder()');
    if (ended) throw ended;
    return calls;
  };

  const embedDetailed = async (texts: string[], opts: EmbedOptions = {}): Promise<EmbedDetails> => {
    // Here, not only in the worker: only the options below cross, so the worker never sees a misspelt one.
    validateEmbedOptions(opts);
    const api = live();
    const callId = nextCallId++;
    const { signal, onBatch: callback, kind, instruction, dimensions, overLength } = opts;
    const onAbort = (): void => void api.cancel(callId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Rows that arrive by batch are kept here: the worker then sends no final buffer.
      let assembled: Float32Array | undefined;
      const keep = ({ indices, vectors, dimensions }: EmbedBatchProgress): void => {
        assembled ??= new Float32Array(texts.length * dimensions);
        indices.forEach((index, r) =>
          assembled?.set(vectors.subarray(r * dimensions, (r + 1) * dimensions), index * dimensions),
        );
      };
      // As with an event listener, a throwing callback is reported and the call goes on.
      const onBatch = callback
        ? Comlink.proxy((progress: EmbedBatchProgress) => {
            keep(progress);
            try {
              callback(progress);
            } catch (error) {
              reportError(error);
            }
          })
        : undefined;
      // The request alone crosses: a signal or a callback cannot be cloned.
      const request = { kind, instruction, dimensions, overLength };
      const result = await abortable(life.race(api.embed(callId, texts, request, onBatch)), signal);
      info = result.info;
      const buffer = result.vectors ?? assembled;
      if (!buffer) throw new EmbedError('WORKER_FAILED', 'the worker returned no vectors');
      // Views into one buffer: no copy per vector.
      const vectors = result.tokens.map((_, i) => buffer.subarray(i * result.dimensions, (i + 1) * result.dimensions));
      return { vectors, tokens: result.tokens, truncated: result.truncated };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
  const embed = async (texts: string[], opts: EmbedOptions = {}): Promise<Float32Array[]> =>
    (await embedDetailed(texts, opts)).vectors;

  return {
    embed,
    embedDetailed,
    async embedQuery(text, opts = {}) {
      const [vector] = await embed([text], { ...opts, kind: 'query' });
      if (!vector) throw new Error('the worker returned no vector');
      return vector;
    },
    embedDocuments: (texts, opts = {}) => embed(texts, { ...opts, kind: 'document' }),
    countTokens: async (texts) => life.race(live().countTokens(texts)),
    info: () => info,
    metrics: async () => life.race(live().metrics()),
    async createPort() {
      const { port1, port2 } = new MessageChannel();
      await life.race(live().connect(Comlink.transfer(port1, [port1])));
      return port2;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await calls.dispose();
      remote[Comlink.releaseProxy]();
      if (!options.worker) worker.terminate();
    },
  };
}

/** Relative model URLs are meant relative to the page, but the worker lives elsewhere. */
export function absolute(model: ModelSource | undefined): ModelSource | undefined {
  if (typeof model === 'object' && 'url' in model) return { url: new URL(model.url, location.href).href };
  return model;
}

/**
 * A worker whose script fails to load (offline without a cached app shell, a CSP refusal, a
 * bundling mistake) fires 'error' and never answers: without this the load would hang forever.
 */
export function workerGuard<T>(worker: Worker, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (event: Event): void => {
      const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
      reject(
        new EmbedError(
          'WORKER_FAILED',
          `the embedding worker could not start${detail}; check that the worker script and /ort/ files are reachable from this page`,
        ),
      );
    };
    worker.addEventListener('error', onError, { once: true });
    promise.then(resolve, reject).finally(() => worker.removeEventListener('error', onError));
  });
}

/** How long a failed or aborted load may take to close its cache files before its worker is ended anyway. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Ends the worker once its load has settled (bounded by CLOSE_GRACE_MS), not at once: an
 * aborted load rejects for the caller right away, but the worker is still closing the cache
 * files it was writing. Terminated first, it leaves their OPFS access handles to be released
 * by the browser later, and a load started meanwhile was refused them (NoModificationAllowedError,
 * the delivery abort spec, 3 runs in 5 on a loaded machine before this and the cache's Web Lock).
 */
function endAfter(loading: Promise<unknown> | undefined, worker: Worker): void {
  if (!loading) {
    worker.terminate();
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
  void Promise.race([
    loading.then(
      () => undefined,
      () => undefined,
    ),
    grace,
  ]).then(() => {
    clearTimeout(timer);
    worker.terminate();
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted)
    return Promise.reject(new EmbedError('ABORTED', 'aborted before it started', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new EmbedError('ABORTED', 'aborted by the caller', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
