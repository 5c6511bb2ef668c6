import { EmbedError } from '../core/errors.ts';
import { leftPad } from '../core/left-pad.ts';
import { truncateAndNormalize } from '../core/matryoshka.ts';
import { toModelIds } from '../core/model-ids.ts';
import { planBatches } from '../core/planner.ts';
import { buildPrompt, DEFAULT_INSTRUCTION, type TextKind } from '../core/prompt.ts';
import type { AdapterSummary, EmbedderInfo } from '../core/types.ts';
import { validateDimensions, validateTexts } from '../core/validate.ts';
import { loadModel, messageOf, type LoadedModel, type LoadRequest } from './load-model.ts';
import { runBatch } from './run-batch.ts';
import { tokenBudget } from './token-budget.ts';

export interface EngineEmbedOptions {
  kind?: TextKind;
  instruction?: string;
  dimensions?: number;
  signal?: AbortSignal;
}

/** Vectors for n texts, row-major in one buffer so it can be transferred, in the caller's order. */
export interface EmbedBatchResult {
  vectors: Float32Array; // [n × dimensions]
  dimensions: number;
  /** Tokens fed to the model per text, `<|endoftext|>` included. */
  tokens: number[];
}

export interface EngineIdentity {
  model: string;
  revision: string | undefined;
  maxTokens?: number;
  /** Whether the files go through a persistent cache. */
  cached?: boolean;
}

/**
 * One loaded model and its session. Calls are serialised: onnxruntime sessions must not run
 * concurrently, and one caller's batches should not interleave with another's.
 */
export class EmbedEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly model: LoadedModel,
    private readonly request: LoadRequest,
    private readonly identity: Required<Pick<EngineIdentity, 'maxTokens'>> & EngineIdentity,
    private readonly adapter: AdapterSummary | undefined,
    private readonly coldStart: { loadMs: number; warmupMs: number },
  ) {}

  static async load(request: LoadRequest, identity: EngineIdentity): Promise<EmbedEngine> {
    const started = performance.now();
    const model = await loadModel(request);
    const loadMs = performance.now() - started;
    const maxTokens = identity.maxTokens ?? Math.min(8192, model.spec.maxPositionEmbeddings ?? 8192);
    const coldStart = { loadMs, warmupMs: 0 };
    const engine = new EmbedEngine(model, request, { ...identity, maxTokens }, request.adapter, coldStart);
    request.onProgress?.({ phase: 'warmup' });
    await engine.embed(['warm-up'], { kind: 'document' });
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
      device: model.device.device,
      deviceReason: model.device.reason,
      adapter: this.adapter,
      hiddenSize: model.spec.hiddenSize,
      maxTokens: identity.maxTokens,
      modelFile: this.request.files.locate(model.files.graph),
      graph: { positionIds: model.signature.positionIds, pastKeyValues: model.signature.pastInputs.length, output: model.signature.output },
      randomWeights: model.spec.randomWeights,
      cached: identity.cached === true,
      coldStart: { ...this.coldStart },
    };
  }

  async embed(texts: readonly string[], options: EngineEmbedOptions = {}): Promise<EmbedBatchResult> {
    // Validate before queueing, so bad input fails at once and never touches the session.
    validateTexts(texts);
    const kind = options.kind ?? 'document';
    if (kind !== 'query' && kind !== 'document') {
      throw new EmbedError('INVALID_OPTION', `kind must be "query" or "document", got ${JSON.stringify(kind)}`);
    }
    if (options.instruction !== undefined && (typeof options.instruction !== 'string' || options.instruction.length === 0)) {
      throw new EmbedError('INVALID_OPTION', 'instruction must be a non-empty string (a one-sentence task description)');
    }
    const dimensions = validateDimensions(options.dimensions, this.model.spec.hiddenSize);
    const run = this.queue.then(() => this.embedNow(texts, kind, options.instruction ?? DEFAULT_INSTRUCTION, dimensions, options.signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.model.session.release();
  }

  private async embedNow(texts: readonly string[], kind: TextKind, instruction: string, dimensions: number, signal?: AbortSignal): Promise<EmbedBatchResult> {
    if (this.disposed) throw new EmbedError('NOT_LOADED', 'this embedder was disposed; create a new one');
    const { tokenizer, spec, session, signature } = this.model;
    const ids = texts.map((text) => toModelIds(tokenizer, buildPrompt(text, kind, instruction), tokenizer.eosId, this.identity.maxTokens));
    const limits = tokenBudget(this.model.device.device, this.adapter, spec);
    const vectors = new Float32Array(texts.length * dimensions);
    for (const plan of planBatches(ids.map((seq) => seq.length), limits)) {
      throwIfAborted(signal);
      const batch = leftPad(plan.indices.map((i) => ids[i] ?? []), tokenizer.eosId);
      let rows: Float32Array[];
      try {
        rows = await runBatch(this.request.runtime, session, signature, spec, batch);
      } catch (cause) {
        throw new EmbedError('SESSION_FAILED', `running a batch of ${batch.rows}×${batch.length} tokens failed: ${messageOf(cause)}`, { cause });
      }
      rows.forEach((row, r) => {
        const index = plan.indices[r] ?? 0;
        truncateAndNormalize(row, dimensions, vectors.subarray(index * dimensions, (index + 1) * dimensions));
      });
    }
    return { vectors, dimensions, tokens: ids.map((seq) => seq.length) };
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EmbedError('ABORTED', 'the embed call was aborted', { cause: signal.reason });
}
