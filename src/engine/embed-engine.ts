import { EmbedError } from '../core/errors.ts';
import { ensureFinalEos, truncateKeepingEos } from '../core/final-token.ts';
import { leftPad } from '../core/left-pad.ts';
import { truncateAndNormalize } from '../core/matryoshka.ts';
import { toModelIds } from '../core/model-ids.ts';
import { planBatches, type PlanLimits } from '../core/planner.ts';
import { buildPrompt, DEFAULT_INSTRUCTION, type TextKind } from '../core/prompt.ts';
import type {
  AdapterSummary,
  BackendRace,
  EmbedderInfo,
  EmbedderMetrics,
  EmbedOptions,
  OverLength,
} from '../core/types.ts';
import {
  validateDimensions,
  validateDtype,
  validateInstruction,
  validateKind,
  validateMaxTokens,
  validateOverLength,
  validateTexts,
} from '../core/validate.ts';
import { DTYPES } from '../model/dtype-files.ts';
import { describeRace, raceShape, shouldRace } from './backend-race.ts';
import { raceBackends, RaceMemory } from './device-race.ts';
import { loadModel, messageOf, type LoadedModel, type LoadRequest, type ModelRunner } from './load-model.ts';
import { CANARY_MIN_COSINE, CANARY_TEXT, judgeCanary, type CanaryResult } from './numerics-canary.ts';
import { EngineMetrics } from './engine-metrics.ts';
import { decideRecovery, isDeviceLost, RECREATE_TIMEOUT_MS } from './gpu-recovery.ts';
import { PriorityLock, type Priority } from './priority-lock.ts';
import type { VerdictStore } from './race-verdict.ts';
import { runBatch } from './run-batch.ts';
import { tokenBudget } from './token-budget.ts';
import { warmupPlan, type WarmupPlan } from './warm-up.ts';
import { withTimeout } from './with-timeout.ts';

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
  /** The session batches run on: WebGPU at first, WASM after a fallback. */
  private runner: ModelRunner;
  private budgetScale = 1;
  private canary: CanaryResult | undefined;
  /** WebGPU against WASM at load (backend-race.ts), raced now or remembered. */
  private race: BackendRace | undefined;
  /** Why a race that ran decided nothing (WASM failed in it). */
  private raceNote: string | undefined;
  private fallback: string | undefined;
  /** WebGPU sessions created again after a lost device. */
  private recreations = 0;

  private constructor(
    private readonly model: LoadedModel,
    private readonly request: LoadRequest,
    private readonly identity: Required<Pick<EngineIdentity, 'maxTokens'>> & EngineIdentity,
    private readonly adapter: AdapterSummary | undefined,
    private readonly coldStart: EmbedderInfo['coldStart'],
  ) {
    this.runner = model.runner;
  }

  static async load(request: LoadRequest, identity: EngineIdentity, options: EngineOptions = {}): Promise<EmbedEngine> {
    // Checked here, before any download, so the browser and the CLI share one rule.
    const requestedMaxTokens = validateMaxTokens(identity.maxTokens);
    validateDtype(request.dtype, DTYPES);
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
    const engine = new EmbedEngine(model, request, { ...identity, maxTokens }, request.adapter, coldStart);
    engine.race = memory?.recalled;
    request.onProgress?.({ phase: 'warmup' });
    if (engine.runner.device === 'webgpu') {
      const probeStarted = performance.now();
      // A race that is not remembered needs the probe's WASM session: kept, not reopened.
      const { length, wasm } = await engine.runCanary(memory !== undefined && memory.recalled === undefined);
      coldStart.shapes.push({ what: 'probe', rows: 1, length, ms: performance.now() - probeStarted });
      if (wasm && memory) {
        const raceStarted = performance.now();
        const shape = await engine.raceBackends(wasm, memory);
        if (shape) coldStart.shapes.push({ what: 'race', ...shape, ms: performance.now() - raceStarted });
      }
    }
    // Planned after the probe and the race: either may have moved the engine to WASM's shapes.
    for (const shape of warmupPlan(engine.runner.device, request.adapter, engine.limits(), maxTokens)) {
      const shapeStarted = performance.now();
      await engine.runWarmup(shape);
      coldStart.shapes.push({ ...shape, ms: performance.now() - shapeStarted });
    }
    coldStart.warmupMs = performance.now() - started - loadMs;
    request.onProgress?.({ phase: 'ready' });
    return engine;
  }

  info(): EmbedderInfo {
    const { model, identity } = this;
    return {
      model: identity.model,
      revision: identity.revision,
      dtype: model.dtype.dtype,
      dtypeReason: model.dtype.reason,
      device: this.runner.device,
      deviceReason: [
        model.device.reason,
        this.raceNote ?? (this.race && describeRace(this.race)),
        this.fallback && `then ${this.fallback}`,
      ]
        .filter((part) => part !== undefined)
        .join('; '),
      adapter: this.adapter,
      hiddenSize: model.spec.hiddenSize,
      maxTokens: identity.maxTokens,
      modelFile: this.request.files.locate(model.files.graph),
      graph: {
        positionIds: this.runner.signature.positionIds,
        pastKeyValues: this.runner.signature.pastInputs.length,
        output: this.runner.signature.output,
        activationQuantization: this.runner.graphReport.activationQuantization,
      },
      randomWeights: model.spec.randomWeights,
      cached: identity.cached === true,
      coldStart: { ...this.coldStart, shapes: this.coldStart.shapes.map((shape) => ({ ...shape })) },
      canary: this.canary,
      race: this.race && { ...this.race, shape: { ...this.race.shape } },
      fallback: this.fallback,
      tokenBudget: this.limits().tokenBudget,
    };
  }

  async embed(texts: readonly string[], options: EngineEmbedOptions = {}): Promise<EmbedBatchResult> {
    // Validate before queueing, so bad input fails at once and never touches the session.
    validateTexts(texts);
    const kind = validateKind(options.kind);
    validateInstruction(options.instruction);
    const dimensions = validateDimensions(options.dimensions, this.model.spec.hiddenSize);
    const overLength = validateOverLength(options.overLength);
    if (this.disposed) throw new EmbedError('NOT_LOADED', 'this embedder was disposed; create a new one');
    const ids = this.modelIds(texts, kind, options.instruction ?? DEFAULT_INSTRUCTION, overLength);
    const priority = options.priority ?? (kind === 'query' ? 'high' : 'normal');
    const run = this.embedNow(ids, dimensions, priority, options);
    this.pending.add(run);
    void run.catch(() => undefined).finally(() => this.pending.delete(run));
    return run;
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
    await releaseRunner(this.runner);
  }

  /** Batch limits for the device in use, shrunk after each GPU out-of-memory. */
  private limits(): { tokenBudget: number; maxRows: number } {
    const base = tokenBudget(this.runner.device, this.adapter, this.model.spec);
    return { tokenBudget: Math.max(1, Math.floor(base.tokenBudget * this.budgetScale)), maxRows: base.maxRows };
  }

  /**
   * One probe on WebGPU and on WASM; a GPU that disagrees is not trusted (numerics-canary.ts).
   * Returns the probe's length, and with `keepWasm` (a race follows) the WASM session when WebGPU stays.
   */
  private async runCanary(keepWasm: boolean): Promise<{ length: number; wasm?: ModelRunner }> {
    const { tokenizer, spec } = this.model;
    const batch = leftPad(
      [toModelIds(tokenizer, CANARY_TEXT, tokenizer.eosId, this.identity.maxTokens)],
      tokenizer.eosId,
    );
    let gpu: Awaited<ReturnType<typeof runBatch>>;
    try {
      gpu = await runBatch(this.request.runtime, this.runner, spec, batch);
    } catch (cause) {
      // A GPU that cannot run one short row at load is not worth a retry: WASM serves from the start.
      if (cause instanceof EmbedError) throw cause;
      await this.fallBackToWasm(`switched to wasm: WebGPU failed the numerics probe (${messageOf(cause)})`);
      return { length: batch.length };
    }
    const wasm = await this.model.reopen('wasm');
    const cpu = await runBatch(this.request.runtime, wasm, spec, batch);
    this.canary = judgeCanary(gpu.rows[0] ?? [], cpu.rows[0] ?? []);
    if (this.canary.action === 'kept webgpu') {
      if (keepWasm) return { length: batch.length, wasm };
      await releaseRunner(wasm);
      return { length: batch.length };
    }
    await releaseRunner(this.runner);
    this.runner = wasm;
    this.fallback = `switched to wasm: WebGPU and WASM disagree on a probe text (cosine ${this.canary.cosine.toFixed(4)} < ${CANARY_MIN_COSINE})`;
    return { length: batch.length };
  }

  /**
   * WebGPU against WASM (device-race.ts): the faster serves, the other's session is released.
   * Returns the batch that decided, if a race was run to its end.
   */
  private async raceBackends(wasm: ModelRunner, memory: RaceMemory): Promise<BackendRace['shape'] | undefined> {
    const { spec, tokenizer } = this.model;
    const { runtime, signal } = this.request;
    const race = {
      runtime,
      spec,
      tokenizer,
      gpu: this.runner,
      wasm,
      shape: raceShape(this.limits(), this.identity.maxTokens),
      maxTokens: this.identity.maxTokens,
      ...(signal ? { signal } : {}),
    };
    const outcome = await raceBackends(race).catch(async (error: unknown) => {
      await releaseRunner(wasm);
      throw error;
    });
    const gpu = this.runner;
    if (outcome.kind === 'raced') {
      this.race = outcome.race;
      if (outcome.race.winner === 'wasm') this.runner = wasm;
      await memory.remember(outcome.race);
    } else if (outcome.device === 'webgpu') {
      this.runner = wasm;
      this.fallback = `switched to wasm: WebGPU failed the backend race (${outcome.message})`;
    } else {
      this.raceNote = `WASM failed the backend race (${outcome.message}); kept webgpu`;
    }
    await releaseRunner(this.runner === gpu ? wasm : gpu).catch(() => undefined); // a failed GPU may refuse even this
    return outcome.kind === 'raced' ? outcome.race.shape : undefined;
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
    if (indices.length > 1 && padded > this.limits().tokenBudget)
      return this.runReplanned(indices, ids, priority, signal, this.limits());
    const batch = leftPad(
      indices.map((i) => ids[i] ?? []),
      this.model.tokenizer.eosId,
    );
    const release = await this.lock.acquire(priority);
    try {
      throwIfAborted(signal);
      const runner = this.runner;
      const started = performance.now();
      try {
        const output = await runBatch(this.request.runtime, runner, this.model.spec, batch);
        const realTokens = lengths.reduce((sum, n) => sum + n, 0);
        this.stats.recordBatch(batch.rows, batch.length, realTokens, performance.now() - started, output.bytesReadBack);
        return output.rows;
      } catch (cause) {
        if (cause instanceof EmbedError) throw cause;
        if (runner.device !== 'webgpu') {
          throw new EmbedError(
            'SESSION_FAILED',
            `running a batch of ${batch.rows}×${batch.length} tokens failed: ${messageOf(cause)}`,
            { cause },
          );
        }
        await this.recoverGpu(cause, batch.rows, batch.length);
      }
    } finally {
      release();
    }
    // Retried in halves at most, whatever the budget, so each failure makes progress.
    if (indices.length === 1) return this.runRows(indices, ids, priority, signal);
    return this.runReplanned(indices, ids, priority, signal, {
      ...this.limits(),
      tokenBudget: Math.max(1, Math.min(this.limits().tokenBudget, Math.floor(padded / 2))),
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

  /** Called with the session lock held, after a WebGPU batch of rows × length threw. */
  private async recoverGpu(cause: unknown, rows: number, length: number): Promise<void> {
    const message = messageOf(cause);
    this.budgetScale /= 2;
    const step = decideRecovery(message, rows, this.recreations);
    switch (step) {
      case 'split rows':
        return;
      case 'recreate session': {
        this.recreations++;
        const lost = this.runner;
        try {
          this.runner = await withTimeout(
            this.model.reopen('webgpu'),
            RECREATE_TIMEOUT_MS,
            'creating a new WebGPU session',
          );
        } catch (again) {
          return this.fallBackToWasm(
            `switched to wasm: the WebGPU device was lost (${message}) and a new session failed (${messageOf(again)})`,
          );
        }
        await releaseRunner(lost).catch(() => undefined); // a lost device may refuse even this
        return;
      }
      case 'fall back to wasm':
        return this.fallBackToWasm(
          isDeviceLost(message) && this.recreations > 0
            ? `switched to wasm: the WebGPU device was lost again after ${this.recreations} new session(s) (${message})`
            : `switched to wasm: WebGPU failed even on one ${length}-token row (${message})`,
        );
      default: {
        const unreachable: never = step;
        throw new Error(`unknown recovery step ${String(unreachable)}`);
      }
    }
  }

  private async fallBackToWasm(reason: string): Promise<void> {
    const gpu = this.runner;
    this.runner = await this.model.reopen('wasm');
    this.fallback = reason;
    this.budgetScale = 1;
    await releaseRunner(gpu).catch(() => undefined); // a lost device may refuse even this
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
      this.limits(),
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
}

/** The ids fed to the model per text, and which of them were cut to maxTokens. */
interface FedIds {
  ids: number[][];
  truncated: boolean[];
}

async function releaseRunner(runner: ModelRunner): Promise<void> {
  await runner.session.release();
  await runner.lastToken?.release();
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EmbedError('ABORTED', 'the embed call was aborted', { cause: signal.reason });
}
