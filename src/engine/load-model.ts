import type { InferenceSession } from 'onnxruntime-common';
import { EmbedError } from '../core/errors.ts';
import { parseModelConfig, type ModelSpec } from '../core/model-config.ts';
import { checkModelFits, wasmRefusal } from '../core/model-fit.ts';
import type { AdapterSummary, DeviceName, Dtype, LoadProgress } from '../core/types.ts';
import { modelFiles, type ModelFileSet } from '../model/dtype-files.ts';
import type { ModelFileReader, ReadOptions } from '../model/file-reader.ts';
import { createTokenizer, type LoadedTokenizer } from '../model/load-tokenizer.ts';
import { LoadProgressTracker, UploadProgressTracker } from '../model/load-progress.ts';
import { chooseDevice, type DeviceDecision } from './device-choice.ts';
import { chooseDtype, dtypePreference, type DtypeDecision } from './dtype-choice.ts';
import { readGraphSignature, type GraphSignature } from './graph-signature.ts';
import { prepareGraph, type GraphReport, type PrepareOptions, type PreparedGraph } from './graph/prepare-graph.ts';
import { LAST_TOKEN_GRAPH } from './last-token-graphs.ts';
import type { ExternalDataFile, OrtRuntime } from './runtime.ts';

export interface LoadRequest {
  files: ModelFileReader;
  runtime: OrtRuntime;
  device: DeviceName | 'auto';
  dtype: Dtype | 'auto';
  adapter: AdapterSummary | undefined;
  /** `navigator.deviceMemory` (GiB) where the host tells it: the size check's memory bound (core/model-fit.ts). */
  deviceMemoryGiB?: number | undefined;
  signal?: AbortSignal;
  onProgress?: (event: LoadProgress) => void;
  /**
   * Called once the dtype is chosen, before any session opens; may move the device (a backend
   * race remembered from an earlier load, device-race.ts), so a losing device is never opened.
   */
  settleDevice?: (decision: DeviceDecision, dtype: Dtype) => Promise<DeviceDecision>;
}

/** A session ready to run batches on one device. */
export interface ModelRunner {
  device: DeviceName;
  session: InferenceSession;
  /** On WebGPU: hidden[:, -1, :] on the device, so only [batch, hidden] is read back. */
  lastToken: InferenceSession | undefined;
  signature: GraphSignature;
  /** What was done to the graph before the session saw it (graph/prepare-graph.ts). */
  graphReport: GraphReport;
}

export interface LoadedModel {
  spec: ModelSpec;
  tokenizer: LoadedTokenizer;
  runner: ModelRunner;
  /** The same graph on another device (the numerics canary, the WASM fallback); reads the files again, from the cache when there is one. */
  reopen(device: DeviceName): Promise<ModelRunner>;
  device: DeviceDecision;
  dtype: DtypeDecision;
  files: ModelFileSet;
  /** Why a WASM session of this model cannot be opened (too large for the wasm32 heap), or undefined: then no probe and no fallback on WASM. */
  wasmRefusal: string | undefined;
}

export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

/**
 * config → device → dtype → plan (sizes, quota) → tokenizer and graph bytes → session, reporting
 * progress on the way. Either way it ends, it lets go of the files last: the cache's records
 * are written and its entry is free for the next load (which waits for it, so it never meets a
 * file this load still has open, nor has its records overwritten by a late write).
 */
export async function loadModel(request: LoadRequest): Promise<LoadedModel> {
  let loaded: LoadedModel;
  try {
    loaded = await openModel(request);
  } catch (error) {
    await request.files.release().catch(() => undefined); // the load's own error says more
    throw error;
  }
  await request.files.release();
  return loaded;
}

async function openModel(request: LoadRequest): Promise<LoadedModel> {
  const { files, runtime, signal, onProgress } = request;
  // The runtime readies itself (onnxruntime-web: fetches and compiles its wasm, starts its
  // threads; 1.8 s of a 7.4 s tiny-model load here) while the files are read.
  const runtimeStarted = runtime.start?.();
  onProgress?.({ phase: 'resolve' });
  const { spec, ruled, dtype, fileSet } = await chooseModelFiles(request);
  if (!runtime.devices.includes(ruled.device)) {
    throw new EmbedError(
      'DEVICE_UNAVAILABLE',
      `${runtime.name} cannot run on ${ruled.device} (${ruled.reason}); it offers ${runtime.devices.join(', ')}`,
    );
  }
  const device = request.settleDevice ? await request.settleDevice(ruled, dtype.dtype) : ruled;

  // Every byte the load will read is counted before the first one arrives, and a model this
  // device cannot hold is refused then (MODEL_TOO_LARGE), before its weights are fetched.
  const weightFiles = [fileSet.graph, ...fileSet.externalData];
  const room = { adapter: request.adapter, deviceMemoryGiB: request.deviceMemoryGiB };
  let weightBytes = 0;
  const plan = await files.plan([...TOKENIZER_FILES, ...weightFiles], signal, ({ sizes }) => {
    weightBytes = weightFiles.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0);
    checkModelFits(files.locate(fileSet.graph), spec, dtype.dtype, { ...room, device: device.device }, weightBytes);
  });
  const tracker = new LoadProgressTracker(plan.totalBytes, (event) => onProgress?.(event));
  const progress: ReadOptions = { ...(signal ? { signal } : {}), onProgress: (p) => tracker.update(p) };
  // The weights: a Blob on disk where both the files and the runtime allow it, so onnxruntime
  // reads each tensor's slice itself and the file is never held whole in memory; bytes elsewhere.
  const weights = async (path: string, options: ReadOptions): Promise<Uint8Array | Blob> =>
    (runtime.blobExternalData === true ? await files.blob(path, options) : undefined) ??
    (await files.bytes(path, options));
  // The tokenizer is built (CPU) while the weights arrive (network or disk).
  const [tokenizer, graph, externalData] = await allSettledOrThrow([
    (async () => {
      const readJson = async (path: (typeof TOKENIZER_FILES)[number]): Promise<unknown> =>
        parseJson(await files.bytes(path, progress), files.locate(path));
      const [json, config] = await allSettledOrThrow([readJson('tokenizer.json'), readJson('tokenizer_config.json')]);
      return createTokenizer(json, config, files.locate('tokenizer.json'));
    })(),
    weights(fileSet.graph, progress),
    (async () => {
      const data = [];
      for (const path of fileSet.externalData) data.push({ path: baseName(path), data: await weights(path, progress) });
      return data;
    })(),
  ]);

  onProgress?.({ phase: 'compile', file: fileSet.graph });
  await runtimeStarted;
  const where = files.locate(fileSet.graph);
  const gpu = request.adapter && {
    gpuBindingBytes: Math.min(request.adapter.maxBufferSize, request.adapter.maxStorageBufferBindingSize),
  };
  const runner = await openRunner(runtime, graph, externalData, device.device, fileSet.graph, where, gpu, onProgress);
  const reopen = async (other: DeviceName): Promise<ModelRunner> => {
    const options = signal ? { signal } : {};
    const data = await Promise.all(
      fileSet.externalData.map(async (path) => ({ path: baseName(path), data: await weights(path, options) })),
    );
    return openRunner(runtime, await weights(fileSet.graph, options), data, other, fileSet.graph, where, gpu);
  };
  const wasm = wasmRefusal(spec, dtype.dtype, { ...room, device: 'wasm' }, weightBytes);
  return { spec, tokenizer, runner, reopen, device, dtype, files: fileSet, wasmRefusal: wasm };
}

/**
 * Promise.all that waits for every read before failing: a load that fails (aborted, a missing
 * file) must not leave a read running with its cache file open, or the next load's storage
 * handle on that file is refused (NoModificationAllowedError, seen in CI after an abort).
 */
async function allSettledOrThrow<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const values = settled.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- every promise fulfilled (checked above); a mapped tuple type cannot follow map()
  return values as unknown as T;
}

/** ORT matches external data by the location written in the graph: the bare file name. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

async function openRunner(
  runtime: OrtRuntime,
  file: Uint8Array | Blob,
  externalData: ExternalDataFile[],
  device: DeviceName,
  path: string,
  where: string,
  gpu: Pick<PrepareOptions, 'gpuBindingBytes'> | undefined,
  onProgress?: (event: LoadProgress) => void,
): Promise<ModelRunner> {
  let prepared: PreparedGraph;
  try {
    // On WebGPU a table over the adapter's binding limit is split (graph/split-gather.ts).
    prepared = await prepareGraph(file, baseName(path), externalData, device === 'webgpu' ? gpu : {});
  } catch (cause) {
    throw new EmbedError('SESSION_FAILED', `${where} is not a readable ONNX model: ${messageOf(cause)}`, { cause });
  }
  // The upload is reported for the load's own session only (not a reopen for the probe or a fallback).
  const upload =
    onProgress && prepared.report.externalBytes > 0
      ? new UploadProgressTracker(prepared.report.externalBytes, onProgress)
      : undefined;
  let session: InferenceSession;
  try {
    session = await runtime.createSession(prepared.graph, prepared.externalData, device, {
      outputsOnDevice: device === 'webgpu',
      ...(upload ? { onRead: (bytes: number) => upload.read(bytes) } : {}),
    });
    upload?.done();
  } catch (cause) {
    throw new EmbedError(
      'SESSION_FAILED',
      `${runtime.name} could not create a ${device} session for ${where}: ${messageOf(cause)}`,
      { cause },
    );
  }
  const inputTypes = new Map(
    session.inputMetadata.flatMap((meta) => (meta.isTensor ? [[meta.name, meta.type] as const] : [])),
  );
  const signature = readGraphSignature(
    { inputNames: session.inputNames, outputNames: session.outputNames, inputTypes },
    where,
  );
  let lastToken: InferenceSession | undefined;
  if (device === 'webgpu') {
    const output = session.outputMetadata.find((meta) => meta.name === signature.output);
    const half = output?.isTensor === true && output.type === 'float16';
    lastToken = await runtime.createSession(LAST_TOKEN_GRAPH[half ? 'float16' : 'float32'], [], 'webgpu');
  }
  return { device, session, lastToken, signature, graphReport: prepared.report };
}

/** What a load reads, decided before any weight byte: the model's config, the device and dtype the rules pick, and their files. */
export interface ChosenFiles {
  spec: ModelSpec;
  ruled: DeviceDecision;
  dtype: DtypeDecision;
  fileSet: ModelFileSet;
}

/**
 * config → device → dtype → files: the first steps of a load, also what download-size.ts measures.
 * Reads config.json and asks whether files exist (HEAD, a pack manifest or the Hub's listing),
 * never a graph or weight byte.
 */
export async function chooseModelFiles(
  request: Pick<LoadRequest, 'files' | 'device' | 'dtype' | 'adapter' | 'signal'>,
): Promise<ChosenFiles> {
  const { files, signal } = request;
  const spec = parseModelConfig(await files.json('config.json', signal), files.locate('config.json'));
  const ruled = chooseDevice(request.device, request.adapter);
  if (ruled.device === 'webgpu' && !request.adapter) {
    throw new EmbedError(
      'DEVICE_UNAVAILABLE',
      'device "webgpu" was requested but this browser offers no WebGPU adapter; use device "wasm" or "auto"',
    );
  }
  // The dtype follows the rule's device even when a remembered race moves it: both devices run
  // the same file, so the vectors stay in one embedding space whichever wins.
  const dtype = await pickDtype(request, spec, ruled.device);
  const fileSet = await withUndeclaredExternalData(files, modelFiles(dtype.dtype, spec), spec, signal);
  return { spec, ruled, dtype, fileSet };
}

async function pickDtype(
  request: Pick<LoadRequest, 'files' | 'dtype' | 'adapter' | 'signal'>,
  spec: ModelSpec,
  device: DeviceName,
): Promise<DtypeDecision> {
  const shaderF16 = request.adapter?.shaderF16 === true;
  const candidates = request.dtype === 'auto' ? dtypePreference(device, shaderF16) : [request.dtype];
  const found = await Promise.all(
    candidates.map(async (dtype) =>
      (await request.files.exists(modelFiles(dtype, spec).graph, request.signal)) ? dtype : undefined,
    ),
  );
  const available = new Set(found.filter((dtype): dtype is Dtype => dtype !== undefined));
  const decision = chooseDtype(request.dtype, device, shaderF16, available);
  if (decision) return decision;
  const looked = candidates.map((dtype) => modelFiles(dtype, spec).graph).join(', ');
  const what = request.dtype === 'auto' ? `none of ${looked}` : `${looked} (dtype ${request.dtype})`;
  throw new EmbedError(
    'DTYPE_UNAVAILABLE',
    `${request.files.locate('')} offers ${what} that ${device}${shaderF16 ? '' : ' without shader-f16'} can run`,
  );
}

/**
 * Exports made outside transformers.js (torch.onnx, onnxruntime tools) have no
 * `transformers.js_config` to declare external data; their weights may still sit beside the
 * graph, as `model.onnx_data` (onnx's convention) or `model.onnx.data` (torch.onnx's). Probe
 * for those only when the config says nothing, so a transformers.js repo costs no extra request.
 */
async function withUndeclaredExternalData(
  files: ModelFileReader,
  fileSet: ModelFileSet,
  spec: ModelSpec,
  signal: AbortSignal | undefined,
): Promise<ModelFileSet> {
  if (spec.externalData !== false) return fileSet;
  const candidates = [`${fileSet.graph}_data`, `${fileSet.graph}.data`];
  const found = await Promise.all(
    candidates.map(async (path) => ((await files.exists(path, signal)) ? path : undefined)),
  );
  return { ...fileSet, externalData: found.filter((path): path is string => path !== undefined) };
}

function parseJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (cause) {
    throw new EmbedError('TOKENIZER_INVALID', `${where} is not valid JSON`, { cause });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
