/**
 * Test-only page: starts the real search worker (workers/search.worker.ts) and offers its API to
 * Playwright as plain data (number arrays in and out, errors as { code, message }), since
 * page.evaluate carries neither typed arrays reliably nor a Comlink proxy.
 */
import * as Comlink from 'comlink';
import { createEmbedder } from '../../src/client/create-embedder.ts';
import { EmbedError } from '../../src/core/errors.ts';
import { installErrorWire } from '../../src/protocol/error-wire.ts';
import type { IndexStatus, SearchWorkerApi } from '../../src/protocol/search-api.ts';
import type { Chunk, IndexFingerprint, IndexPrecision, SourceText } from '../../src/protocol/search-data.ts';

installErrorWire();

export type Outcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { isEmbedError: boolean; code: string | undefined; index: number | undefined; message: string };
    };

let worker: Worker | undefined;
let api: Comlink.Remote<SearchWorkerApi> | undefined;

function remote(): Comlink.Remote<SearchWorkerApi> {
  if (!api) throw new Error('call searchStore.start(dbName) first');
  return api;
}

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      error: {
        isEmbedError: e instanceof EmbedError,
        code: e instanceof EmbedError ? e.code : undefined,
        index: e instanceof EmbedError ? e.index : undefined,
        message: e.message,
      },
    };
  }
}

/** The search worker the calls go to from now on; the one before is ended. */
function use(next: Worker): void {
  worker?.terminate();
  worker = next;
  api = Comlink.wrap<SearchWorkerApi>(next);
}

const searchStore = {
  /** Starts a fresh worker on its own database, so each test starts from what it stored itself. */
  start(dbName: string): void {
    use(
      new Worker(new URL('../../workers/search.worker.ts', import.meta.url), { type: 'module', name: `db:${dbName}` }),
    );
  },
  /** The same on a worker whose IndexedDB aborts a transaction; `dbName` ends in `-abort-at-<n>` (aborting-search-worker.ts). */
  startAborting(dbName: string): void {
    use(new Worker(new URL('./aborting-search-worker.ts', import.meta.url), { type: 'module', name: `db:${dbName}` }));
  },
  open: (fp: IndexFingerprint, precision?: IndexPrecision): Promise<Outcome<IndexStatus>> =>
    outcome(() => remote().open(fp, precision)),
  usePrecision: (precision: IndexPrecision): Promise<Outcome<IndexStatus>> =>
    outcome(() => remote().usePrecision(precision)),
  addSources: (entries: { source: SourceText; chunks: Chunk[] }[]): Promise<Outcome<IndexStatus>> =>
    outcome(() => remote().addSources(entries)),
  pendingChunks: (limit?: number): Promise<Outcome<Chunk[]>> => outcome(() => remote().pendingChunks(limit)),
  storeVectors(chunkIds: string[], vectors: number[], dimensions: number): Promise<Outcome<IndexStatus>> {
    const data = Float32Array.from(vectors);
    return outcome(() => remote().storeVectors(chunkIds, Comlink.transfer(data, [data.buffer]), dimensions));
  },
  search: (query: number[], k: number, precision: IndexPrecision) =>
    outcome(() => remote().search(Float32Array.from(query), k, precision)),
  int8Recall: (queries: number[], k: number) => outcome(() => remote().int8Recall(Float32Array.from(queries), k)),
  map: () => outcome(() => remote().map()),
  project: (query: number[]) => outcome(() => remote().project(Float32Array.from(query))),
  removeSource: (sourceId: string) => outcome(() => remote().removeSource(sourceId)),
  clear: () => outcome(() => remote().clear()),
  reindex: (fp: IndexFingerprint) => outcome(() => remote().reindex(fp)),
  status: () => outcome(() => remote().status()),
  /**
   * Loads `model` on WASM in an embedding worker and has the search worker index every pending
   * chunk through a port to it (the search page's path). Returns the final status, how many
   * progress reports reached the page, and, for checking, the embedder's own vectors of `texts`.
   */
  indexThroughPort(model: string, slice: number, texts: string[], dimensions: number) {
    return outcome(async () => {
      const embedder = await createEmbedder({ model: { url: model }, device: 'wasm', cache: false });
      try {
        const port = await embedder.createPort();
        let reports = 0;
        const status = await remote().indexPending(
          Comlink.transfer(port, [port]),
          { slice },
          Comlink.proxy(() => void reports++),
        );
        const direct = (await embedder.embedDocuments(texts, { dimensions })).map((v) => Array.from(v));
        return { status, reports, direct };
      } finally {
        await embedder.dispose();
      }
    });
  },
  /**
   * indexPending through a port to an embedding worker that is terminated as the first stored
   * batch is reported (as a crash would end it): how the run ends.
   */
  indexWhileEmbedderEnds(model: string, slice: number) {
    return outcome(async () => {
      const worker = new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module' });
      try {
        const embedder = await createEmbedder({ model: { url: model }, device: 'wasm', cache: false, worker });
        const port = await embedder.createPort();
        return await remote().indexPending(
          Comlink.transfer(port, [port]),
          { slice },
          Comlink.proxy(() => worker.terminate()),
        );
      } finally {
        worker.terminate();
      }
    });
  },
  /** indexPending with an argument it must refuse: no port, or a slice that is not a whole number ≥ 1. */
  indexPendingRefused(what: 'no-port' | 'slice-0' | 'slice-1.5') {
    if (what === 'no-port') {
      return outcome(() => remote().indexPending('port' as unknown as MessagePort));
    }
    const { port1 } = new MessageChannel();
    const slice = what === 'slice-0' ? 0 : 1.5;
    return outcome(() => remote().indexPending(Comlink.transfer(port1, [port1]), { slice }));
  },
};

declare global {
  interface Window {
    searchStore: typeof searchStore;
  }
}

window.searchStore = searchStore;
document.body.dataset['ready'] = 'true';
