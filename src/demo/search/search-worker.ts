import * as Comlink from 'comlink';
import { installErrorWire } from '../../protocol/error-wire.ts';
import type { SearchWorkerApi } from '../../protocol/search-api.ts';

/** The search worker's methods, as the page calls them. */
export type SearchWorker = Pick<Comlink.Remote<SearchWorkerApi>, keyof SearchWorkerApi>;

/**
 * Starts the worker that owns the IndexedDB store and the vector index (workers/search.worker.ts).
 * Each method is read from the Comlink proxy once, here: a proxy read per call is finalized later,
 * and a finalizer that runs while the page sits in the back/forward cache evicts it
 * (src/client/worker-calls.ts says how that was found).
 */
export function startSearchWorker(): SearchWorker {
  installErrorWire();
  const worker = new Worker(new URL('../../../workers/search.worker.ts', import.meta.url), {
    type: 'module',
    name: 'tabembed-search',
  });
  const remote = Comlink.wrap<SearchWorkerApi>(worker);
  return {
    open: remote.open,
    usePrecision: remote.usePrecision,
    addSources: remote.addSources,
    pendingChunks: remote.pendingChunks,
    storeVectors: remote.storeVectors,
    indexPending: remote.indexPending,
    cancelIndexing: remote.cancelIndexing,
    search: remote.search,
    int8Recall: remote.int8Recall,
    map: remote.map,
    project: remote.project,
    removeSource: remote.removeSource,
    clear: remote.clear,
    reindex: remote.reindex,
    status: remote.status,
  };
}
