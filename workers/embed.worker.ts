/**
 * The embedding worker: a thin shell that exposes one object over Comlink. All logic lives in
 * src/engine; this file wires the browser's pieces (WebGPU adapter, fetch, onnxruntime-web) in.
 */
import * as Comlink from 'comlink';
import { EmbedError } from '../src/core/errors.ts';
import { EmbedEngine } from '../src/engine/embed-engine.ts';
import { loadOrtWebRuntime } from '../src/engine/ort-web.ts';
import { chooseOrtWebBuild, hasJspi } from '../src/engine/ort-web-build.ts';
import { VERDICT_FOLDER } from '../src/engine/race-verdict.ts';
import { probeWebGpuAdapter } from '../src/core/webgpu-adapter.ts';
import { browserModelFiles } from '../src/model/browser-files.ts';
import { measureDownload } from '../src/engine/download-plan.ts';
import { opfsRecords } from '../src/model/cache/opfs-records.ts';
import { resolveSource } from '../src/model/model-source.ts';
import { installErrorWire } from '../src/protocol/error-wire.ts';
import { FROM_OWNING_PAGE } from '../src/protocol/worker-origins.ts';
import type { EmbedPortApi, EmbedWorkerApi, WorkerLoadOptions } from '../src/protocol/worker-api.ts';
import type { OrtRuntime } from '../src/engine/runtime.ts';
import type { AdapterSummary, EmbedBatchProgress, LoadProgress } from '../src/core/types.ts';

installErrorWire();

/**
 * Loads the one onnxruntime-web build this browser and device call for (JSPI where the browser
 * has it; see src/engine/ort-web-build.ts). The app build serves every build's runtime files from
 * `<base>ort/` (vite.config.ts says why); the library build's page passes the URLs its bundler
 * gave them (src/client/ort-files.lib.ts). Only the chosen build's files are fetched.
 * Threads need cross-origin isolation (COOP/COEP); without it onnxruntime-web runs one thread.
 */
function runtimeFor(options: WorkerLoadOptions, adapter: AdapterSummary | undefined): Promise<OrtRuntime> {
  return loadOrtWebRuntime({
    build: chooseOrtWebBuild(options.device, adapter, hasJspi()).build,
    wasmPaths: options.runtimeFiles ?? new URL(`${import.meta.env.BASE_URL}ort/`, self.location.href).href,
    numThreads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1,
  });
}

/** `navigator.deviceMemory` in GiB (Chromium's; other browsers and Node have none): the size check's memory bound. */
function deviceMemoryGiB(): number | undefined {
  const value: unknown = Reflect.get(navigator, 'deviceMemory');
  return typeof value === 'number' && value > 0 ? value : undefined;
}

let engine: Promise<EmbedEngine> | undefined;
/** The Web Lock this worker holds for its life (holdLife), once the page asked it to. */
let lifeLock: string | undefined;
/** The page's calls in flight, by the page's call id: `cancel` aborts a load or an embed. */
const calls = new Map<number, AbortController>();

function loaded(): Promise<EmbedEngine> {
  if (!engine) throw new EmbedError('NOT_LOADED', 'the worker has no model loaded: call load() first');
  return engine;
}

const api = {
  ...embedding(calls),

  holdLife(name) {
    return new Promise<void>((held, refused) => {
      // The callback's promise never settles: the lock is let go only with the worker itself.
      navigator.locks
        .request(name, () => {
          lifeLock = name;
          held();
          return new Promise<never>(() => undefined);
        })
        .catch(refused);
    });
  },

  load(callId, options: WorkerLoadOptions, onProgress?: (event: LoadProgress) => void) {
    // Cache the promise, not the result, so racing callers share one load; forget a failed one
    // so that a later call can retry.
    engine ??= (async () => {
      const controller = new AbortController();
      calls.set(callId, controller);
      try {
        const source = resolveSource(options.model, self.location.href);
        const { files, cached } = await browserModelFiles(source, options.cache, {
          idleTimeoutMs: options.idleTimeoutMs,
          signal: controller.signal,
        });
        try {
          const adapter = options.device === 'wasm' ? undefined : await probeWebGpuAdapter(navigator.gpu);
          const runtime = await runtimeFor(options, adapter);
          // Backend-race verdicts live beside the model cache, and like it only when caching is on.
          const verdicts = options.cache ? opfsRecords(VERDICT_FOLDER) : undefined;
          return await EmbedEngine.load(
            {
              files,
              runtime,
              device: options.device,
              dtype: options.dtype,
              adapter,
              deviceMemoryGiB: deviceMemoryGiB(),
              signal: controller.signal,
              ...(onProgress ? { onProgress } : {}),
            },
            {
              model: source.id,
              revision: source.revision,
              cached,
              ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
            },
            verdicts ? { verdicts } : {},
          );
        } catch (error) {
          // A load that failed before it read a file (a bad option, no runtime) still holds the
          // cache entry: let it go, or the next load in this worker would wait for it forever.
          await files.release().catch(() => undefined);
          throw error;
        }
      } finally {
        calls.delete(callId);
      }
    })();
    engine.catch(() => (engine = undefined));
    return engine.then((e) => e.info());
  },

  async measure(options) {
    const source = resolveSource(options.model, self.location.href);
    // No cache entry: it would take the model's Web Lock, and a visitor who never asks for the
    // model must not hold up another tab's load. The page reads what is cached itself.
    const { files } = await browserModelFiles(source, false, { idleTimeoutMs: options.idleTimeoutMs });
    const adapter = options.device === 'wasm' ? undefined : await probeWebGpuAdapter(navigator.gpu);
    const plan = await measureDownload({ files, device: options.device, dtype: options.dtype, adapter });
    return { ...plan, model: source.id, cacheKey: source.kind === 'http' ? source.cacheKey : undefined };
  },

  async countTokens(texts) {
    return (await loaded()).countTokens(texts);
  },

  async metrics() {
    return (await loaded()).metrics();
  },

  connect(port) {
    // A connected worker numbers its calls from 0 too: its ids get a map of their own.
    Comlink.expose(embedding(new Map()) satisfies EmbedPortApi, port, [...FROM_OWNING_PAGE]);
  },

  async dispose() {
    const current = engine;
    engine = undefined;
    if (current) await (await current).dispose();
  },
} satisfies EmbedWorkerApi;

/**
 * `embed`, `cancel`, `info` and `lifeLock` for one caller (the page, or a port it handed out): `calls` holds
 * its calls in flight by its own call ids.
 */
function embedding(
  calls: Map<number, AbortController>,
): Pick<EmbedWorkerApi, 'embed' | 'cancel' | 'info' | 'lifeLock'> {
  return {
    async info() {
      return (await loaded()).info();
    },
    lifeLock: () => Promise.resolve(lifeLock),

    async embed(callId, texts, request, onBatch) {
      const controller = new AbortController();
      calls.set(callId, controller);
      // onBatch is a Comlink proxy on a MessagePort of its own, and nothing orders messages across
      // ports: the reply could reach the caller before the last batch's call did. Measured in the
      // search page, a slice's call resolved with one of its two batches still undelivered, and
      // the indexer embedded those chunks again. So each call is acknowledged before the reply.
      const delivered: Promise<unknown>[] = [];
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a function argument arrives as Comlink's proxy of the caller's callback
      const remote = onBatch as Comlink.Remote<NonNullable<typeof onBatch>> | undefined;
      try {
        const current = await loaded();
        // Each batch's part is the engine's own copy: transferred, not cloned.
        const onBatch =
          remote &&
          ((progress: EmbedBatchProgress) =>
            void delivered.push(remote(Comlink.transfer(progress, [progress.vectors.buffer]))));
        const result = await current.embed(texts, { ...request, signal: controller.signal, onBatch });
        await Promise.allSettled(delivered);
        const info = current.info();
        // With onBatch every row has crossed already: the whole buffer is not sent a second time.
        if (remote) return { ...result, vectors: undefined, info };
        return Comlink.transfer({ ...result, info }, [result.vectors.buffer]);
      } finally {
        calls.delete(callId);
        // Each call brings its own port; closing it keeps a long session from piling them up.
        remote?.[Comlink.releaseProxy]();
      }
    },

    cancel(callId) {
      calls.get(callId)?.abort();
    },
  };
}

Comlink.expose(api, self, [...FROM_OWNING_PAGE]);
