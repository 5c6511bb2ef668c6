import * as Comlink from 'comlink';
import { EmbedError, type Embedder } from '../../client/index.ts';
import type { IndexingProgress, IndexStatus } from '../../protocol/search-api.ts';
import type { SearchWorker } from './search-worker.ts';

/**
 * Has the search worker embed every chunk the store still lacks a vector for, through a port to
 * the embedding worker: the chunk texts and their vectors never pass through the page, which
 * only hears progress. What a cancelled, failed or reloaded run stored is kept
 * (SearchWorkerApi.indexPending). Rejects with EmbedError ABORTED when `signal` fires.
 */
export async function indexPending(
  embedder: Embedder,
  search: SearchWorker,
  options: { signal: AbortSignal; onProgress: (progress: IndexingProgress) => void; slice?: number },
): Promise<IndexStatus> {
  const port = await embedder.createPort();
  const { signal, slice } = options;
  if (signal.aborted) {
    port.close();
    throw new EmbedError('ABORTED', 'indexing was cancelled before it started');
  }
  const cancel = (): void => void search.cancelIndexing();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await search.indexPending(
      Comlink.transfer(port, [port]),
      slice === undefined ? {} : { slice },
      Comlink.proxy(options.onProgress),
    );
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
