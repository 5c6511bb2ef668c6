/**
 * What the search worker exposes (SearchWorkerApi): the IndexedDB store (index-store.ts) as the
 * truth, mirrored in memory (chunks, the vector index of the opened fingerprint, the PCA fit),
 * so that searching never touches the disk and storing never blocks the page.
 */
import { EmbedError } from '../core/errors.ts';
import type { IndexMap, IndexStatus, SearchResult, SearchWorkerApi } from '../protocol/search-api.ts';
import { checkFingerprint, describeFingerprint, sameFingerprint } from './fingerprint.ts';
import { DEFAULT_DB_NAME, IndexStore, type StoredSource } from './index-store.ts';
import { fitPca2, projectPca2, sampleRows, type PcaFit } from './pca-map.ts';
import { int8RecallOf } from './recall.ts';
import { checkSourceEntry, checkVectorBatch } from './search-input.ts';
import type { Chunk, IndexFingerprint, IndexPrecision, SourceText } from './types.ts';
import { VectorIndex } from './vector-index.ts';

/** One open index, replaced as a whole by open(), so a search never sees a half-loaded state. */
interface OpenIndex {
  wanted: IndexFingerprint;
  /** Fingerprint of the stored vectors; undefined while none is stored. */
  stored: IndexFingerprint | undefined;
  sources: Map<string, Omit<StoredSource, 'text'>>;
  chunks: Map<string, Chunk>;
  /** Vectors of `wanted`; stays empty while the store holds another fingerprint. */
  index: VectorIndex;
  /** Only while mismatched: chunk ids with a vector of `stored` (counted, never loaded). */
  storedIds: Set<string> | undefined;
  /** Chunks in source order, then ordinal; rebuilt after sources change. */
  ordered: Chunk[] | undefined;
  /** Every chunk of `ordered` before this position has a vector (vectors only arrive, so it only moves on). */
  pendingFrom: number;
  fit: PcaFit | undefined;
}

/**
 * @example
 * const service = new SearchService();                     // db 'tabembed-index'
 * await service.open(fingerprint);                          // { chunks: 0, embedded: 0, pending: 0, mismatch: undefined, … }
 * await service.addSources([{ source, chunks }]);
 * const batch = await service.pendingChunks(32);
 * await service.storeVectors(batch.map((c) => c.id), vectors, 1024);
 * await service.search(query, 10, 'int8');                  // { hits: [{ chunkId, score, text, sourceName, … }], ms: 3.1 }
 */
export class SearchService implements SearchWorkerApi {
  private storePromise: Promise<IndexStore> | undefined;
  private current: OpenIndex | undefined;
  /** Changes run one at a time, in call order: two batches must not interleave their memory updates. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dbName: string = DEFAULT_DB_NAME) {}

  open(fingerprint: IndexFingerprint): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const wanted = checkFingerprint(fingerprint);
      const store = await this.store();
      const [stored, sources, chunks] = await Promise.all([store.fingerprint(), store.sources(), store.chunks()]);
      const state = emptyIndex(wanted, stored);
      for (const { text: _text, ...source } of sources) state.sources.set(source.id, source);
      for (const chunk of chunks) state.chunks.set(chunk.id, chunk);
      if (stored && !sameFingerprint(stored, wanted)) {
        state.storedIds = new Set(await store.vectorIds(stored));
      } else {
        const records = await store.vectors(wanted);
        const all = new Float32Array(records.length * wanted.dimensions);
        records.forEach((record, i) => all.set(record.vector, i * wanted.dimensions));
        state.index.add(records.map((r) => r.chunkId), all, wanted.dimensions);
      }
      this.current = state;
      return statusOf(state);
    });
  }

  addSources(entries: { source: SourceText; chunks: Chunk[] }[]): Promise<IndexStatus> {
    return this.exclusive(async () => {
      if (!Array.isArray(entries)) throw new EmbedError('INVALID_INPUT', 'addSources takes an array of { source, chunks }');
      entries.forEach(checkSourceEntry);
      const state = this.opened();
      let next = Math.max(-1, ...[...state.sources.values()].map((s) => s.order)) + 1;
      // A replaced source keeps its place in the list.
      const stored = entries.map(({ source, chunks }) => ({ source: { ...source, order: state.sources.get(source.id)?.order ?? next++ }, chunks }));
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
    while (state.pendingFrom < ordered.length && state.index.has(ordered[state.pendingFrom]?.id ?? '')) state.pendingFrom++;
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

  search(query: Float32Array, k: number, precision: IndexPrecision): Promise<{ hits: SearchResult[]; ms: number }> {
    return settled(() => this.searchNow(query, k, precision));
  }

  private searchNow(query: Float32Array, k: number, precision: IndexPrecision): { hits: SearchResult[]; ms: number } {
    const state = this.opened();
    const started = performance.now();
    const hits = state.index.search(query, k, precision).map((hit): SearchResult => {
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

  int8Recall(queries: Float32Array, k: number): Promise<number> {
    return settled(() => int8RecallOf(this.opened().index, queries, k));
  }

  map(): Promise<IndexMap> {
    return settled(() => this.mapNow());
  }

  private mapNow(): IndexMap {
    const state = this.opened();
    const { index } = state;
    const fit = fitPca2(sampleRows(index.size).map((row) => index.vectorAt(row)), index.dims);
    state.fit = fit;
    const points: IndexMap['points'] = [];
    for (let row = 0; row < index.size; row++) {
      const chunk = state.chunks.get(index.idAt(row) ?? '');
      if (!chunk) continue;
      points.push({ chunkId: chunk.id, sourceId: chunk.sourceId, ...projectPca2(fit, index.vectorAt(row)), text: chunk.text });
    }
    return { points, explained: fit.explained };
  }

  /** Uses the last map()'s fit; fits one first when map() has not run since open(). */
  project(query: Float32Array): Promise<{ x: number; y: number }> {
    return settled(() => this.projectNow(query));
  }

  private projectNow(query: Float32Array): { x: number; y: number } {
    const state = this.opened();
    const { index } = state;
    if (!(query instanceof Float32Array) || query.length !== index.dims) {
      throw new EmbedError('INVALID_INPUT', `the query must be a Float32Array of ${index.dims} values (this index's dimensions): embed it with dimensions ${index.dims}`);
    }
    state.fit ??= fitPca2(sampleRows(index.size).map((row) => index.vectorAt(row)), index.dims);
    return projectPca2(state.fit, query);
  }

  removeSource(sourceId: string): Promise<IndexStatus> {
    return this.exclusive(async () => {
      const state = this.opened();
      if (!state.sources.has(sourceId)) {
        throw new EmbedError('INVALID_INPUT', `there is no source ${JSON.stringify(sourceId)} in the index: take ids from status().sources`);
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
      this.current = emptyIndex(state.wanted, undefined);
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
      this.current = { ...emptyIndex(wanted, undefined), sources: state.sources, chunks: state.chunks };
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

/** Runs `work` now, turning a synchronous throw (a failed check) into a rejection like the async methods'. */
function settled<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

function emptyIndex(wanted: IndexFingerprint, stored: IndexFingerprint | undefined): OpenIndex {
  return { wanted, stored, sources: new Map(), chunks: new Map(), index: new VectorIndex(wanted.dimensions), storedIds: undefined, ordered: undefined, pendingFrom: 0, fit: undefined };
}

/** The store forgets its fingerprint once its last vector goes (index-store.ts); mirror that. */
function afterRemoval(state: OpenIndex): void {
  const left = state.storedIds ? state.storedIds.size : state.index.size;
  if (left > 0) return;
  state.stored = undefined;
  state.storedIds = undefined; // a mismatch with nothing stored is no mismatch
}

function refuseMismatch(state: OpenIndex, action: string): void {
  if (state.storedIds && state.stored) {
    throw new EmbedError('INDEX_MISMATCH', `cannot ${action}: the store holds vectors of ${describeFingerprint(state.stored)}, but the index was opened for ${describeFingerprint(state.wanted)}; call reindex() to re-embed the kept texts, or clear()`);
  }
}

function orderedChunks(state: OpenIndex): Chunk[] {
  state.ordered ??= [...state.chunks.values()].sort(
    (a, b) => (state.sources.get(a.sourceId)?.order ?? 0) - (state.sources.get(b.sourceId)?.order ?? 0) || a.ordinal - b.ordinal,
  );
  return state.ordered;
}

function statusOf(state: OpenIndex): IndexStatus {
  const has = (id: string): boolean => (state.storedIds ? state.storedIds.has(id) : state.index.has(id));
  const perSource = new Map<string, { chunks: number; embedded: number }>();
  let embedded = 0;
  for (const chunk of state.chunks.values()) {
    const counts = perSource.get(chunk.sourceId) ?? { chunks: 0, embedded: 0 };
    counts.chunks++;
    if (has(chunk.id)) {
      counts.embedded++;
      embedded++;
    }
    perSource.set(chunk.sourceId, counts);
  }
  const sources = [...state.sources.values()]
    .sort((a, b) => a.order - b.order)
    .map((source) => ({ id: source.id, name: source.name, ...(perSource.get(source.id) ?? { chunks: 0, embedded: 0 }) }));
  const mismatch = state.storedIds && state.stored ? { stored: state.stored, wanted: state.wanted } : undefined;
  return { fingerprint: state.stored, sources, chunks: state.chunks.size, embedded, pending: state.chunks.size - embedded, mismatch };
}
