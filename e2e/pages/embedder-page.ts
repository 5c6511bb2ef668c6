/**
 * Test-only page: exposes the public client API to Playwright as plain-data calls (handles in,
 * number arrays out), since page.evaluate cannot carry an Embedder object or typed arrays.
 */
import {
  createEmbedder,
  deleteCachedModel,
  EmbedError,
  listCachedModels,
  type Embedder,
  type EmbedderInfo,
  type EmbedOptions,
  type LoadProgress,
} from '../../src/client/index.ts';
import * as Comlink from 'comlink';
import { CACHE_ROOT, entryName } from '../../src/core/cache-manifest.ts';
import type { VerdictStoreWorkerApi } from './verdict-store-protocol.ts';

export interface HarnessError {
  isEmbedError: boolean;
  name: string;
  code: string | undefined;
  index: number | undefined;
  message: string;
}

type CreateOptions = Omit<Parameters<typeof createEmbedder>[0] & object, 'onProgress' | 'signal' | 'worker'>;

const embedders = new Map<number, Embedder>();
/** The load startCreate began, read while it runs: its progress so far, and how it failed if it did. */
let started: { progress: LoadProgress[]; error: HarnessError | undefined } = { progress: [], error: undefined };
/** Workers the harness started itself (createEmbedder leaves a worker it was given running). */
const ownWorkers = new Map<number, Worker>();
let next = 0;

function get(handle: number): Embedder {
  const embedder = embedders.get(handle);
  if (!embedder) throw new Error(`no embedder ${handle}`);
  return embedder;
}

function describe(error: unknown): HarnessError {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    isEmbedError: e instanceof EmbedError,
    name: e.name,
    code: e instanceof EmbedError ? e.code : undefined,
    index: e instanceof EmbedError ? e.index : undefined,
    message: e.message,
  };
}

/**
 * createEmbedder on a worker this page started (each `new Worker(new URL(…))` stays literal at its
 * call site, where the bundler finds it); the harness ends the worker with its embedder.
 */
async function createOn(worker: Worker, options: CreateOptions): Promise<{ handle: number; info: EmbedderInfo }> {
  const embedder = await createEmbedder({ ...options, worker }).catch((error: unknown) => {
    worker.terminate();
    throw error;
  });
  const handle = next++;
  embedders.set(handle, embedder);
  ownWorkers.set(handle, worker);
  return { handle, info: embedder.info() };
}

/** The cache's own file for `path` of the model under `key` (core/cache-manifest.ts names them). */
async function cachedFile(key: string, path: string): Promise<FileSystemFileHandle> {
  const root = await navigator.storage.getDirectory();
  const dir = await (await root.getDirectoryHandle(CACHE_ROOT)).getDirectoryHandle(entryName(key));
  return dir.getFileHandle(entryName(path));
}

const harness = {
  /** When each load event of `create` arrived (ms since the epoch), for bench/load-4b-memory.ts's memory phases. */
  progressTimes: [] as { phase: LoadProgress['phase']; at: number }[],
  async create(options: CreateOptions): Promise<{ handle: number; info: EmbedderInfo; progress: LoadProgress[] }> {
    const progress: LoadProgress[] = [];
    const embedder = await createEmbedder({
      ...options,
      onProgress: (event) => {
        progress.push(event);
        harness.progressTimes.push({ phase: event.phase, at: performance.timeOrigin + performance.now() });
      },
    });
    const handle = next++;
    embedders.set(handle, embedder);
    return { handle, info: embedder.info(), progress };
  },
  /** Creates with the embedding worker in a JS engine without JSPI (see no-jspi-worker.ts). */
  async createWithoutJspi(options: CreateOptions): Promise<{ handle: number; info: EmbedderInfo }> {
    const worker = new Worker(new URL('./no-jspi-worker.ts', import.meta.url), { type: 'module', name: 'no-jspi' });
    return createOn(worker, options);
  },
  /** Creates with the embedding worker's SwiftShader adapter posing as a hardware GPU (see hardware-adapter-worker.ts). */
  async createAsHardware(options: CreateOptions): Promise<{ handle: number; info: EmbedderInfo }> {
    const worker = new Worker(new URL('./hardware-adapter-worker.ts', import.meta.url), {
      type: 'module',
      name: 'as-hardware',
    });
    return createOn(worker, options);
  },
  /** Creates with the real embedding worker started by this page, so that `embedWhileWorkerEnds` can end it. */
  async createWithOwnWorker(options: CreateOptions): Promise<{ handle: number; info: EmbedderInfo }> {
    const worker = new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module' });
    return createOn(worker, options);
  },
  /** Embeds `texts` and ends the worker as the first batch arrives (as a crash would): how the call then ends. */
  async embedWhileWorkerEnds(handle: number, texts: readonly string[]): Promise<HarnessError | undefined> {
    const worker = ownWorkers.get(handle);
    if (!worker) throw new Error(`embedder ${handle} runs on a worker the page did not start`);
    try {
      await get(handle).embed([...texts], { onBatch: () => worker.terminate() });
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  /** Creates with a worker whose OPFS never answers `method` on the file `fileName` (see stalled-storage-worker.ts). */
  async createWithStalledStorage(
    options: CreateOptions,
    method: 'getFile' | 'createSyncAccessHandle',
    fileName: string,
  ): Promise<{ handle: number; info: EmbedderInfo }> {
    const worker = new Worker(new URL('./stalled-storage-worker.ts', import.meta.url), {
      type: 'module',
      name: `stall:${method}:${fileName}`,
    });
    return createOn(worker, options);
  },
  /**
   * Creates with a worker whose disk fails every write to `fileName` that would reach past
   * `atByte` (see failing-writes-worker.ts): the embedder, or how its load failed.
   */
  async createWithFailingWrites(
    options: CreateOptions,
    how: 'io' | 'quota',
    fileName: string,
    atByte: number,
  ): Promise<{ handle: number; info: EmbedderInfo } | { error: HarnessError }> {
    const worker = new Worker(new URL('./failing-writes-worker.ts', import.meta.url), {
      type: 'module',
      name: `write-fails:${how}:${fileName}:${atByte}`,
    });
    return createOn(worker, options).catch((error: unknown) => ({ error: describe(error) }));
  },
  /** Starts a load and returns at once, so the test can act while it runs (reload the page); `startedLoad` watches it. */
  startCreate(options: CreateOptions): void {
    const load: typeof started = { progress: [], error: undefined };
    started = load;
    void createEmbedder({ ...options, onProgress: (event) => load.progress.push(event) }).then(
      (embedder) => {
        embedders.set(next++, embedder);
      },
      (error: unknown) => {
        load.error = describe(error);
      },
    );
  },
  /** The bytes of each file the load startCreate began has so far, and how it failed if it did. */
  startedLoad(): { loaded: Record<string, number>; error: HarnessError | undefined } {
    const loaded: Record<string, number> = {};
    for (const { file, loaded: bytes } of started.progress) if (file && bytes !== undefined) loaded[file] = bytes;
    return { loaded, error: started.error };
  },
  /** Creates with a worker whose storage estimate reports `quotaBytes` (see small-quota-worker.ts). */
  async createError(options: CreateOptions, quotaBytes?: number): Promise<HarnessError | undefined> {
    const worker =
      quotaBytes === undefined
        ? undefined
        : new Worker(new URL('./small-quota-worker.ts', import.meta.url), {
            type: 'module',
            name: `quota:${quotaBytes}`,
          });
    try {
      // Passed as given without a worker, so a test can hand over what plain JavaScript might (null).
      await createEmbedder(worker ? { ...options, worker } : options);
      return undefined;
    } catch (error) {
      return describe(error);
    } finally {
      worker?.terminate();
    }
  },
  async embed(
    handle: number,
    texts: readonly unknown[],
    options: Omit<EmbedOptions, 'signal'> = {},
  ): Promise<number[][]> {
    const vectors = await get(handle).embed([...texts] as string[], options);
    return vectors.map((v) => Array.from(v));
  },
  async embedQuery(
    handle: number,
    text: string,
    options: Omit<EmbedOptions, 'signal' | 'kind'> = {},
  ): Promise<number[]> {
    return Array.from(await get(handle).embedQuery(text, options));
  },
  /**
   * Runs embed with an onBatch that copies what it is given (and throws each time if `throwing`):
   * how many texts it had received when the call resolved, in how many batches, whether every
   * streamed row is the row the call returned, and how many errors reached the page.
   */
  async embedStreaming(
    handle: number,
    texts: string[],
    throwing = false,
  ): Promise<{ deliveredAtResolve: number; batches: number; sameRows: boolean; reported: number }> {
    const streamed = new Map<number, number[]>();
    let batches = 0;
    let reported = 0;
    const onError = (event: ErrorEvent): void => {
      reported++;
      event.preventDefault();
    };
    addEventListener('error', onError);
    try {
      const vectors = await get(handle).embed(texts, {
        onBatch: ({ indices, vectors: rows, dimensions }) => {
          batches++;
          indices.forEach((index, k) =>
            streamed.set(index, Array.from(rows.subarray(k * dimensions, (k + 1) * dimensions))),
          );
          if (throwing) throw new Error('a caller bug in onBatch');
        },
      });
      const sameRows = vectors.every((vector, i) => streamed.get(i)?.every((x, j) => x === vector[j]) === true);
      return { deliveredAtResolve: streamed.size, batches, sameRows, reported };
    } finally {
      // Errors are reported as tasks of their own: let them land before counting stops.
      await new Promise((resolve) => setTimeout(resolve, 0));
      removeEventListener('error', onError);
    }
  },
  /** Runs embed and returns the error it rejects with; undefined if it resolved. */
  async embedError(
    handle: number,
    texts: unknown,
    options: Record<string, unknown> = {},
  ): Promise<HarnessError | undefined> {
    try {
      await get(handle).embed(texts as string[], options);
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  /** Starts an embed, aborts it right away, and reports how it ended. */
  async embedAborted(handle: number, texts: string[]): Promise<HarnessError | undefined> {
    const controller = new AbortController();
    const pending = get(handle).embed(texts, { signal: controller.signal });
    controller.abort();
    try {
      await pending;
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  /** Starts a load and aborts it once `afterBytes` have arrived; reports how it ended. */
  async createAborted(
    options: CreateOptions,
    afterBytes: number,
  ): Promise<{ error: HarnessError | undefined; progress: LoadProgress[] }> {
    const controller = new AbortController();
    const progress: LoadProgress[] = [];
    const onProgress = (event: LoadProgress): void => {
      progress.push(event);
      if ((event.totalLoaded ?? 0) >= afterBytes) controller.abort();
    };
    try {
      const embedder = await createEmbedder({ ...options, onProgress, signal: controller.signal });
      await embedder.dispose();
      return { error: undefined, progress };
    } catch (error) {
      return { error: describe(error), progress };
    }
  },
  countTokens: (handle: number, texts: string[]) => get(handle).countTokens(texts),
  metrics: (handle: number) => get(handle).metrics(),
  info: (handle: number) => get(handle).info(),
  listCached: () => listCachedModels(),
  deleteCached: (key: string) => deleteCachedModel(key),
  /** Bytes of `path` as the cache holds it on disk, complete or partial; undefined when it holds none. */
  async storedSize(key: string, path: string): Promise<number | undefined> {
    const file = await cachedFile(key, path).catch(() => undefined);
    return file ? (await file.getFile()).size : undefined;
  },
  /** Damages a cached file in place, as a disk or another program might. */
  async corruptCached(key: string, path: string, how: 'zeros' | 'truncate'): Promise<void> {
    const file = await cachedFile(key, path);
    const size = (await file.getFile()).size;
    const writable = await file.createWritable({ keepExistingData: true });
    if (how === 'truncate') await writable.truncate(Math.floor(size / 2));
    else await writable.write({ type: 'write', position: 0, data: new Uint8Array(size) });
    await writable.close();
  },
  /**
   * Runs `steps` against the worker's backend-race verdict store in real OPFS (verdict-store-worker.ts),
   * each step in a new worker, so nothing is read back from memory; returns each step's result.
   */
  async verdictStore(
    steps: (
      | { op: 'set'; key: string; value: unknown }
      | { op: 'get'; key: string }
      | { op: 'files' }
      | { op: 'overwrite'; name: string; text: string }
    )[],
  ): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const step of steps) {
      const worker = new Worker(new URL('./verdict-store-worker.ts', import.meta.url), { type: 'module' });
      const store = Comlink.wrap<VerdictStoreWorkerApi>(worker);
      try {
        switch (step.op) {
          case 'set':
            results.push(await store.set(step.key, step.value));
            break;
          case 'get':
            results.push(await store.get(step.key));
            break;
          case 'files':
            results.push(await store.files());
            break;
          case 'overwrite':
            results.push(await store.overwrite(step.name, step.text));
            break;
          default: {
            const unreachable: never = step;
            throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
          }
        }
      } finally {
        store[Comlink.releaseProxy]();
        worker.terminate();
      }
    }
    return results;
  },
  async dispose(handle: number): Promise<void> {
    await get(handle).dispose();
    embedders.delete(handle);
    ownWorkers.get(handle)?.terminate();
    ownWorkers.delete(handle);
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
document.body.dataset['ready'] = 'true';
