import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { DeviceName } from '../core/types.ts';

/*
 * The seam between the engine and one onnxruntime build. onnxruntime-web (worker, Node `--backend
 * wasm`) and onnxruntime-node (CLI) each implement it in a small file; the engine never imports
 * a runtime itself, so tensors are always made by the same copy that runs the session.
 */

/** An external data file of the graph, as the session is given it. */
export interface ExternalDataFile {
  /** The location string recorded in the graph, e.g. `model.onnx_data`. */
  path: string;
  /** The bytes, or a Blob of them (an OPFS file) for runtimes that read slices of one (`blobExternalData`). */
  data: Uint8Array | Blob;
}

export interface OrtRuntime {
  /** 'onnxruntime-web 1.30.0' etc., for info(). */
  readonly name: string;
  readonly Tensor: typeof Tensor;
  /** Devices this runtime can run on, best first. */
  readonly devices: readonly DeviceName[];
  /**
   * Whether external data may be a Blob, read a slice per tensor while the session is created
   * (onnxruntime-web's JSPI build can: its loader awaits the reads; the others read synchronously
   * from bytes). Then the weights never sit whole in JavaScript memory.
   */
  readonly blobExternalData?: boolean;
  /**
   * With `outputsOnDevice`, outputs stay in GPU memory (WebGPU): nothing is copied back until a
   * later session reads them. Runtimes without device memory ignore it.
   */
  createSession(
    model: Uint8Array,
    externalData: ExternalDataFile[],
    device: DeviceName,
    options?: SessionExtras,
  ): Promise<InferenceSession>;
  /**
   * Readies what the first session would otherwise wait for (onnxruntime-web: fetching and
   * compiling its wasm, starting its threads), so a load can do it while the model files
   * arrive. Optional; calling it again costs nothing; a failure here is left for the first
   * session to report.
   */
  start?(): Promise<void>;
  /**
   * The clock a backend race times its runs by, in ms (device-race.ts); absent, `performance.now`.
   * A test runtime that poses as a GPU passes a clock of its own declared run times, so a race's
   * verdict never depends on how busy the machine running the test is.
   */
  now?(): number;
}

export interface SessionExtras {
  outputsOnDevice?: boolean;
  /**
   * Called with the size of each piece of external data onnxruntime reads while it creates the
   * session: the load's `upload` progress. Only reads the runtime can see call it (onnxruntime-web
   * reading a Blob); data handed over as bytes is taken whole, and runtimes may not call it at all.
   */
  onRead?: (bytes: number) => void;
}

/** The options every runtime creates sessions with; only the provider and extras differ. */
export function sessionOptions(
  executionProvider: string,
  externalData: ExternalDataFile[],
  extra: InferenceSession.SessionOptions = {},
): InferenceSession.SessionOptions {
  return {
    executionProviders: [executionProvider],
    graphOptimizationLevel: 'all',
    ...extra,
    ...(externalData.length > 0 ? { externalData } : {}),
  };
}
