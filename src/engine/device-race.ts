import { EmbedError } from '../core/errors.ts';
import { leftPad, type PaddedBatch } from '../core/left-pad.ts';
import type { ModelSpec } from '../core/model-config.ts';
import { toModelIds } from '../core/model-ids.ts';
import type { AdapterSummary, BackendRace, Dtype } from '../core/types.ts';
import type { LoadedTokenizer } from '../model/load-tokenizer.ts';
import { heatDecides, heatShape, judgeRace, raceFinished, type RaceShape } from './backend-race.ts';
import type { DeviceDecision } from './device-choice.ts';
import { messageOf, type ModelRunner } from './load-model.ts';
import { parseVerdict, verdictFresh, verdictKey, type RaceVerdict, type VerdictStore } from './race-verdict.ts';
import { runBatch } from './run-batch.ts';
import type { OrtRuntime } from './runtime.ts';
import { withTimeout } from '../core/with-timeout.ts';

/** The shell around backend-race.ts: times both sessions, and recalls and remembers verdicts. */

export interface RaceRequest {
  runtime: OrtRuntime;
  spec: ModelSpec;
  tokenizer: LoadedTokenizer;
  /** Both have run the numerics probe, so thread pools and first-run costs are behind them. */
  gpu: ModelRunner;
  wasm: ModelRunner;
  /** The document batch (`raceShape`). */
  shape: RaceShape;
  maxTokens: number;
  signal?: AbortSignal;
}

export type RaceOutcome =
  { kind: 'raced'; race: BackendRace } | { kind: 'failed'; device: 'webgpu' | 'wasm'; message: string };

/**
 * The heat, then if it decides nothing the document batch (backend-race.ts says why). On each
 * shape WebGPU runs once untimed first (a new shape compiles its pipelines there), then the
 * devices take turns. A device that throws loses; the caller decides what that means. Nothing
 * is released here.
 */
export async function raceBackends(request: RaceRequest): Promise<RaceOutcome> {
  const { runtime, spec, tokenizer, gpu, wasm, signal } = request;
  const batchOf = (shape: RaceShape): PaddedBatch => {
    // Raw document text, long enough to be cut to `length` (the cut keeps the final <|endoftext|>).
    const row = toModelIds(
      tokenizer,
      'a passage of an ordinary document for the backend race '.repeat(Math.ceil(shape.length / 4)),
      tokenizer.eosId,
      shape.length,
    );
    return leftPad(
      Array.from({ length: shape.rows }, () => row),
      tokenizer.eosId,
    );
  };
  const time = async (runner: ModelRunner, batch: PaddedBatch): Promise<number> => {
    if (signal?.aborted) throw new EmbedError('ABORTED', 'the load was aborted', { cause: signal.reason });
    const now = (): number => (runtime.now ? runtime.now() : performance.now());
    const started = now();
    await runBatch(runtime, runner, spec, batch);
    return now() - started;
  };
  /** WebGPU once untimed, then a timed run on each device in turn until `done`. */
  const turns = async (
    batch: PaddedBatch,
    done: (webgpuMs: number[], wasmMs: number[]) => boolean,
  ): Promise<Timed | Failed> => {
    const webgpuMs: number[] = [];
    const wasmMs: number[] = [];
    try {
      await time(gpu, batch);
    } catch (cause) {
      return failed('webgpu', cause);
    }
    do {
      try {
        webgpuMs.push(await time(gpu, batch));
      } catch (cause) {
        return failed('webgpu', cause);
      }
      try {
        wasmMs.push(await time(wasm, batch));
      } catch (cause) {
        return failed('wasm', cause);
      }
    } while (!done(webgpuMs, wasmMs));
    return { kind: 'timed', batch, webgpuMs, wasmMs };
  };
  const heat = await turns(batchOf(heatShape(request.maxTokens)), () => true);
  if (heat.kind === 'failed') return heat;
  const decided = heatDecides(heat.webgpuMs[0] ?? 0, heat.wasmMs[0] ?? 0)
    ? heat
    : await turns(batchOf(request.shape), raceFinished);
  if (decided.kind === 'failed') return decided;
  const { batch, webgpuMs, wasmMs } = decided;
  return {
    kind: 'raced',
    race: {
      shape: { rows: batch.rows, length: batch.length },
      ...judgeRace(webgpuMs, wasmMs),
      remembered: false,
      decidedAt: new Date().toISOString(),
    },
  };
}

interface Timed {
  kind: 'timed';
  batch: PaddedBatch;
  webgpuMs: number[];
  wasmMs: number[];
}
type Failed = Extract<RaceOutcome, { kind: 'failed' }>;

function failed(device: 'webgpu' | 'wasm', cause: unknown): Failed {
  if (cause instanceof EmbedError) throw cause;
  return { kind: 'failed', device, message: messageOf(cause) };
}

/** A verdict is a few hundred bytes: storage that takes longer than this is not waited for. */
export const STORE_TIMEOUT_MS = 2000;

/**
 * One load's link to the verdict store. `settle` runs once the dtype is known and before any
 * session opens (load-model.ts): a fresh verdict moves the device to its winner. A store that
 * fails to read or write costs a race, never the load, and one that hangs costs STORE_TIMEOUT_MS.
 */
export class RaceMemory {
  /** The verdict this load reused, if any: then nothing is raced. */
  recalled: BackendRace | undefined;
  private key: string | undefined;

  constructor(
    private readonly store: VerdictStore | undefined,
    private readonly adapter: AdapterSummary,
    private readonly identity: { model: string; revision: string | undefined },
    private readonly runtime: string,
  ) {}

  async settle(decision: DeviceDecision, dtype: Dtype): Promise<DeviceDecision> {
    this.key = verdictKey({ adapter: this.adapter, ...this.identity, dtype });
    const stored = this.store
      ? await withTimeout(this.store.get(this.key), STORE_TIMEOUT_MS, 'reading the backend-race verdict').catch(
          () => undefined,
        )
      : undefined;
    const verdict = parseVerdict(stored);
    if (!verdict || !verdictFresh(verdict, this.runtime, Date.now())) return decision;
    this.recalled = {
      shape: verdict.shape,
      webgpuMs: verdict.webgpuMs,
      wasmMs: verdict.wasmMs,
      runs: verdict.runs,
      winner: verdict.winner,
      remembered: true,
      decidedAt: verdict.decidedAt,
    };
    return { ...decision, device: verdict.winner };
  }

  async remember(race: BackendRace): Promise<void> {
    if (!this.store || this.key === undefined) return;
    const { remembered: _, ...rest } = race;
    const verdict: RaceVerdict = { version: 1, ...rest, runtime: this.runtime };
    await withTimeout(this.store.set(this.key, verdict), STORE_TIMEOUT_MS, 'storing the backend-race verdict').catch(
      () => undefined,
    );
  }
}
