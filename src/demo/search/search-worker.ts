import * as Comlink from 'comlink';
import { installErrorWire } from '../../protocol/error-wire.ts';
import type { SearchWorkerApi } from '../../protocol/search-api.ts';

export type SearchWorker = Comlink.Remote<SearchWorkerApi>;

/** Starts the worker that owns the IndexedDB store and the vector index (workers/search.worker.ts). */
export function startSearchWorker(): SearchWorker {
  installErrorWire();
  const worker = new Worker(new URL('../../../workers/search.worker.ts', import.meta.url), {
    type: 'module',
    name: 'tabembed-search',
  });
  return Comlink.wrap<SearchWorkerApi>(worker);
}
