import { createEmbedder, type CreateEmbedderOptions, type Embedder } from '../../client/index.ts';
import { renderProgress, startProgress, type ProgressView } from './load-progress.ts';

/**
 * Loads a model for a page, showing its progress in `view`, after disposing the page's previous
 * embedder (two models at once could need twice the memory). A load that a newer one superseded
 * meanwhile is disposed and answers undefined: its result belongs to no one.
 */
export async function loadWithProgress(
  view: ProgressView,
  previous: Embedder | undefined,
  options: Pick<CreateEmbedderOptions, 'model' | 'device' | 'dtype'> & { signal: AbortSignal },
  superseded: () => boolean,
): Promise<{ embedder: Embedder; loadMs: number } | undefined> {
  if (previous) await previous.dispose().catch(() => undefined);
  if (superseded()) return undefined;
  let progress = startProgress();
  const started = performance.now();
  const embedder = await createEmbedder({
    ...options,
    onProgress: (event) => {
      if (!superseded()) progress = renderProgress(view, progress, event);
    },
  });
  if (superseded()) {
    await embedder.dispose();
    return undefined;
  }
  return { embedder, loadMs: performance.now() - started };
}
