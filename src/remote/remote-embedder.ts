/**
 * The remote provider: the local embedder's surface over an engine's `/v1/embeddings` (vLLM,
 * SGLang, TEI, any OpenAI-compatible server, `tabembed serve`). Everything that decides the
 * embedding space happens here, not on the engine: the Qwen3 prompt (core/prompt.ts), the
 * Matryoshka cut and L2 (core/matryoshka.ts). At first use it embeds the probe set and, given a
 * local model, proves both make the same vectors (probe.ts).
 */
import { EngineMetrics } from '../core/embed-metrics.ts';
import { embeddingSpace } from '../core/embedding-space.ts';
import { EmbedError } from '../core/errors.ts';
import { truncateAndNormalize } from '../core/matryoshka.ts';
import { buildPrompt, DEFAULT_INSTRUCTION } from '../core/prompt.ts';
import type { EmbedderMetrics, EmbeddingSpace, EmbedOptions, ProviderChoice } from '../core/types.ts';
import {
  validateDimensions,
  validateEmbedOptions,
  validateInstruction,
  validateKind,
  validateOverLength,
  validateTexts,
} from '../core/validate.ts';
import type { RemoteEngine } from './dialects.ts';
import { readEmbeddingsAnswer } from './embeddings-answer.ts';
import { postJson, type Endpoint } from './post-json.ts';
import { compareProbes, localProbeVectors, PROBES, type ProbeReport } from './probe.ts';
import { remoteConfig, type RemoteConfig, type RemoteOptions } from './remote-options.ts';
import { untilAborted } from './retry.ts';
import { Slots } from './slots.ts';

/** Options of one embed call: the local embedder's, with a real AbortSignal. */
export type RemoteEmbedOptions = EmbedOptions<AbortSignal>;

/** `info()` of a remote provider. */
export interface RemoteEmbedderInfo {
  provider: 'remote';
  /** The space it claims (model, revision, dtype, prompting policy); `probe.verifiedAgainst` says whether it was proven. */
  space: EmbeddingSpace;
  model: string;
  revision: string | undefined;
  dtype: string;
  /** Where the vectors come from (no credentials), and in whose dialect. */
  baseURL: string;
  engine: RemoteEngine;
  /** Full vector width; undefined until the probe answered when nothing named it. */
  hiddenSize: number | undefined;
  batchSize: number;
  concurrency: number;
  /** Undefined until first use. */
  probe: ProbeReport | undefined;
  /**
   * Only when this provider came from `createEmbedder({ remoteFallback })`: why the page's texts
   * go to this engine rather than a model in the tab (core/provider-choice.ts).
   */
  choice?: ProviderChoice | undefined;
}

export interface RemoteEmbedder {
  /** One L2-normalised vector per text, in order; `kind: 'query'` adds the instruction here, before sending. */
  embed(texts: string[], options?: RemoteEmbedOptions): Promise<Float32Array[]>;
  embedQuery(text: string, options?: Omit<RemoteEmbedOptions, 'kind'>): Promise<Float32Array>;
  embedDocuments(texts: string[], options?: Omit<RemoteEmbedOptions, 'kind' | 'instruction'>): Promise<Float32Array[]>;
  /** Rejects with UNSUPPORTED: the engine's tokenizer is not reachable through `/v1/embeddings`. */
  countTokens(texts: string[]): Promise<number[]>;
  info(): RemoteEmbedderInfo;
  metrics(): Promise<EmbedderMetrics>;
  /** Runs the first-use probe now (once; later calls return its report). */
  verify(signal?: AbortSignal): Promise<ProbeReport>;
  /** Waits for calls in flight; then every call rejects with NOT_LOADED. */
  dispose(): Promise<void>;
}

/**
 * @example
 * const remote = createRemoteEmbedder({ baseURL: 'http://gpu:8000/v1', model: 'Qwen/Qwen3-Embedding-0.6B', engine: 'vllm' });
 * const [a, b] = await remote.embed(['first', 'second'], { dimensions: 256 }); // Float32Array(256) each
 * // Throws EmbedError: INVALID_INPUT, INVALID_OPTION, REMOTE_FAILED, REMOTE_REFUSED, INDEX_MISMATCH, ABORTED, NOT_LOADED.
 */
export function createRemoteEmbedder(options: RemoteOptions): RemoteEmbedder {
  const config = remoteConfig(options);
  const endpoint: Endpoint = {
    url: config.url,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
    onRetry: config.onRetry,
  };
  const slots = new Slots(config.concurrency);
  const stats = new EngineMetrics();
  const pending = new Set<Promise<unknown>>();
  let hiddenSize = config.hiddenSize;
  let probe: ProbeReport | undefined;
  let probing: Promise<ProbeReport> | undefined;
  let disposed = false;

  /** One request of already-prompted texts → their vectors at `width`, cut and normalised to `dimensions`. */
  const request = async (inputs: string[], dimensions: number | undefined, signal: AbortSignal | undefined) => {
    const sendDimensions = config.dialect.sendsDimensions && dimensions !== undefined && dimensions !== hiddenSize;
    const body = {
      model: config.model,
      input: inputs,
      encoding_format: config.encoding,
      ...(sendDimensions ? { dimensions } : {}),
    };
    const answer = await slots.run(() => postJson(endpoint, body, signal), signal);
    // An engine that ignores `dimensions` answers full width, which is cut here like any other.
    const widths = [hiddenSize, sendDimensions ? dimensions : undefined].filter((w) => w !== undefined);
    const { vectors, promptTokens } = readEmbeddingsAnswer(answer, {
      url: config.url,
      count: inputs.length,
      model: config.model,
      widths,
    });
    // The engine pads out of sight: recorded as unpadded (padding ratio 0), its token total as the real tokens.
    const tokens = promptTokens ?? 0;
    const bytes = vectors.length * (vectors[0]?.length ?? 0) * 4;
    stats.recordBatch(inputs.length, tokens / inputs.length, tokens, slots.takeBusyMs(), bytes);
    return vectors.map((vector) => truncateAndNormalize(vector, dimensions ?? vector.length));
  };

  const runProbe = async (): Promise<ProbeReport> => {
    if (disposed) throw new EmbedError('NOT_LOADED', 'this embedder was disposed; create a new one');
    const prompts = PROBES.map((p) => buildPrompt(p.text, p.kind, DEFAULT_INSTRUCTION));
    const remote = await request(prompts, undefined, undefined);
    hiddenSize ??= remote[0]?.length;
    const local = config.verifyAgainst;
    if (!local)
      return { probes: PROBES.length, verifiedAgainst: undefined, minCosine: undefined, worstProbe: undefined };
    return compareProbes(remote, await localProbeVectors(local), config.minCosine, config.url, local.info().space);
  };

  const verify = (signal?: AbortSignal): Promise<ProbeReport> => {
    // One probe for every caller: kept while it runs and once it succeeded, dropped when it failed
    // so the next call tries again (the engine may have been starting). It runs on no caller's
    // signal, so one caller giving up leaves it to the others (its requests have their timeout).
    probing ??= runProbe().then(
      (report) => (probe = report),
      (error: unknown) => {
        probing = undefined;
        throw error;
      },
    );
    return untilAborted(probing, signal);
  };

  const embedNow = async (texts: string[], opts: RemoteEmbedOptions): Promise<Float32Array[]> => {
    const started = performance.now();
    const { signal, onBatch } = opts;
    await verify(signal);
    const dimensions = validateDimensions(opts.dimensions, hiddenSize ?? 0);
    const kind = validateKind(opts.kind);
    const prompts = texts.map((text) => buildPrompt(text, kind, opts.instruction ?? DEFAULT_INSTRUCTION));
    const out = new Float32Array(texts.length * dimensions);
    // The first failure stops the requests not yet sent; the caller gets every vector or one error.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let done = 0;
    try {
      const starts = Array.from({ length: Math.ceil(texts.length / config.batchSize) }, (_, b) => b * config.batchSize);
      await Promise.all(
        starts.map(async (start) => {
          const end = Math.min(texts.length, start + config.batchSize);
          try {
            const vectors = await request(prompts.slice(start, end), dimensions, stop.signal);
            vectors.forEach((vector, r) => out.set(vector, (start + r) * dimensions));
            done += vectors.length;
            const indices = Array.from({ length: end - start }, (_, r) => start + r);
            onBatch?.({
              indices,
              vectors: out.slice(start * dimensions, end * dimensions),
              dimensions,
              done,
              total: texts.length,
            });
          } catch (error) {
            stop.abort(error);
            throw error;
          }
        }),
      );
    } catch (error) {
      // A request aborted because a sibling failed reports ABORTED; the sibling's error is the news.
      if (signal?.aborted) throw new EmbedError('ABORTED', 'the embed call was aborted', { cause: signal.reason });
      throw stop.signal.reason instanceof EmbedError ? stop.signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    stats.recordCall(performance.now() - started);
    return texts.map((_, i) => out.subarray(i * dimensions, (i + 1) * dimensions));
  };

  const embed = (texts: string[], opts: RemoteEmbedOptions = {}): Promise<Float32Array[]> => {
    try {
      validateTexts(texts);
      validateEmbedOptions(opts);
      validateKind(opts.kind);
      validateInstruction(opts.instruction);
      if (validateOverLength(opts.overLength) === 'refuse')
        throw new EmbedError(
          'UNSUPPORTED',
          'overLength "refuse" needs token counts, which a remote engine does not give; its own limit applies (vLLM --max-model-len, TEI --auto-truncate)',
        );
      if (disposed) throw new EmbedError('NOT_LOADED', 'this embedder was disposed; create a new one');
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const run = embedNow(texts, opts);
    pending.add(run);
    void run.catch(() => undefined).finally(() => pending.delete(run));
    return run;
  };

  return {
    embed,
    async embedQuery(text, opts = {}) {
      const [vector] = await embed([text], { ...opts, kind: 'query' });
      if (!vector) throw new Error('unreachable: one text gives one vector');
      return vector;
    },
    embedDocuments: (texts, opts = {}) => embed(texts, { ...opts, kind: 'document' }),
    countTokens: () =>
      Promise.reject(
        new EmbedError(
          'UNSUPPORTED',
          'countTokens is not available on a remote engine: its tokenizer is not reached through /v1/embeddings; count with a local embedder of the same model',
        ),
      ),
    info: () => info(config, hiddenSize, probe),
    metrics: () => Promise.resolve(stats.snapshot(slots.waiting)),
    verify,
    async dispose() {
      disposed = true;
      await Promise.allSettled([...pending]);
    },
  };
}

function info(
  config: RemoteConfig,
  hiddenSize: number | undefined,
  probe: ProbeReport | undefined,
): RemoteEmbedderInfo {
  return {
    provider: 'remote',
    space: embeddingSpace(config.model, config.revision, config.dtype),
    model: config.model,
    revision: config.revision,
    dtype: config.dtype,
    baseURL: config.baseURL,
    engine: config.engine,
    hiddenSize,
    batchSize: config.batchSize,
    concurrency: config.concurrency,
    probe,
  };
}

export type { RemoteOptions } from './remote-options.ts';
export type { ProbeReport, LocalReference } from './probe.ts';
export type { RetryEvent } from './post-json.ts';
export type { RemoteEngine } from './dialects.ts';
