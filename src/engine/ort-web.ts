import { EmbedError } from '../core/errors.ts';
import type { DeviceName } from '../core/types.ts';
import { ChunkedBlob } from './chunked-blob.ts';
import { LAST_TOKEN_GRAPH } from './last-token-graphs.ts';
import type { OrtWebBuild } from './ort-web-build.ts';
import { PACE_BYTES, queuePacer } from './upload-pacing.ts';
import { sessionOptions, type ExternalDataFile, type OrtRuntime } from './runtime.ts';

/** Each build's entry, imported only when chosen, so a worker holds one onnxruntime (one onnxruntime-common, one backend registry). */
const ENTRIES = {
  jspi: () => import('onnxruntime-web/jspi'),
  asyncify: () => import('onnxruntime-web/webgpu'),
  plain: () => import('onnxruntime-web/wasm'),
} satisfies Record<OrtWebBuild, () => Promise<unknown>>;

/** What each build can run; the plain build has no WebGPU EP. */
const DEVICES: Record<OrtWebBuild, readonly DeviceName[]> = {
  jspi: ['webgpu', 'wasm'],
  asyncify: ['webgpu', 'wasm'],
  plain: ['wasm'],
};

/** One build's glue script and wasm, as URLs. */
export interface OrtWebFiles {
  mjs: string;
  wasm: string;
}

export interface OrtWebSettings {
  /** Which build to load (`chooseOrtWebBuild` decides). */
  build: OrtWebBuild;
  /** Where the runtime files are served: a folder URL holding every build's files, or each build's own URLs. */
  wasmPaths?: string | Record<OrtWebBuild, OrtWebFiles>;
  numThreads?: number;
}

/**
 * onnxruntime-web in a browser worker: imports the chosen build (ort-web-build.ts says which and
 * why) and points it at its runtime files.
 *
 * @example
 *   const runtime = await loadOrtWebRuntime({ build: 'jspi', wasmPaths: 'https://example.com/ort/', numThreads: 2 });
 *   runtime.name    // 'onnxruntime-web 1.30.0 (jspi)'
 *   runtime.devices // ['webgpu', 'wasm']
 */
export async function loadOrtWebRuntime(settings: OrtWebSettings): Promise<OrtRuntime> {
  const { build } = settings;
  let ort: Awaited<ReturnType<(typeof ENTRIES)[OrtWebBuild]>>;
  try {
    ort = await ENTRIES[build]();
  } catch (cause) {
    throw new EmbedError(
      'WORKER_FAILED',
      `onnxruntime-web's ${build} build could not be loaded: ${String(cause)}; check that the page can reach the worker's script chunks`,
      { cause },
    );
  }
  if (settings.wasmPaths !== undefined)
    ort.env.wasm.wasmPaths =
      typeof settings.wasmPaths === 'string' ? settings.wasmPaths : { ...settings.wasmPaths[build] };
  if (settings.numThreads !== undefined) ort.env.wasm.numThreads = settings.numThreads;
  let started: Promise<void> | undefined;
  return {
    name: `onnxruntime-web ${ort.env.versions.web ?? ''} (${build})`,
    // onnxruntime-web initialises its wasm (fetch, compile, threads) inside the first session it
    // creates and has no call for that alone; a two-node graph's session does it and is released.
    start() {
      started ??= ort.InferenceSession.create(LAST_TOKEN_GRAPH.float32, { executionProviders: ['wasm'] }).then(
        (session) => session.release(),
        () => undefined,
      );
      return started;
    },
    Tensor: ort.Tensor,
    devices: DEVICES[build],
    // Only the JSPI build's loader reads slices of a Blob (it can await); the others index bytes.
    blobExternalData: build === 'jspi',
    async createSession(model: Uint8Array, externalData: ExternalDataFile[], device: DeviceName, options = {}) {
      const onDevice = device === 'webgpu' && options.outputsOnDevice === true;
      const streamed = externalData.some((file) => file.data instanceof Blob && !(file.data instanceof ChunkedBlob));
      // The queue the uploads go to exists once a WebGPU session does; a two-node one holds it
      // open (and env.webgpu.device set) while the model's own session reads its weights.
      const holder =
        streamed && device === 'webgpu'
          ? await ort.InferenceSession.create(LAST_TOKEN_GRAPH.float32, sessionOptions('webgpu', []))
          : undefined;
      try {
        // Typed as always there; if a later onnxruntime-web left it unset, the load goes unpaced.
        const gpu: GPUDevice | undefined = holder ? await ort.env.webgpu.device : undefined;
        const pacer = gpu ? queuePacer(gpu, PACE_BYTES) : undefined;
        // A Blob is read through ChunkedBlob: the loader's own reads of a File could stall forever;
        // it also counts what the loader reads (the load's upload progress).
        const onRead = (bytes: number): void => {
          pacer?.read(bytes);
          options.onRead?.(bytes);
        };
        const data = externalData.map((file) =>
          file.data instanceof Blob && !(file.data instanceof ChunkedBlob)
            ? { ...file, data: new ChunkedBlob(file.data, { onRead, pace: pacer?.pace }) }
            : file,
        );
        return await ort.InferenceSession.create(
          model,
          sessionOptions(
            device === 'webgpu' ? 'webgpu' : 'wasm',
            data,
            onDevice ? { preferredOutputLocation: 'gpu-buffer' } : {},
          ),
        );
      } finally {
        await holder?.release();
      }
    },
  };
}
