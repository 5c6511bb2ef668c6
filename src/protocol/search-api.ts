/**
 * The protocol between the page and the search worker (workers/search.worker.ts), which owns
 * the IndexedDB store and the in-memory vector index so that neither storing nor searching
 * ever blocks the page. Types only; the worker's object must satisfy `SearchWorkerApi`.
 */
import type { Chunk, IndexFingerprint, IndexPrecision, SearchHit, SourceText } from './search-data.ts';

/** What the store holds, read at open and after each change. */
export interface IndexStatus {
  /** The fingerprint the stored vectors were made with; undefined while the store is empty. */
  fingerprint: IndexFingerprint | undefined;
  sources: { id: string; name: string; chunks: number; embedded: number }[];
  chunks: number;
  /** Chunks that have a vector of `fingerprint`. */
  embedded: number;
  /** Chunks still waiting for a vector: an indexing run cut short resumes from these. */
  pending: number;
  /** Set when the store holds vectors of another fingerprint than the one the page opened with. */
  mismatch: { stored: IndexFingerprint; wanted: IndexFingerprint } | undefined;
  /** What the search worker holds in memory for the vectors: float32 rows, or int8 codes only (the rows stay in IndexedDB); bytes of its typed arrays. */
  memory: { keeps: IndexPrecision; bytes: number };
}

/** Reported after each batch an indexing run stores. */
export interface IndexingProgress {
  status: IndexStatus;
  /** Chunks embedded by this run, and its rate so far. */
  doneThisRun: number;
  chunksPerSecond: number;
  /** At this run's rate; undefined until a first batch is stored. */
  etaSeconds: number | undefined;
}

/** A hit with what the results list shows. */
export interface SearchResult extends SearchHit {
  text: string;
  sourceId: string;
  sourceName: string;
  start: number;
  end: number;
}

/** 2-D PCA coordinates of every embedded chunk, fitted on them, for the map. */
export interface IndexMap {
  points: { chunkId: string; sourceId: string; x: number; y: number; text: string }[];
  /** Share of the variance the two axes explain. */
  explained: [number, number];
}

export interface SearchWorkerApi {
  /**
   * Opens (or creates) the store and loads every vector of `fingerprint` into memory, as
   * `precision` says (default: what the worker kept last, at first float32; see usePrecision).
   * Vectors of another fingerprint are never loaded: the status reports a mismatch instead.
   */
  open(fingerprint: IndexFingerprint, precision?: IndexPrecision): Promise<IndexStatus>;
  /**
   * What the worker keeps in memory. 'float32': the rows, and every search runs from memory.
   * 'int8': the int8 codes only (a quarter of the memory); an int8 search rescores its
   * candidates with their float32 rows read from IndexedDB, and a float32 search scans the
   * store (slow: switch to float32 for that). Switching reloads the index from the store.
   */
  usePrecision(precision: IndexPrecision): Promise<IndexStatus>;
  /** Adds sources and their chunks, without vectors, in one transaction. Replaces a source with the same id. */
  addSources(sources: { source: SourceText; chunks: Chunk[] }[]): Promise<IndexStatus>;
  /** Chunks still without a vector, in source order, at most `limit`. */
  pendingChunks(limit?: number): Promise<Chunk[]>;
  /**
   * Stores one batch of vectors ([chunkIds.length × dimensions], transferred) in one
   * transaction, and adds them to the in-memory index: a reload mid-indexing keeps every
   * batch stored before it and loses none of it.
   */
  storeVectors(chunkIds: string[], vectors: Float32Array, dimensions: number): Promise<IndexStatus>;
  /**
   * Embeds every chunk that still lacks a vector through `embedder` (a port from the page's
   * `Embedder.createPort()`, transferred), in calls of `slice` chunks (default 128), and stores
   * each batch as it arrives, in one transaction per batch: a run that is cancelled, fails or is
   * cut by a reload keeps all it stored, and the next starts from the first chunk still pending.
   * Texts and vectors go between this worker and the embedding worker, never through the page.
   * Runs go one at a time, in call order. Rejects with ABORTED after cancelIndexing().
   */
  indexPending(
    embedder: MessagePort,
    options?: { slice?: number },
    onProgress?: (progress: IndexingProgress) => void,
  ): Promise<IndexStatus>;
  /** Stops every indexing run, current and waiting; the batches stored so far stay. */
  cancelIndexing(): void;
  /**
   * Top-k chunks by cosine to an L2-normalised query vector. 'int8' scans the int8 codes for
   * candidates and rescores them in float32, so its scores are exact cosines too.
   */
  search(query: Float32Array, k: number, precision: IndexPrecision): Promise<{ hits: SearchResult[]; ms: number }>;
  /** recall@k of the int8 index against float32 for these query vectors ([n × dimensions]). */
  int8Recall(queries: Float32Array, k: number): Promise<number>;
  map(): Promise<IndexMap>;
  /** Where a query falls on the map fitted by the last `map()` call. */
  project(query: Float32Array): Promise<{ x: number; y: number }>;
  removeSource(sourceId: string): Promise<IndexStatus>;
  /** Deletes every source, chunk and vector. */
  clear(): Promise<IndexStatus>;
  /**
   * Deletes every vector, keeps the sources and chunks, and opens the index for `fingerprint`:
   * every chunk is pending again. The page's "Re-index with this model" after a mismatch.
   */
  reindex(fingerprint: IndexFingerprint): Promise<IndexStatus>;
  status(): Promise<IndexStatus>;
}
