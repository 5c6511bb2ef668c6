import type { DeviceChoice } from './choices.ts';
import type { AdapterSummary, ProviderChoice } from './types.ts';
import { describeAdapter, isSoftwareAdapter } from './webgpu-adapter.ts';

/** What the page knows about this device before any model byte is fetched: plain data. */
export interface ProviderInputs {
  /** The `device` option as given. */
  requested: DeviceChoice;
  /** Whether the page configured a remote engine to fall back to (`remoteFallback`). */
  fallback: boolean;
  /**
   * `navigator.deviceMemory` in GB: Chromium rounds it down to a power of two and caps it at 8
   * (so 8 means "8 or more"); undefined where the browser does not say (Firefox, Safari).
   */
  deviceMemoryGB: number | undefined;
  /** The WebGPU adapter the browser gives, as plain data; undefined when there is none. */
  adapter: AdapterSummary | undefined;
  /** `navigator.userAgentData?.mobile`; undefined where the browser does not say. */
  mobile: boolean | undefined;
  /** The model's bytes when the page knows them; else DEFAULT_MODEL_BYTES is assumed. */
  modelBytes: number | undefined;
}

/**
 * Assumed when the page does not say: Qwen3-Embedding-0.6B's q8 export, 1019.8 MB, the larger
 * of its two WASM files (q4: 867.2 MB), as measured in bench/archive/load-memory.md, Run C. A
 * page loading another model should pass its bytes.
 */
export const DEFAULT_MODEL_BYTES = 1019.8e6;

/**
 * Peak memory of a load ÷ the model file's bytes: 1.16–1.32 in every load of Run C
 * (bench/archive/load-memory.md: 0.6B q4 and q8, first, cached and relaunched), so 1.3.
 */
export const LOAD_PEAK_RATIO = 1.3;

/**
 * The share of the device's memory one tab may plan to hold. The rest is the OS, the browser
 * and the other tabs; a tab far past it is what Android's low-memory killer and iOS end first.
 * Half is a judgment, not a measurement: it keeps 0.6B q8 (≈ 1.33 GB at peak) on a 4 GB device
 * and sends it off a 2 GB one, where a load would take two thirds of everything.
 */
export const TAB_MEMORY_SHARE = 0.5;

/**
 * From this size a model is "large": without a hardware GPU or on a phone it goes to the remote
 * engine. The 0.6B exports (867 and 1020 MB) are far above, on WASM a single 1024-token batch
 * of theirs takes tens of seconds (README, "Device and dtype choice"); the test fixtures
 * (a few MB) are far below. 256 MB is a round line between the two, not a measured optimum.
 */
export const LARGE_MODEL_BYTES = 256e6;

/**
 * Local or remote, for a page that may send its texts out. Only `device: 'auto'` with a
 * configured fallback may choose remote: an explicit device, or no fallback, is always local,
 * because the texts then stay in the tab whatever the device can do. In order, remote when:
 * 1. the load's peak (LOAD_PEAK_RATIO × model bytes) is over TAB_MEMORY_SHARE of the device's
 *    memory as the browser reports it (unknown memory is not held against the device);
 * 2. the browser says it is mobile and the model is large (LARGE_MODEL_BYTES);
 * 3. there is no hardware WebGPU adapter (none, or a software one, by the engine's own rule) and
 *    the model is large.
 *
 * @example
 * chooseProvider({ requested: 'auto', fallback: true, deviceMemoryGB: 2, adapter: undefined, mobile: false, modelBytes: undefined })
 * // { provider: 'remote', reason: 'loading the model takes about 1.33 GB at peak (1.3 × 1020 MB), more than half of this device's 2 GB' }
 */
export function chooseProvider(inputs: ProviderInputs): ProviderChoice {
  if (inputs.requested !== 'auto')
    return local(`device '${inputs.requested}' was requested: an explicit device always runs in this tab`);
  if (!inputs.fallback) return local('no remote fallback is configured');
  const bytes = inputs.modelBytes ?? DEFAULT_MODEL_BYTES;
  const size = `${formatMB(bytes)}${inputs.modelBytes === undefined ? ', the assumed 0.6B q8 size' : ''}`;
  const peakGB = (LOAD_PEAK_RATIO * bytes) / 1e9;
  const memory = inputs.deviceMemoryGB;
  if (memory !== undefined && peakGB > memory * TAB_MEMORY_SHARE) {
    // Chromium caps the figure at 8: then it is a lower bound, and the reason says so.
    const held = memory >= 8 ? `at least ${memory} GB` : `${memory} GB`;
    return remote(
      `loading the model takes about ${peakGB.toFixed(2)} GB at peak (${LOAD_PEAK_RATIO} × ${size}), more than half of this device's ${held}`,
    );
  }
  const large = bytes >= LARGE_MODEL_BYTES;
  if (inputs.mobile === true && large)
    return remote(`the browser reports a mobile device, and the model (${size}) is too large to run well on one`);
  const hardware = inputs.adapter !== undefined && !isSoftwareAdapter(inputs.adapter);
  if (!hardware && large) {
    const gpu = inputs.adapter
      ? `the WebGPU adapter is a software renderer (${describeAdapter(inputs.adapter)})`
      : 'there is no WebGPU adapter';
    return remote(`${gpu}, and on WASM the model (${size}) would be slow`);
  }
  const memoryText = memory === undefined ? 'memory not reported' : `${memory} GB reported`;
  const gpuText = hardware ? 'a hardware WebGPU adapter' : 'a model small enough for WASM';
  return local(`this device can hold the model (${size}; ${memoryText}) and has ${gpuText}`);
}

function local(reason: string): ProviderChoice {
  return { provider: 'local', reason };
}

function remote(reason: string): ProviderChoice {
  return { provider: 'remote', reason };
}

function formatMB(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}
