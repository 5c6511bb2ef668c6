import { embeddingSpace } from '../core/embedding-space.ts';
import { EmbedError } from '../core/errors.ts';
import { ensureFinalEos, truncateKeepingEos } from '../core/final-token.ts';
import { leftPad } from '../core/left-pad.ts';
import { truncateAndNormalize } from '../core/matryoshka.ts';
import { toModelIds } from '../core/model-ids.ts';
import { planBatches, type PlanLimits } from '../core/planner.ts';
import { buildPrompt, DEFAULT_INSTRUCTION, type TextKind } from '../core/prompt.ts';
import type { EmbedderInfo, EmbedderMetrics, EmbedOptions, OverLength } from '../core/types.ts';
import {
  describeInput,
  validateDimensions,
  validateDtype,
  validateEmbedOptions,
  validateInstruction,
  validateKind,
  validateMaxTokens,
  validateOverLength,
  validateTexts,
} from '../core/validate.ts';
import { shouldRace } from './backend-race.ts';
import { RaceMemory } from './device-race.ts';
import { EngineDevice } from './engine-device.ts';
import { EngineMetrics } from '../core/embed-metrics.ts';
import { loadModel, type LoadedModel, type LoadRequest } from './load-model.ts';
import { PriorityLock, type Priority } from './priority-lock.ts';
import type { VerdictStore } from './race-verdict.ts';
import type { BatchOutput } from './run-batch.ts';
import { warmupPlan, type WarmupPlan } from './warm-up.ts';

export interface EngineEmbedOptions extends EmbedOptions<AbortSignal> {
  /** 'high' (queries) overtakes 'normal' (documents) between batches. Queries default to high. */
  priority?: Priority;
}

/** Vectors for n texts, row-major in one buffer so it can be transferred, in the caller's order. */
export interface EmbedBatchResult {
  vectors: Float32Array; // [n × dimensions]
  dimensions: number;
  /** Tokens fed to the model per text, `<|endoftext|>` included. */
  tokens: number[];
  /** Per text: whether it was cut to maxTokens. */
  truncated: boolean[];
}

export interface EngineIdentity {
  model: string;
  revision: string | undefined;
  maxTokens?: number;
  /** Whether the files go through a persistent cache. */
  cached?: boolean;
}

export interface EngineOptions {
  /** Where backend-race verdicts are kept between loads (the browser worker: OPFS); absent, every eligible load races. */
  verdicts?: VerdictStore;
}

/**
 * One loaded model and its session. Every batch takes the session lock, so runs are serialised
 * (onnxruntime sessions must not run concurrently) and a query waits for at most one batch of a
 * long indexing job.
 */
export class EmbedEngine {
  private readonly lock = new PriorityLock();
  private readonly stats = new EngineMetrics();
  private readonly pending = new Set<Promise<unknown>>();
  private disposed = false;

  private constructor(
    private readonly model: LoadedModel,
    private readonly request: LoadRequest,
    private readonly identity: Required<Pick<EngineIdentity, 'maxTokens'>> & EngineIdentity,
    /** The session batches run on, and what may change it (probe, race, GPU recovery). */
    private readonly device: EngineDevice,
    private readonly coldStart: EmbedderInfo['coldStart'],
  ) {}

  static async load(request: LoadRequest, identity: EngineIdentity, options: EngineOptions = {}): Promise<EmbedEngine> {
    // Checked here, before any download, so the browser and the CLI share one rule.
    const requestedMaxTokens = validateMaxTokens(identity.maxTokens);
    validateDtype(request.dtype);
    const started = performance.now();
    const { adapter, runtime } = request;
    const memory =
      adapter && shouldRace(request.device, adapter, runtime.devices)
        ? new RaceMemory(options.verdicts, adapter, identity, runtime.name)
        : undefined;
    const model = await loadModel(
      memory ? { ...request, settleDevice: (decision, dtype) => memory.settle(decision, dtype) } : request,
    );
    const loadMs = performance.now() - started;
    const maxTokens = requestedMaxTokens ?? Math.min(8192, model.spec.maxPositionEmbeddings ?? 8192);
    const coldStart: EmbedderInfo['coldStart'] = { loadMs, warmupMs: 0, shapes: [] };
    const device = new EngineDevice(model, request, request.adapter, memory?.recalled);
    const engine = new EmbedEngine(model, request, { ...identity, maxTokens }, device, coldStart);
    request.onProgress?.({ phase: 'warmup' });
    if (device.name === 'webgpu') {
      const probeStarted = performance.now();
      // A race that is not remembered needs the probe's WASM session: kept, not reopened.
      const { length, wasm } = await device.runCanary(maxTokens, memory !== undefined && memory.recalled === undefined);
      coldStart.shapes.push({ what: 'probe', rows: 1, length, ms: performance.now() - probeStarted });
      if (wasm && memory) {
        const raceStarted = performance.now();
        const shape = await device.raceBackends(wasm, memory, maxTokens);
        if (shape) coldStart.shapes.push({ what: 'race', ...shape, ms: performance.now() - raceStarted });
      }
    }
    // Planned after the probe and the race: either may have moved the engine to WASM's shapes.
    for (const shape of warmupPlan(device.name, request.adapter, device.limits(), maxTokens)) {
      const shapeStarted = performance.now();
      await engine.runWarmup(shape);
      coldStart.shapes.push({ ...shape, ms: performance.now() - shapeStarted });
    }
    coldStart.warmupMs = performance.now() - started - loadMs;
    request.onProgress?.({ phase: 'ready' });
    return engine;
  }

  info(): EmbedderInfo {
    const { model, identity, device } = this;
    return {
      space: embeddingSpace(identity.model, identity.revision, model.dtype.dtype),
      model: identity.model,
      revision: identity.revision,
      dtype: model.dtype.dtype,
      dtypeReason: model.dtype.reason,
      adapter: this.request.adapter,
      hiddenSize: model.spec.hiddenSize,
      maxTokens: identity.maxTokens,
      modelFile: this.request.files.locate(model.files.graph),
      randomWeights: model.spec.randomWeights,
      cached: identity.cached === true,
      coldStart: { ...this.coldStart, shapes: this.coldStart.shapes.map((shape) => ({ ...shape })) },
      ...device.describe(),
    };
  }

  async embed(texts: readonly string[], options: EngineEmbedOptions = {}): Promise<EmbedBatchResult> {
    // Validate before queueing, so bad input fails at once and never touches the session.
    validateTexts(texts);
    validateEmbedOptions(options, ['priority']);
    const kind = validateKind(options.kind);
    validateInstruction(options.instruction);
    const dimensions = validateDimensions(options.dimensions, this.model.spec.hiddenSize);
    const overLength = validateOverLength(options.overLength);
    const priority = validatePriority(options.priority) ?? (kind === 'query' ? 'high' : 'normal');
    if (this.disposed) throw new EmbedError('NOT_LOADED', 'this embedder was disposed; create a new one');
    const ids = this.modelIds(texts, kind, options.instruction ?? DEFAULT_INSTRUCTION, overLength);
    const run = this.embedNow(ids, dimensions, priority, options);
    this.pending.add(run);
    void run.catch(() => undefined).finally(() => this.pending.delete(run));
    return run;
  }

  /** Each text as the ids fed to the model, cut to maxTokens or refused (`overLength`). */
  private modelIds(texts: readonly string[], kind: TextKind, instruction: string, overLength: OverLength): FedIds {
    const { tokenizer } = this.model;
    const { maxTokens } = this.identity;
    const full = texts.map((text) =>
      ensureFinalEos(tokenizer.encode(buildPrompt(text, kind, instruction)), tokenizer.eosId),
    );
    const over = full.findIndex((seq) => seq.length > maxTokens);
    if (over >= 0 && overLength === 'refuse') {
      const what =
        kind === 'query' ? 'with the query instruction and the final <|endoftext|>' : 'with the final <|endoftext|>';
      throw new EmbedError(
        'INPUT_TOO_LONG',
        `texts[${over}] is ${full[over]?.length} tokens (${what}), over this embedder's limit of ${maxTokens} (maxTokens): split it into shorter texts`,
        { index: over },
      );
    }
    return {
      ids: full.map((seq) => truncateKeepingEos(seq, maxTokens, tokenizer.eosId)),
      truncated: full.map((seq) => seq.length > maxTokens),
    };
  }

  /** The path from here: plan batches, run each, pool, cut and normalise into one buffer, stream each batch. */
  private async embedNow(
    { ids, truncated }: FedIds,
    dimensions: number,
    priority: Priority,
    options: EngineEmbedOptions,
  ): Promise<EmbedBatchResult> {
    const started = performance.now();
    const vectors = new Float32Array(ids.length * dimensions);
    let done = 0;
    for (const plan of planBatches(
      ids.map((seq) => seq.length),
      this.device.limits(),
    )) {
      const rows = await this.runRows(plan.indices, ids, priority, options.signal);
      rows.forEach((row, r) => {
        const index = plan.indices[r] ?? 0;
        truncateAndNormalize(row, dimensions, vectors.subarray(index * dimensions, (index + 1) * dimensions));
      });
      done += plan.indices.length;
      if (options.onBatch) {
        const part = new Float32Array(plan.indices.length * dimensions);
        plan.indices.forEach((index, r) =>
          part.set(vectors.subarray(index * dimensions, (index + 1) * dimensions), r * dimensions),
        );
        options.onBatch({ indices: plan.indices, vectors: part, dimensions, done, total: ids.length });
      }
    }
    this.stats.recordCall(performance.now() - started);
    return { vectors, dimensions, tokens: ids.map((seq) => seq.length), truncated };
  }
  /**
   * Runs rows on the current device, in the order given. Rows planned before a GPU failure
   * halved the budget are planned again first, so one out-of-memory costs one failed run, not
   * one per batch already planned. A failed batch is recovered under the session lock (see
   * gpu-recovery.ts), so no other batch runs on a session being replaced. Each row is written by
   * its index, so a retry never loses or duplicates a vector.
   */
  private async runRows(
    indices: number[],
    ids: number[][],
    priority: Priority,
    signal: AbortSignal | undefined,
  ): Promise<Float32Array[]> {
    const lengths = indices.map((i) => ids[i]?.length ?? 0);
    const padded = indices.length * Math.max(0, ...lengths);
    if (indices.length > 1 && padded > this.device.limits().tokenBudget)
      return this.runReplanned(indices, ids, priority, signal, this.device.limits());
    const batch = leftPad(
      indices.map((i) => ids[i] ?? []),
      this.model.tokenizer.eosId,
    );
    const release = await this.lock.acquire(priority);
    let output: BatchOutput | undefined;
    const started = performance.now();
    try {
      throwIfAborted(signal);
      output = await this.device.run(batch);
    } finally {
      release();
    }
    if (output) {
      const realTokens = lengths.reduce((sum, n) => sum + n, 0);
      this.stats.recordBatch(batch.rows, batch.length, realTokens, performance.now() - started, output.bytesReadBack);
      return output.rows;
    }
    // Retried in halves at most, whatever the budget, so each failure makes progress.
    if (indices.length === 1) return this.runRows(indices, ids, priority, signal);
    return this.runReplanned(indices, ids, priority, signal, {
      ...this.device.limits(),
      tokenBudget: Math.max(1, Math.min(this.device.limits().tokenBudget, Math.floor(padded / 2))),
    });
  }

  /** The rows planned again under `limits`, run, and returned in the order of `indices`. */
  private async runReplanned(
    indices: number[],
    ids: number[][],
    priority: Priority,
    signal: AbortSignal | undefined,
    limits: PlanLimits,
  ): Promise<Float32Array[]> {
    const rows: Float32Array[] = new Array<Float32Array>(indices.length);
    for (const plan of planBatches(
      indices.map((i) => ids[i]?.length ?? 0),
      limits,
    )) {
      const done = await this.runRows(
        plan.indices.map((k) => indices[k] ?? 0),
        ids,
        priority,
        signal,
      );
      plan.indices.forEach((k, r) => (rows[k] = done[r] ?? new Float32Array(0)));
    }
    return rows;
  }

  /**
   * Content tokens per text as a document, untruncated, the final `<|endoftext|>` not counted:
   * what a chunker needs to cut texts to a token size. Never touches the session.
   */
  countTokens(texts: readonly string[]): number[] {
    validateTexts(texts);
    const { tokenizer } = this.model;
    return texts.map((text) => ensureFinalEos(tokenizer.encode(text), tokenizer.eosId).length - 1);
  }

  metrics(): EmbedderMetrics {
    return this.stats.snapshot(this.lock.depth);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.allSettled([...this.pending]);
    await this.device.release();
  }

  /**
   * One warm-up shape: `rows` copies of a prompt cut to `length` tokens, through the same path
   * (and the same GPU recovery) as a caller's batch, ahead of any caller.
   */
  private async runWarmup(shape: WarmupPlan): Promise<void> {
    const { tokenizer } = this.model;
    const kind = shape.what === 'query' ? 'query' : 'document';
    // Long enough to be cut to `length`, which keeps the final <|endoftext|>.
    const prompt = buildPrompt(
      'warm-up text for the first batch shapes '.repeat(Math.ceil(shape.length / 4)),
      kind,
      DEFAULT_INSTRUCTION,
    );
    const row = toModelIds(tokenizer, prompt, tokenizer.eosId, shape.length);
    await this.runRows(
      Array.from({ length: shape.rows }, (_, i) => i),
      Array.from({ length: shape.rows }, () => row),
      'high',
      undefined,
    );
  }
}

/** The engine's own option (Node callers and the worker): a lane of the session lock. */
function validatePriority(priority: unknown): Priority | undefined {
  if (priority === undefined || priority === 'high' || priority === 'normal') return priority;
  throw new EmbedError('INVALID_OPTION', `priority must be "high" or "normal", got ${describeInput(priority)}`);
}

/** The ids fed to the model per text, and which of them were cut to maxTokens. */
interface FedIds {
  ids: number[][];
  truncated: boolean[];
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EmbedError('ABORTED', 'the embed call was aborted', { cause: signal.reason });
}
