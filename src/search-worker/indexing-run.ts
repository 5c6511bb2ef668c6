/**
 * One indexing run, inside the search worker: takes pending chunks from the store a slice at a
 * time, embeds them through a port to the embedding worker (EmbedPortApi), and stores each engine
 * batch as soon as it arrives. Texts leave this worker and vectors come back by transfer, once
 * each way; the page only hears progress.
 */
import * as Comlink from 'comlink';
import { EmbedError } from '../core/errors.ts';
import type { EmbedBatchProgress } from '../core/types.ts';
import type { IndexingProgress, IndexStatus, SearchWorkerApi } from '../protocol/search-api.ts';
import type { EmbedPortApi } from '../protocol/worker-api.ts';

/** Chunks taken from the store per embed call: small enough that a cancel or a reload loses little. */
export const DEFAULT_SLICE = 128;

/** What a run needs of the search service. */
export type IndexTarget = Pick<SearchWorkerApi, 'pendingChunks' | 'storeVectors' | 'status'>;

export interface IndexingRunOptions {
  slice: number;
  dimensions: number;
  signal: AbortSignal;
  onProgress: ((progress: IndexingProgress) => unknown) | undefined;
  /** Rejects once the embedding worker has ended (core/worker-end.ts): a call to it would never settle. */
  embedderEnded: Promise<never>;
}

/**
 * Resolves with the store's status once nothing is pending. Rejects with ABORTED when `signal`
 * fires (batches stored before stay stored), with the embedder's error when a call fails, and
 * with WORKER_FAILED when the embedding worker ends mid-run.
 */
export async function runIndexing(
  target: IndexTarget,
  embedder: Comlink.Remote<EmbedPortApi>,
  { slice, dimensions, signal, onProgress, embedderEnded }: IndexingRunOptions,
): Promise<IndexStatus> {
  const started = performance.now();
  let doneThisRun = 0;
  let status = await target.status();
  // Progress calls are acknowledged before the run resolves, as the embed worker's onBatch calls
  // are: messages on different ports are not ordered, and the page must not hear of a batch
  // after it heard the run had ended.
  const reported: unknown[] = [];
  const report = (next: IndexStatus, stored: number): void => {
    status = next;
    // After a cancel, batches already on their way are still stored, but the run says no more.
    if (signal.aborted) return;
    doneThisRun += stored;
    const seconds = (performance.now() - started) / 1000;
    const chunksPerSecond = seconds > 0 ? doneThisRun / seconds : 0;
    const etaSeconds = chunksPerSecond > 0 ? next.pending / chunksPerSecond : undefined;
    reported.push(onProgress?.({ status: next, doneThisRun, chunksPerSecond, etaSeconds }));
  };
  let callId = 0;
  try {
    for (;;) {
      if (signal.aborted) throw new EmbedError('ABORTED', 'indexing was cancelled; what was stored is kept');
      // Vectors do not depend on how chunks are sliced into calls (each is independent of its batch-mates).
      const chunks = await target.pendingChunks(slice);
      if (chunks.length === 0) return status;
      const stores: Promise<void>[] = [];
      const onBatch = ({ indices, vectors, dimensions: d }: EmbedBatchProgress): void => {
        // A cancelled run stops now: batches the embedding worker finishes after the cancel
        // reached it (it checks between batches) are dropped, not stored behind the user's back.
        if (signal.aborted) return;
        const ids = indices.map((i) => chunks[i]?.id ?? '');
        stores.push(target.storeVectors(ids, vectors, d).then((next) => report(next, ids.length)));
      };
      const id = callId++;
      const cancel = (): void => void embedder.cancel(id);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        const texts = chunks.map((chunk) => chunk.text);
        await Promise.race([
          embedder.embed(id, texts, { kind: 'document', dimensions }, Comlink.proxy(onBatch)),
          embedderEnded,
        ]);
      } finally {
        signal.removeEventListener('abort', cancel);
        // Batches delivered before a cancel or failure are still stored, never dropped.
        await Promise.all(stores);
      }
    }
  } finally {
    await Promise.allSettled(reported);
  }
}
