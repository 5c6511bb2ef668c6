import { EmbedError } from '../core/errors.ts';
import { leftPad, type PaddedBatch } from '../core/left-pad.ts';
import { toModelIds } from '../core/model-ids.ts';
import type { PlanLimits } from '../core/planner.ts';
import type { AdapterSummary, BackendRace, EmbedderInfo } from '../core/types.ts';
import { describeRace, raceShape } from './backend-race.ts';
import { raceBackends, type RaceMemory } from './device-race.ts';
import { decideRecovery, isDeviceLost, RECREATE_TIMEOUT_MS } from './gpu-recovery.ts';
import { messageOf, type LoadedModel, type LoadRequest, type ModelRunner } from './load-model.ts';
import { CANARY_MIN_COSINE, CANARY_TEXT, judgeCanary, type CanaryResult } from './numerics-canary.ts';
import { runBatch, type BatchOutput } from './run-batch.ts';
import { tokenBudget } from './token-budget.ts';
import { withTimeout } from '../core/with-timeout.ts';

/**
 * The session batches run on, and everything that may change it: the numerics probe and the
 * backend race at load, and after a failed WebGPU batch a smaller budget, a new session or the
 * move to WASM (gpu-recovery.ts decides which). The engine (embed-engine.ts) holds the session
 * lock around `run`, so no batch ever runs on a session being replaced.
 */
export class EngineDevice {
  /** WebGPU at first, WASM after a fallback or a lost race. */
  private runner: ModelRunner;
  private budgetScale = 1;
  private canary: CanaryResult | undefined;
  /** WebGPU against WASM at load (backend-race.ts), raced now or remembered. */
  private race: BackendRace | undefined;
  /** Why a race that ran decided nothing (WASM failed in it). */
  private raceNote: string | undefined;
  private fallback: string | undefined;
  /** Why the numerics probe did not run (a model too large for WASM has nothing to compare with). */
  private canaryNote: string | undefined;
  /** WebGPU sessions created again after a lost device. */
  private recreations = 0;

  constructor(
    private readonly model: LoadedModel,
    private readonly request: LoadRequest,
    private readonly adapter: AdapterSummary | undefined,
    recalled: BackendRace | undefined,
  ) {
    this.runner = model.runner;
    this.race = recalled;
  }

  get name(): ModelRunner['device'] {
    return this.runner.device;
  }

  /** Batch limits for the device in use, shrunk after each GPU out-of-memory. */
  limits(): Required<PlanLimits> {
    const base = tokenBudget(this.runner.device, this.adapter, this.model.spec);
    return { tokenBudget: Math.max(1, Math.floor(base.tokenBudget * this.budgetScale)), maxRows: base.maxRows };
  }

  /** What info() says about the device: which one, why, and what the probe, race and recovery did. */
  describe(): Pick<EmbedderInfo, 'device' | 'deviceReason' | 'graph' | 'canary' | 'race' | 'fallback' | 'tokenBudget'> {
    const { runner } = this;
    return {
      device: runner.device,
      deviceReason: [
        this.model.device.reason,
        this.canaryNote,
        this.raceNote ?? (this.race && describeRace(this.race)),
        this.fallback && `then ${this.fallback}`,
      ]
        .filter((part) => part !== undefined)
        .join('; '),
      graph: {
        positionIds: runner.signature.positionIds,
        pastKeyValues: runner.signature.pastInputs.length,
        output: runner.signature.output,
        activationQuantization: runner.graphReport.activationQuantization,
      },
      canary: this.canary,
      race: this.race && { ...this.race, shape: { ...this.race.shape } },
      fallback: this.fallback,
      tokenBudget: this.limits().tokenBudget,
    };
  }

  /**
   * Runs one padded batch. A WASM failure is SESSION_FAILED. A WebGPU failure is recovered
   * (budget halved, and perhaps a new session or WASM) and gives `undefined`: the caller runs the
   * rows again, in smaller batches. Call with the session lock held.
   */
  async run(batch: PaddedBatch): Promise<BatchOutput | undefined> {
    const runner = this.runner;
    try {
      return await runBatch(this.request.runtime, runner, this.model.spec, batch);
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
      return undefined;
    }
  }

  /**
   * One probe on WebGPU and on WASM; a GPU that disagrees is not trusted (numerics-canary.ts).
   * Returns the probe's length, and with `keepWasm` (a race follows) the WASM session when WebGPU stays.
   */
  async runCanary(maxTokens: number, keepWasm: boolean): Promise<{ length: number; wasm?: ModelRunner }> {
    const { tokenizer, spec, wasmRefusal } = this.model;
    const batch = leftPad([toModelIds(tokenizer, CANARY_TEXT, tokenizer.eosId, maxTokens)], tokenizer.eosId);
    if (wasmRefusal !== undefined) {
      // Opening it on WASM would fail, or hold the weights twice; so no probe, and no race.
      this.canaryNote = `no numerics probe: WASM cannot hold this model, ${wasmRefusal}`;
      return { length: batch.length };
    }
    let gpu: BatchOutput;
    try {
      gpu = await runBatch(this.request.runtime, this.runner, spec, batch);
    } catch (cause) {
      // A GPU that cannot run one short row at load is not worth a retry: WASM serves from the start.
      if (cause instanceof EmbedError) throw cause;
      await this.fallBackToWasm(`WebGPU failed the numerics probe (${messageOf(cause)})`);
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
  async raceBackends(
    wasm: ModelRunner,
    memory: RaceMemory,
    maxTokens: number,
  ): Promise<BackendRace['shape'] | undefined> {
    const { spec, tokenizer } = this.model;
    const { runtime, signal } = this.request;
    const race = {
      runtime,
      spec,
      tokenizer,
      gpu: this.runner,
      wasm,
      shape: raceShape(this.limits(), maxTokens),
      maxTokens,
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

  release(): Promise<void> {
    return releaseRunner(this.runner);
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
            `the WebGPU device was lost (${message}) and a new session failed (${messageOf(again)})`,
          );
        }
        await releaseRunner(lost).catch(() => undefined); // a lost device may refuse even this
        return;
      }
      case 'fall back to wasm':
        return this.fallBackToWasm(
          isDeviceLost(message) && this.recreations > 0
            ? `the WebGPU device was lost again after ${this.recreations} new session(s) (${message})`
            : `WebGPU failed even on one ${length}-token row (${message})`,
        );
      default: {
        const unreachable: never = step;
        throw new Error(`unknown recovery step ${String(unreachable)}`);
      }
    }
  }

  /** @param why what WebGPU did, e.g. "WebGPU failed the numerics probe (…)" */
  private async fallBackToWasm(why: string): Promise<void> {
    if (this.model.wasmRefusal !== undefined)
      throw new EmbedError(
        'SESSION_FAILED',
        `WebGPU cannot go on (${why}) and WASM cannot take over: ${this.model.wasmRefusal}`,
      );
    const gpu = this.runner;
    this.runner = await this.model.reopen('wasm');
    this.fallback = `switched to wasm: ${why}`;
    this.budgetScale = 1;
    await releaseRunner(gpu).catch(() => undefined); // a lost device may refuse even this
  }
}

async function releaseRunner(runner: ModelRunner): Promise<void> {
  await runner.session.release();
  await runner.lastToken?.release();
}
