/**
 * What the search worker exposes (SearchWorkerApi): the IndexedDB store (index-store.ts) as the
 * truth, mirrored in memory (sources, chunks, the vector index of the opened fingerprint, the
 * PCA fit), so that storing never blocks the page.
 *
 * What the vector index keeps is the page's precision (usePrecision): float32 keeps the rows,
 * and searching never touches the disk; int8 keeps only the int8 codes, a quarter of the
 * memory, and an int8 search reads its few candidates' float32 rows from IndexedDB to rescore
 * them (store-search.ts). Switching reloads the index from the store, so nothing held in
 * memory is ever the only copy.
 */
import * as Comlink from 'comlink';
import { EmbedError } from '../core/errors.ts';
import { workerEnded } from '../core/worker-end.ts';
import type { IndexingProgress, IndexMap, IndexStatus, SearchResult, SearchWorkerApi } from '../protocol/search-api.ts';
import type { EmbedPortApi } from '../protocol/worker-api.ts';
import { checkFingerprint, sameFingerprint } from '../search/fingerprint.ts';
import { DEFAULT_DB_NAME, IndexStore } from './index-store.ts';
import { DEFAULT_SLICE, runIndexing } from './indexing-run.ts';
import {
  afterRemoval,
  emptyIndex,
  orderedChunks,
  refuseMismatch,
  settled,
  statusOf,
  type OpenIndex,
} from './open-index.ts';
import { fitPca2, projectPca2, type PcaFit } from '../search/pca-map.ts';
import { recallAtK } from '../search/recall.ts';
import { sampleRows } from '../search/sample-rows.ts';
import { checkSourceEntry, checkVectorBatch } from './search-input.ts';
import { exactSearchFromStore, loadIndex, readRows, searchInt8FromStore } from './store-search.ts';
import type { Chunk, IndexFingerprint, IndexPrecision, SearchHit, SourceText } from '../protocol/search-data.ts';
import { validateK } from '../search/vector-index.ts';

/**
 * @example
 * const service = new SearchService();                     // db 'tabembed-index'
 * await service.open(fingerprint);                          // { chunks: 0, embedded: 0, pending: 0, mismatch: undefined, … }
 * await service.addSources([{ source, chunks }]);
 * const batch = await service.pendingChunks(32);
 * await service.storeVectors(batch.map((c) => c.id), vectors, 1024);
 * await service.search(query, 10, 'float32');               // { hits: [{ chunkId, score, text, sourceName, … }], ms: 3.1 }
 * await service.usePrecision('int8');                       // { …, memory: { keeps: 'int8', bytes: n × (dims + 4) + … } }
 * await service.search(query, 10, 'int8');                  // the same hits and scores (rescored in float32)
 */
export class SearchService implements SearchWorkerApi {
  private storePromise: Promise<IndexStore> | undefined;
  private current: OpenIndex | undefined;
  /** Changes run one at a time, in call order: two batches must not interleave their memory updates. */
  private queue: Promise<unknown> = Promise.resolve();

  /** What the vector index keeps: set by open() and usePrecision(), kept across reindex() and clear(). */
  private keeps: IndexPrecision = 'float32';

  /** Indexing runs go one after another; cancelIndexing() aborts every run started before it. */
  private runs: Promise<unknown> = Promise.resolve();
  private indexing = new AbortController();

  constructor(private readonly dbName: string = DEFAULT_DB_NAME) {}

  open(fingerprint: IndexFingerprint, precision?: IndexPrecision): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const wanted = checkFingerprint(fingerprint);
      if (precision !== undefined) this.keeps = checkPrecision(precision);
      const store = await this.store();
      const [stored, sources, chunks] = await Promise.all([store.fingerprint(), store.sources(), store.chunks()]);
      const state = emptyIndex(wanted, stored, this.keeps);
      for (const { text: _text, ...source } of sources) state.sources.set(source.id, source);
      for (const chunk of chunks) state.chunks.set(chunk.id, chunk);
      if (stored && !sameFingerprint(stored, wanted)) {
        state.storedIds = new Set(await store.vectorIds(stored));
      } else {
        state.index = await loadIndex(store, wanted, this.keeps);
      }
      this.current = state;
      return statusOf(state);
    });
  }

  usePrecision(precision: IndexPrecision): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const keeps = checkPrecision(precision);
      const state = this.opened();
      this.keeps = keeps;
      if (state.index.keeps !== keeps) {
        // Loaded beside the old index, which searches keep using until the swap.
        state.index = state.storedIds
          ? emptyIndex(state.wanted, undefined, keeps).index
          : await loadIndex(await this.store(), state.wanted, keeps);
      }
      return statusOf(state);
    });
  }

  addSources(entries: { source: SourceText; chunks: Chunk[] }[]): Promise<IndexStatus> {
    return this.exclusive(async () => {
      if (!Array.isArray(entries))
        throw new EmbedError('INVALID_INPUT', 'addSources takes an array of { source, chunks }');
      entries.forEach(checkSourceEntry);
      const state = this.opened();
      let next = Math.max(-1, ...[...state.sources.values()].map((s) => s.order)) + 1;
      // A replaced source keeps its place in the list.
      const stored = entries.map(({ source, chunks }) => ({
        source: { ...source, order: state.sources.get(source.id)?.order ?? next++ },
        chunks,
      }));
      await (await this.store()).putSources(stored);
      for (const { source, chunks } of stored) {
        this.forgetChunksOf(state, source.id);
        state.sources.set(source.id, { id: source.id, name: source.name, order: source.order });
        for (const chunk of chunks) state.chunks.set(chunk.id, chunk);
      }
      afterRemoval(state);
      return statusOf(state);
    });
  }

  pendingChunks(limit: number = Number.POSITIVE_INFINITY): Promise<Chunk[]> {
    return settled(() => this.pending(limit));
  }

  private pending(limit: number): Chunk[] {
    const state = this.opened();
    refuseMismatch(state, 'list chunks to embed');
    if (!(limit >= 1)) throw new EmbedError('INVALID_OPTION', `limit must be at least 1, got ${String(limit)}`);
    const ordered = orderedChunks(state);
    while (state.pendingFrom < ordered.length && state.index.has(ordered[state.pendingFrom]?.id ?? ''))
      state.pendingFrom++;
    const out: Chunk[] = [];
    for (let i = state.pendingFrom; i < ordered.length && out.length < limit; i++) {
      const chunk = ordered[i];
      if (chunk && !state.index.has(chunk.id)) out.push(chunk);
    }
    return out;
  }

  storeVectors(chunkIds: string[], vectors: Float32Array, dimensions: number): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const state = this.opened();
      refuseMismatch(state, 'store vectors');
      checkVectorBatch(chunkIds, vectors, dimensions, state.wanted.dimensions);
      if (chunkIds.length > 0) {
        await (await this.store()).putVectors(state.wanted, chunkIds, vectors, dimensions);
        state.index.add(chunkIds, vectors, dimensions);
        state.stored = state.wanted;
      }
      return statusOf(state);
    });
  }

  indexPending(
    embedder: MessagePort,
    options: { slice?: number } = {},
    onProgress?: (progress: IndexingProgress) => void,
  ): Promise<IndexStatus> {
    return settled(() => {
      if (!(embedder instanceof MessagePort))
        throw new EmbedError(
          'INVALID_INPUT',
          'indexPending takes a MessagePort from Embedder.createPort(), transferred',
        );
      const slice = options.slice ?? DEFAULT_SLICE;
      if (!Number.isInteger(slice) || slice < 1) {
        // A refused run still owns the port it was given: closing it lets the embedding worker
        // drop its end instead of serving a port nobody will call.
        embedder.close();
        throw new EmbedError('INVALID_OPTION', `slice must be a whole number ≥ 1, got ${String(slice)}`);
      }
      const { signal } = this.indexing;
      const remote = Comlink.wrap<EmbedPortApi>(embedder);
      const run = this.runs
        .then(async () => {
          // Asked once, right after the page made the port from a live worker.
          const embedderEnded = workerEnded(navigator.locks, await remote.lifeLock());
          const dimensions = this.opened().wanted.dimensions;
          return runIndexing(this, remote, { slice, dimensions, signal, onProgress, embedderEnded });
        })
        // Closes both ends: the embedding worker stops serving this port.
        .finally(() => remote[Comlink.releaseProxy]());
      this.runs = run.catch(() => undefined);
      return run;
    });
  }

  cancelIndexing(): void {
    this.indexing.abort();
    this.indexing = new AbortController();
  }

  search(query: Float32Array, k: number, precision: IndexPrecision): Promise<{ hits: SearchResult[]; ms: number }> {
    return settled(() => this.searchNow(query, k, precision));
  }

  private async searchNow(
    query: Float32Array,
    k: number,
    precision: IndexPrecision,
  ): Promise<{ hits: SearchResult[]; ms: number }> {
    const state = this.opened();
    const started = performance.now();
    const [found = []] = await this.searchMany(state, [query], k, checkPrecision(precision));
    const hits = found.map((hit): SearchResult => {
      const chunk = state.chunks.get(hit.chunkId);
      return {
        ...hit,
        text: chunk?.text ?? '',
        sourceId: chunk?.sourceId ?? '',
        sourceName: state.sources.get(chunk?.sourceId ?? '')?.name ?? '',
        start: chunk?.start ?? 0,
        end: chunk?.end ?? 0,
      };
    });
    return { hits, ms: performance.now() - started };
  }

  /**
   * Top-k for each query, from memory when the index keeps float32; when it keeps int8, int8
   * rescoring reads each query's candidates from the store, and float32 scans the whole store
   * once for all the queries (slow at 10⁵ rows: the page switches to float32 with usePrecision
   * instead, which loads the rows).
   */
  private async searchMany(
    state: OpenIndex,
    queries: readonly Float32Array[],
    k: number,
    precision: IndexPrecision,
  ): Promise<SearchHit[][]> {
    const { index } = state;
    if (index.keeps === 'float32') return queries.map((query) => index.search(query, k, precision));
    validateK(k);
    if (precision === 'float32') return exactSearchFromStore(await this.store(), state.wanted, index, queries, k);
    const store = await this.store();
    const out: SearchHit[][] = [];
    for (const query of queries) out.push(await searchInt8FromStore(store, state.wanted, index, query, k));
    return out;
  }

  int8Recall(queries: Float32Array, k: number): Promise<number> {
    return settled(async () => {
      const state = this.opened();
      const d = state.index.dims;
      if (!(queries instanceof Float32Array) || queries.length === 0 || queries.length % d !== 0) {
        throw new EmbedError(
          'INVALID_INPUT',
          `queries hold ${queries instanceof Float32Array ? queries.length : 'no'} values: expected a Float32Array of n × ${d} (this index's dimensions), n ≥ 1`,
        );
      }
      const list = Array.from({ length: queries.length / d }, (_, q) => queries.subarray(q * d, (q + 1) * d));
      // One after the other: run together, the exact scan's pages hold up the candidates' reads.
      const found = await this.searchMany(state, list, k, 'int8');
      const truth = await this.searchMany(state, list, k, 'float32');
      return recallAtK(
        truth.map((hits) => hits.map((h) => h.chunkId)),
        found.map((hits) => hits.map((h) => h.chunkId)),
      );
    });
  }

  map(): Promise<IndexMap> {
    return settled(() => this.mapNow());
  }

  private async mapNow(): Promise<IndexMap> {
    const state = this.opened();
    const { index } = state;
    const fit = await this.fitOf(state);
    state.fit = fit;
    // Without the rows in memory each point is projected from its int8 code: off by at most
    // Σ|axis|·step/2 per coordinate, far below a pixel of the plot.
    const approximate = index.keeps === 'int8' ? new Float32Array(index.dims) : undefined;
    const points: IndexMap['points'] = [];
    for (let row = 0; row < index.size; row++) {
      const chunk = state.chunks.get(index.idAt(row) ?? '');
      if (!chunk) continue;
      const vector = approximate ? index.approximateVectorAt(row, approximate) : index.vectorAt(row);
      points.push({ chunkId: chunk.id, sourceId: chunk.sourceId, ...projectPca2(fit, vector), text: chunk.text });
    }
    return { points, explained: fit.explained };
  }

  /** The PCA fit on the sample rows (sampleRows): from memory, or read by key from the store when the index keeps int8. */
  private async fitOf(state: OpenIndex): Promise<PcaFit> {
    const { index } = state;
    const rows = sampleRows(index.size);
    if (index.keeps === 'float32')
      return fitPca2(
        rows.map((row) => index.vectorAt(row)),
        index.dims,
      );
    const d = index.dims;
    const matrix = await readRows(
      await this.store(),
      state.wanted,
      rows.map((row) => index.idAt(row) ?? ''),
    );
    return fitPca2(
      rows.map((_, i) => matrix.subarray(i * d, (i + 1) * d)),
      d,
    );
  }

  /** Uses the last map()'s fit; fits one first when map() has not run since open(). */
  project(query: Float32Array): Promise<{ x: number; y: number }> {
    return settled(async () => {
      const state = this.opened();
      state.index.checkQuery(query);
      state.fit ??= await this.fitOf(state);
      return projectPca2(state.fit, query);
    });
  }

  removeSource(sourceId: string): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const state = this.opened();
      if (!state.sources.has(sourceId)) {
        throw new EmbedError(
          'INVALID_INPUT',
          `there is no source ${JSON.stringify(sourceId)} in the index: take ids from status().sources`,
        );
      }
      await (await this.store()).removeSource(sourceId);
      this.forgetChunksOf(state, sourceId);
      state.sources.delete(sourceId);
      afterRemoval(state);
      return statusOf(state);
    });
  }

  clear(): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const state = this.opened();
      await (await this.store()).clear();
      this.current = emptyIndex(state.wanted, undefined, this.keeps);
      return statusOf(this.current);
    });
  }

  /**
   * Deletes every vector but keeps the sources and chunks, and opens the index for
   * `fingerprint`: every chunk is pending again (the page re-embeds them with the new model).
   */
  reindex(fingerprint: IndexFingerprint): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const wanted = checkFingerprint(fingerprint);
      const state = this.opened();
      await (await this.store()).dropVectors();
      this.current = { ...emptyIndex(wanted, undefined, this.keeps), sources: state.sources, chunks: state.chunks };
      return statusOf(this.current);
    });
  }

  status(): Promise<IndexStatus> {
    return settled(() => statusOf(this.opened()));
  }

  private store(): Promise<IndexStore> {
    // Cache the promise, so racing callers share one connection; forget a failed one so a later call retries.
    this.storePromise ??= IndexStore.open(this.dbName);
    this.storePromise.catch(() => (this.storePromise = undefined));
    return this.storePromise;
  }

  private opened(): OpenIndex {
    if (!this.current) throw new EmbedError('NOT_LOADED', 'the search index is not open: call open(fingerprint) first');
    return this.current;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private forgetChunksOf(state: OpenIndex, sourceId: string): void {
    const gone = [...state.chunks.values()].filter((chunk) => chunk.sourceId === sourceId).map((chunk) => chunk.id);
    for (const id of gone) {
      state.chunks.delete(id);
      state.storedIds?.delete(id);
    }
    state.index.remove(gone);
    state.ordered = undefined;
    state.pendingFrom = 0;
  }
}

/** The precision a page sent over Comlink, checked: INVALID_OPTION for anything else. */
function checkPrecision(precision: unknown): IndexPrecision {
  if (precision === 'float32' || precision === 'int8') return precision;
  throw new EmbedError('INVALID_OPTION', `precision must be 'float32' or 'int8', got ${JSON.stringify(precision)}`);
}
