/**
 * A runtime that says it runs on WebGPU but runs onnxruntime-node's CPU kernels, and injects
 * the failures a real GPU shows: out-of-memory on big batches, a lost device, a GPU that fails
 * every run. Everything else (tensors, sessions, the last-token graph) is the real thing, so
 * the engine's recovery is exercised end to end without a GPU.
 *
 * Each model-graph run is logged per row: the row's unpadded ids, so a test can count how many
 * times each text was actually computed. A delay per device makes the posing GPU slower or
 * faster than WASM, for the backend race, which times runs by this runtime's clock (`now`): 1 ms
 * per run plus the device's delay. The delay is also slept, so other behaviour sees a slow run;
 * but a race's verdict follows the declared times alone, never the load of the machine (a
 * decisive heat once came out close while a Playwright run shared the cores).
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { DeviceName } from '../../src/core/types.ts';
import { ortNativeRuntime } from '../../src/engine/node/ort-native.ts';
import type { ExternalDataFile, OrtRuntime } from '../../src/engine/runtime.ts';

export interface GpuFaults {
  /** Runs whose rows × length exceed this throw an out-of-memory error. */
  oomAboveTokens?: number;
  /** After this many successful GPU runs the device is lost: every session made so far fails. */
  loseDeviceAfterRuns?: number;
  /** Every GPU run throws. */
  alwaysFail?: boolean;
  /** ms added to every model-graph run on that device (armed or not), so either can win a backend race. */
  delayMs?: Partial<Record<'webgpu' | 'wasm', number>>;
}

export interface RunLog {
  /** Successful model-graph runs per row, keyed by the row's unpadded ids. */
  computed: Map<string, number>;
  /** GPU runs that threw, with the message. */
  failures: string[];
  /** rows×length of every successful model-graph run, per device, in order. */
  shapes: string[];
  /** Model-graph sessions created and released per device. */
  sessions: Record<'webgpu' | 'wasm', number>;
  released: Record<'webgpu' | 'wasm', number>;
  /** Stop logging rows (the load's warm-up) until `record` is set again. */
  record: boolean;
}

/** What one model-graph run costs on the runtime's clock, before its device's delay. */
const RUN_MS = 1;

export function rowKey(ids: readonly number[]): string {
  return ids.join(',');
}

export function faultyGpuRuntime(faults: GpuFaults): { runtime: OrtRuntime; log: RunLog; armed: { on: boolean } } {
  const native = ortNativeRuntime();
  const log: RunLog = {
    computed: new Map(),
    failures: [],
    shapes: [],
    sessions: { webgpu: 0, wasm: 0 },
    released: { webgpu: 0, wasm: 0 },
    record: true,
  };
  // Faults fire only while armed, so a test can choose whether the load itself sees them.
  const armed = { on: true };
  let gpuRuns = 0;
  let deviceGeneration = 0;
  let lostGeneration = -1;
  let clockMs = 0;
  const runtime: OrtRuntime = {
    now: () => clockMs,
    name: `${native.name} posing as webgpu`,
    Tensor: native.Tensor,
    devices: ['webgpu', 'wasm'],
    async createSession(model: Uint8Array, externalData: ExternalDataFile[], device: DeviceName) {
      const session = await native.createSession(model, externalData, 'cpu');
      // The last-token graph (input `hidden`) is tiny and never the one that fails.
      if (!session.inputNames.includes('input_ids')) return session;
      const onGpu = device === 'webgpu';
      const which = onGpu ? 'webgpu' : 'wasm';
      log.sessions[which]++;
      // A session made after a loss lives on a new device: it works again.
      if (onGpu && lostGeneration === deviceGeneration) deviceGeneration++;
      const generation = deviceGeneration;
      const run = async (
        feeds: InferenceSession.FeedsType,
        fetches: readonly string[],
      ): Promise<InferenceSession.ReturnType> => {
        const ids = feeds['input_ids'];
        if (!ids) throw new Error('no input_ids');
        const [rows = 0, length = 0] = ids.dims;
        if (onGpu && armed.on) {
          const fault = faultFor(rows * length, generation);
          if (fault) {
            log.failures.push(fault);
            throw new Error(fault);
          }
        }
        const delay = faults.delayMs?.[which] ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const result = await session.run(feeds, fetches);
        clockMs += RUN_MS + delay;
        if (onGpu && armed.on) gpuRuns++;
        log.shapes.push(`${which} ${rows}×${length}`);
        if (
          onGpu &&
          armed.on &&
          faults.loseDeviceAfterRuns !== undefined &&
          gpuRuns >= faults.loseDeviceAfterRuns &&
          lostGeneration < 0
        )
          lostGeneration = generation;
        if (log.record) logRows(log, ids, feeds['attention_mask']);
        return result;
      };
      const release = async (): Promise<void> => {
        log.released[which]++;
        await session.release();
      };
      return new Proxy(session, {
        get(target, prop) {
          if (prop === 'run') return run;
          if (prop === 'release') return release;
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
  function faultFor(tokens: number, generation: number): string | undefined {
    if (faults.alwaysFail) return 'WebGPU validation error: Invalid argument';
    if (generation === lostGeneration) return 'Device lost: GPUDevice was lost (reason: unknown)';
    if (faults.oomAboveTokens !== undefined && tokens > faults.oomAboveTokens)
      return `WebGPU out of memory: failed to allocate a buffer for ${tokens} tokens`;
    return undefined;
  }
  return { runtime, log, armed };
}

function logRows(log: RunLog, ids: Tensor, mask: Tensor | undefined): void {
  const [rows = 0, length = 0] = ids.dims;
  const data = Array.from(ids.data as BigInt64Array, Number);
  const keep = mask ? Array.from(mask.data as BigInt64Array, Number) : data.map(() => 1);
  for (let r = 0; r < rows; r++) {
    const row = data.slice(r * length, (r + 1) * length).filter((_, j) => keep[r * length + j] === 1);
    const key = rowKey(row);
    log.computed.set(key, (log.computed.get(key) ?? 0) + 1);
  }
}
