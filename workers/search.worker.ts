/**
 * The search worker: a thin shell exposing one SearchService (src/search-worker/search-service.ts),
 * which owns the IndexedDB store and the in-memory vector index, so neither storing nor a
 * 100,000-vector scan ever blocks the page.
 */
import * as Comlink from 'comlink';
import { installErrorWire } from '../src/protocol/error-wire.ts';
import type { SearchWorkerApi } from '../src/protocol/search-api.ts';
import { FROM_OWNING_PAGE } from '../src/protocol/worker-origins.ts';
import { SearchService } from '../src/search-worker/search-service.ts';

installErrorWire();

// The worker's name can pick another database (e2e pages give each test its own); the page's
// worker is started without one and uses the default 'tabembed-index'.
const dbName = self.name.startsWith('db:') ? self.name.slice('db:'.length) : undefined;

// `satisfies` is the compile-only check that what the page calls through
// Comlink.Remote<SearchWorkerApi> is what this worker serves.
Comlink.expose(new SearchService(dbName) satisfies SearchWorkerApi, self, [...FROM_OWNING_PAGE]);
