import * as Comlink from 'comlink';
import { EmbedError, type Embedder } from '../../client/index.ts';
import type { IndexStatus } from '../../protocol/search-api.ts';
import type { SearchWorker } from './search-worker.ts';

/** Chunks taken from the store per embed call: small enough that a cancel or a reload loses little. */
const DEFAULT_SLICE = 128;

export interface IndexingProgress {
  status: IndexStatus;
  /** Chunks embedded by this run, and its rate so far. */
  doneThisRun: number;
  chunksPerSecond: number;
  /** At this run's rate; undefined until a first batch is stored. */
  etaSeconds: number | undefined;
}

/**
 * Embeds every chunk the store still lacks a vector for and stores each engine batch as soon as
 * it arrives, in one IndexedDB transaction per batch. A run that is cancelled, fails or is cut by
 * a reload keeps all it stored; the next run starts from the first chunk still pending.
 * Rejects with EmbedError ABORTED when `signal` fires.
 */
export async function indexPending(
  embedder: Embedder,
  search: SearchWorker,
  options: {
    dimensions: number;
    signal: AbortSignal;
    onProgress: (progress: IndexingProgress) => void;
    slice?: number;
  },
): Promise<IndexStatus> {
  const started = performance.now();
  let doneThisRun = 0;
  let status = await search.status();
  const report = (next: IndexStatus, stored: number): void => {
    status = next;
    // After a cancel, batches already on their way are still stored, but the run says no more.
    if (options.signal.aborted) return;
    doneThisRun += stored;
    const seconds = (performance.now() - started) / 1000;
    const chunksPerSecond = seconds > 0 ? doneThisRun / seconds : 0;
    const etaSeconds = chunksPerSecond > 0 ? next.pending / chunksPerSecond : undefined;
    options.onProgress({ status: next, doneThisRun, chunksPerSecond, etaSeconds });
  };
  for (;;) {
    if (options.signal.aborted) throw new EmbedError('ABORTED', 'indexing was cancelled; what was stored is kept');
    // Vectors do not depend on how chunks are sliced into calls (each is independent of its batch-mates).
    const chunks = await search.pendingChunks(options.slice ?? DEFAULT_SLICE);
    if (chunks.length === 0) return status;
    const stores: Promise<void>[] = [];
    try {
      await embedder.embedDocuments(
        chunks.map((chunk) => chunk.text),
        {
          dimensions: options.dimensions,
          signal: options.signal,
          onBatch: ({ indices, vectors, dimensions }) => {
            // A cancelled run stops now: batches the worker finishes after the cancel reached
            // it (it checks between batches) are dropped, not stored behind the user's back.
            if (options.signal.aborted) return;
            const ids = indices.map((i) => chunks[i]?.id ?? '');
            // The vectors go on to the search worker without a copy.
            stores.push(
              search
                .storeVectors(ids, Comlink.transfer(vectors, [vectors.buffer]), dimensions)
                .then((next) => report(next, ids.length)),
            );
          },
        },
      );
    } finally {
      // Batches delivered before a cancel or failure are still stored, never dropped.
      await Promise.all(stores);
    }
  }
}
