/**
 * The browser's proposed built-in embedding API, today, on Qwen3-Embedding: `SemanticEmbedder`
 * with `availability()`, `create({ monitor, signal })`, `embed(input, { taskType, signal })`
 * and `destroy()`, in the shape of Chrome's proposal as its own polyfill implements it
 * (GoogleChromeLabs/web-ai-demos, built-in-ai-task-apis-polyfills/semantic-embedder-api-polyfill.js:
 * the five task types, a raw string when no task type is given, `downloadprogress` events with
 * `loaded` in 0…1, results as `{ embeddings: [{ values, statistics }], metadata }`). Code written
 * for the built-in runs on tabembed's worker unchanged; the model and where it comes from are
 * tabembed's own options.
 *
 * @example
 * const embedder = await SemanticEmbedder.create({
 *   model: { url: '/models/qwen3-tiny/' },
 *   monitor: (m) => m.addEventListener('downloadprogress', (e) => console.log(e.loaded)), // 0 … 1
 * });
 * const { embeddings, metadata } = await embedder.embed(['a passage', 'another'], { taskType: 'retrieval-document' });
 * embeddings[0].values;      // Float32Array(hidden size), L2-normalised
 * embeddings[0].statistics;  // { tokenCount: 3, truncated: false }
 * metadata;                  // { embeddingSpace: '["onnx-community/…","c25a…","q8","documents raw; …"]', maxInputTokens: 8192 }
 * // Throws EmbedError INVALID_OPTION (an unknown taskType), INVALID_INPUT, and createEmbedder's load errors;
 * // an aborted call rejects with its signal's reason, a destroyed embedder with the reason given to destroy().
 */
import { EmbedError } from '../core/errors.ts';
import { DEFAULT_MODEL_ID } from '../core/model-text.ts';
import { DEFAULT_INSTRUCTION, type TextKind } from '../core/prompt.ts';
import type { EmbedderOptions, LoadProgress, ModelSource } from '../core/types.ts';
import { listCachedModels } from './cache-catalog.ts';
import { createEmbedder, type Embedder } from './create-embedder.ts';

export type EmbedderTaskType =
  'semantic-similarity' | 'retrieval-query' | 'retrieval-document' | 'classification' | 'clustering';

export type EmbedderAvailability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

/**
 * Each task type as Qwen3-Embedding is prompted for it. Qwen3 instructs the query side only
 * (`Instruct: {task}\nQuery:{text}`); documents are raw. The symmetric tasks (similarity,
 * classification, clustering) compare texts of one kind, so every text gets the instruction,
 * as Qwen3-Embedding's own evaluation prompts them; the wording of the three is ours.
 */
const TASKS: Record<EmbedderTaskType, { kind: TextKind; instruction?: string }> = {
  'retrieval-query': { kind: 'query', instruction: DEFAULT_INSTRUCTION },
  'retrieval-document': { kind: 'document' },
  'semantic-similarity': { kind: 'query', instruction: 'Retrieve semantically similar text' },
  classification: { kind: 'query', instruction: 'Classify the given text by its topic' },
  clustering: { kind: 'query', instruction: 'Identify the main topic of the given text' },
};

export interface SemanticEmbedderCreateOptions extends Pick<
  EmbedderOptions,
  'model' | 'dtype' | 'device' | 'maxTokens'
> {
  /** Receives an EventTarget that fires `downloadprogress` (a ProgressEvent, `loaded` from 0 to 1) while the model loads. */
  monitor?: (monitor: EventTarget) => void;
  /** Aborts the load; once created, aborting it destroys the embedder. */
  signal?: AbortSignal;
}

export interface SemanticEmbedOptions {
  /** Absent: each string is embedded as it is (a Qwen3 document). */
  taskType?: EmbedderTaskType;
  signal?: AbortSignal;
}

export interface SemanticEmbedding {
  values: Float32Array;
  /** Tokens the model read (instruction and final `<|endoftext|>` included); `truncated`: the text was cut to `maxInputTokens`. */
  statistics: { tokenCount: number; truncated: boolean };
}

export interface SemanticEmbedResult {
  embeddings: SemanticEmbedding[];
  /** Vectors of one `embeddingSpace` only compare with each other: store it beside them. */
  metadata: { embeddingSpace: string; maxInputTokens: number };
}

/** Models whose create() is under way in this page, by the cache id they will have. */
const downloading = new Set<string>();

export class SemanticEmbedder {
  #embedder: Embedder | undefined;
  #destroyed: unknown;
  readonly #calls = new Set<(reason: unknown) => void>();

  private constructor(embedder: Embedder) {
    this.#embedder = embedder;
  }

  /** 'available' once the model's files are in this origin's cache, 'downloading' while a create() fetches them. */
  static async availability(options: Pick<SemanticEmbedderCreateOptions, 'model'> = {}): Promise<EmbedderAvailability> {
    if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') return 'unavailable';
    const id = cacheId(options.model);
    if (downloading.has(id)) return 'downloading';
    const cached = await listCachedModels().catch(() => []);
    const model = cached.find((m) => m.id === id);
    const complete = model?.files.some((f) => f.path.startsWith('onnx/') && f.path.endsWith('.onnx'));
    return complete ? 'available' : 'downloadable';
  }

  static async create(options: SemanticEmbedderCreateOptions = {}): Promise<SemanticEmbedder> {
    const { monitor, signal, ...load } = options;
    signal?.throwIfAborted();
    const target = new EventTarget();
    monitor?.(target);
    const progress = (loaded: number): boolean =>
      target.dispatchEvent(new ProgressEvent('downloadprogress', { loaded, total: 1, lengthComputable: true }));
    const id = cacheId(load.model);
    downloading.add(id);
    let embedder: Embedder;
    try {
      progress(0);
      embedder = await createEmbedder({
        ...load,
        ...(signal ? { signal } : {}),
        onProgress: (event: LoadProgress) => {
          // Never 1 before the load ends: the session and its warm-up come after the last byte.
          // Downloads only: the upload's own count starts again at 0 and would move the bar back.
          if (event.phase === 'download' && event.totalBytes)
            progress(Math.min(0.99, (event.totalLoaded ?? 0) / event.totalBytes));
        },
      });
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    } finally {
      downloading.delete(id);
    }
    progress(1);
    const created = new SemanticEmbedder(embedder);
    signal?.addEventListener('abort', () => created.destroy(signal.reason), { once: true });
    return created;
  }

  async embed(input: string | string[], options: SemanticEmbedOptions = {}): Promise<SemanticEmbedResult> {
    const { taskType, signal } = options;
    const embedder = this.#live();
    signal?.throwIfAborted();
    if (taskType !== undefined && !Object.hasOwn(TASKS, taskType))
      throw new EmbedError(
        'INVALID_OPTION',
        `taskType must be one of ${Object.keys(TASKS).join(', ')}, or absent for a raw string; got ${JSON.stringify(taskType)}`,
      );
    const task = taskType === undefined ? { kind: 'document' as const } : TASKS[taskType];
    const texts = typeof input === 'string' ? [input] : input;
    const { space, maxTokens } = embedder.info();
    // The id every provider reports (core/embedding-space.ts): vectors of one id compare.
    const metadata = { embeddingSpace: space.id, maxInputTokens: maxTokens };
    if (texts.length === 0) return { embeddings: [], metadata };
    // destroy() rejects calls in flight with its reason, as the built-in does.
    const destroyed = new Promise<never>((_, reject) => this.#calls.add(reject));
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const details = await Promise.race([
        embedder.embedDetailed(texts, { ...task, overLength: 'truncate', signal: stop.signal }),
        destroyed,
      ]);
      return {
        embeddings: details.vectors.map((values, i) => ({
          values,
          statistics: { tokenCount: details.tokens[i] ?? 0, truncated: details.truncated[i] ?? false },
        })),
        metadata,
      };
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  /** Ends the embedder: its worker goes, calls in flight and later reject with `reason`. */
  destroy(reason: unknown = new DOMException('The embedder has been destroyed.', 'AbortError')): void {
    if (this.#destroyed !== undefined) return;
    this.#destroyed = reason;
    for (const reject of this.#calls) reject(reason);
    this.#calls.clear();
    void this.#embedder?.dispose();
    this.#embedder = undefined;
  }

  #live(): Embedder {
    if (this.#destroyed !== undefined || !this.#embedder) throw this.#destroyed;
    return this.#embedder;
  }
}

/** What `installSemanticEmbedder` defines: the static side of the built-in's interface. */
export interface SemanticEmbedderGlobal {
  availability(options?: Pick<SemanticEmbedderCreateOptions, 'model'>): Promise<EmbedderAvailability>;
  create(options?: SemanticEmbedderCreateOptions): Promise<SemanticEmbedder>;
}

/**
 * Defines `globalThis.SemanticEmbedder`, so code written for the built-in runs unchanged, with
 * `defaults` (which model, dtype, device) under every `create()` and `availability()`. A browser
 * that has its own is left alone unless `force`; returns whichever is installed.
 *
 * @example
 * installSemanticEmbedder({ model: { url: '/models/qwen3-tiny/' } });
 * const embedder = await SemanticEmbedder.create(); // code as written for the built-in
 */
export function installSemanticEmbedder(
  defaults: Omit<SemanticEmbedderCreateOptions, 'monitor' | 'signal'> = {},
  { force = false }: { force?: boolean } = {},
): SemanticEmbedderGlobal {
  const existing: unknown = Reflect.get(globalThis, 'SemanticEmbedder');
  if (isSemanticEmbedderGlobal(existing) && !force) return existing;
  const installed: SemanticEmbedderGlobal = {
    availability: (options = {}) => SemanticEmbedder.availability({ ...defaults, ...options }),
    create: (options = {}) => SemanticEmbedder.create({ ...defaults, ...options }),
  };
  // defineProperty, not assignment: a browser's own interface object is configurable but may not be writable.
  Object.defineProperty(globalThis, 'SemanticEmbedder', { value: installed, writable: true, configurable: true });
  return installed;
}

function isSemanticEmbedderGlobal(value: unknown): value is SemanticEmbedderGlobal {
  return (
    (typeof value === 'function' || typeof value === 'object') &&
    value !== null &&
    typeof Reflect.get(value, 'create') === 'function' &&
    typeof Reflect.get(value, 'availability') === 'function'
  );
}

/** The id the model cache files a source under (src/model/model-source.ts): a Hub id, or a folder's absolute URL. */
function cacheId(model: ModelSource | undefined): string {
  if (model === undefined) return DEFAULT_MODEL_ID;
  if (typeof model === 'string') return model;
  if ('url' in model) return new URL(model.url, location.href).href;
  return 'hub' in model ? model.hub : '(local files)';
}
